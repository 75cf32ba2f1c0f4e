// The pairing hall's big screen: counters and lists follow the live event
// stream (Server-Sent Events) without reloading the page.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var board = document.getElementById("board");
  if (!board || !window.EventSource) return;
  var labels = {}, table = "#", wan = "";
  var tpl = document.getElementById("board-labels");
  if (tpl) {
    tpl.content.querySelectorAll("[data-stage]").forEach(function (s) { labels[s.dataset.stage] = s.textContent; });
    var t = tpl.content.querySelector("[data-key=table]");
    if (t) table = t.textContent;
    var w = tpl.content.querySelector("[data-key=wan]");
    if (w) wan = w.textContent;
  }
  function set(id, v) {
    var el = document.getElementById(id);
    if (el) el.textContent = v;
  }
  var count = new Intl.NumberFormat("en-US");
  var money = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  function counters(c) {
    set("c-effective", count.format(c.effective));
    set("c-intents", count.format(c.intents));
    set("c-agreements", count.format(c.agreements));
    set("c-signed", count.format(c.signed));
    set("c-amount", money.format(c.amount_wan));
  }
  function fill(id, items, text) {
    var ul = document.getElementById(id);
    if (!ul) return;
    ul.textContent = "";
    if (!items.length) {
      var li = document.createElement("li");
      li.className = "muted";
      li.textContent = board.dataset.empty;
      ul.appendChild(li);
    }
    items.forEach(function (it) {
      var li = document.createElement("li");
      li.textContent = text(it);
      if (it.id) li.dataset.pairing = it.id;
      ul.appendChild(li);
    });
  }
  function meeting(m) {
    return table.replace("#", m.table) + " · " + m.pairing.demand.title + " ⇄ " + m.pairing.supply.title;
  }
  function signing(p) {
    var s = p.demand.title + " ⇄ " + p.supply.title + " · " + (labels[p.stage] || p.stage);
    if (p.amount_wan != null) s += " · " + money.format(p.amount_wan) + " " + wan;
    return s;
  }
  function refresh() {
    fetch(board.dataset.source, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (b) {
        counters(b.counters);
        fill("board-now", b.now, meeting);
        fill("board-next", b.next, meeting);
        fill("board-latest", b.latest, signing);
      })
      .catch(function () {});
  }
  var timer = null;
  function soon() {
    if (timer) return;
    timer = setTimeout(function () { timer = null; refresh(); }, 200);
  }
  var es = new EventSource(board.dataset.live);
  es.addEventListener("counters", function (e) { counters(JSON.parse(e.data)); });
  es.addEventListener("stage", soon);
  es.addEventListener("meeting", soon);
  es.onopen = function () { set("board-status", board.dataset.statusLive); board.dataset.connected = "1"; };
  es.onerror = function () { set("board-status", board.dataset.statusLost); };
  // Meetings under way change with the clock, not only with events.
  setInterval(refresh, 60000);
});
