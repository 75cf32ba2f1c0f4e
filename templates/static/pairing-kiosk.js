// The big screen from a board link: refreshes the board's figures from
// /api/v1/board/{token} every ten seconds (no sign-in, so no event
// stream), numbers with thousands separators, 万元 with two decimals.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var k = document.getElementById("kiosk");
  if (!k) return;
  var labels = {}, table = "#", wan = "";
  var tpl = document.getElementById("kiosk-labels");
  if (tpl) {
    tpl.content.querySelectorAll("[data-stage]").forEach(function (s) { labels[s.dataset.stage] = s.textContent; });
    var t = tpl.content.querySelector("[data-key=table]");
    if (t) table = t.textContent;
    var w = tpl.content.querySelector("[data-key=wan]");
    if (w) wan = w.textContent;
  }
  var count = new Intl.NumberFormat("en-US");
  var money = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  function set(id, v) {
    var el = document.getElementById(id);
    if (el) el.textContent = v;
  }
  function fill(id, items, render) {
    var ul = document.getElementById(id);
    if (!ul) return;
    ul.textContent = "";
    if (!items.length) {
      var li = document.createElement("li");
      li.className = "muted";
      li.textContent = k.dataset.empty;
      ul.appendChild(li);
    }
    items.forEach(function (it) { ul.appendChild(render(it)); });
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    e.textContent = text;
    return e;
  }
  function meeting(m) {
    var li = document.createElement("li");
    li.appendChild(el("b", "", table.replace("#", m.table)));
    li.appendChild(document.createTextNode(" " + m.pairing.demand.title + " ⇄ " + m.pairing.supply.title));
    return li;
  }
  function signing(p) {
    var li = document.createElement("li");
    li.dataset.pairing = p.id;
    li.appendChild(document.createTextNode(p.demand.title + " ⇄ " + p.supply.title + " "));
    li.appendChild(el("span", "muted", labels[p.stage] || p.stage));
    if (p.amount_wan != null) li.appendChild(el("b", "kiosk-money", " " + money.format(p.amount_wan) + " " + wan));
    return li;
  }
  function refresh() {
    fetch(k.dataset.source, { credentials: "omit", cache: "no-store" })
      .then(function (r) {
        if (r.status === 404) { set("kiosk-status", k.dataset.revoked); return null; }
        return r.ok ? r.json() : Promise.reject(r.status);
      })
      .then(function (b) {
        if (!b) return;
        var c = b.counters;
        set("k-pairings", count.format(c.pairings));
        set("k-effective", count.format(c.effective));
        set("k-intents", count.format(c.intents));
        set("k-agreements", count.format(c.agreements));
        set("k-signed", count.format(c.signed));
        set("k-amount", money.format(c.amount_wan));
        fill("k-now", b.now, meeting);
        fill("k-next", b.next, meeting);
        fill("k-latest", b.latest, signing);
        set("kiosk-status", "");
        k.dataset.refreshed = String(Date.now());
      })
      .catch(function () { set("kiosk-status", k.dataset.lost); });
  }
  function clock() {
    var d = new Date();
    set("kiosk-clock", d.toLocaleTimeString(k.dataset.lang || "zh-CN", { hour: "2-digit", minute: "2-digit", timeZone: "Asia/Shanghai" }));
  }
  var full = document.getElementById("kiosk-full");
  if (full) {
    full.addEventListener("click", function () {
      if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen();
    });
    document.addEventListener("fullscreenchange", function () { full.hidden = !!document.fullscreenElement; });
  }
  clock();
  setInterval(clock, 15000);
  setInterval(refresh, 10000);
  k.dataset.ready = "1";
});
