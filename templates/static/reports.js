"use strict";
// Live counters of the dashboard. Pairing figures follow the pairing
// stream and check-ins the check-in stream (Server-Sent Events); the
// dashboard's JSON is polled for the check-in totals, and for the pairing
// figures only while their stream is down.
(function () {
  var live = document.getElementById("live");
  if (!live) return;
  var edition = live.getAttribute("data-edition");
  function set(id, v) {
    var el = document.getElementById(id);
    if (el && typeof v === "number") el.textContent = String(Math.round(v));
  }
  function setAmount(id, v) {
    var el = document.getElementById(id);
    if (el && typeof v === "number") el.textContent = v.toFixed(2);
  }
  function pairings(c) {
    set("live-pairings", c.pairings);
    set("live-effective", c.effective);
    set("live-intents", c.intents);
    set("live-agreements", c.agreements);
    setAmount("live-amount", c.amount_wan);
  }
  if (live.getAttribute("data-stream") && window.EventSource) {
    var es = new EventSource("/api/v1/editions/" + edition + "/checkins/live");
    es.addEventListener("counters", function (e) {
      // The people let in today (Beijing time) at entry gates; the card
      // beside it keeps the edition's total from the poll.
      var d = JSON.parse(e.data);
      set("live-people-today", d.people_today);
    });
  }
  // streaming: the pairing stream is open, so the poll leaves its figures.
  var streaming = false;
  var source = live.getAttribute("data-pairing-stream");
  if (source && window.EventSource) {
    var ps = new EventSource(source);
    ps.addEventListener("counters", function (e) {
      streaming = true;
      live.setAttribute("data-pairing-live", "1");
      pairings(JSON.parse(e.data));
    });
    ps.onerror = function () {
      streaming = false;
      live.setAttribute("data-pairing-live", "");
    };
  }
  function poll() {
    fetch("/api/v1/editions/" + edition + "/dashboard", { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) {
        if (!d) return;
        set("live-checkins", d.counters.checkins);
        set("live-people", d.counters.people);
        if (!streaming) pairings(d.counters);
      })
      .catch(function () {});
  }
  setInterval(poll, 10000);
})();
