"use strict";
// Live counters of the dashboard: check-ins from the check-in stream
// (Server-Sent Events), everything else by polling the dashboard's JSON.
(function () {
  var live = document.getElementById("live");
  if (!live) return;
  var edition = live.getAttribute("data-edition");
  function set(id, v) {
    var el = document.getElementById(id);
    if (el && typeof v === "number") el.textContent = String(Math.round(v));
  }
  if (live.getAttribute("data-stream") && window.EventSource) {
    var es = new EventSource("/api/v1/editions/" + edition + "/checkins/live");
    es.addEventListener("counters", function (e) {
      var d = JSON.parse(e.data);
      set("live-people", d.people);
    });
  }
  function poll() {
    fetch("/api/v1/editions/" + edition + "/dashboard", { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) {
        if (!d) return;
        set("live-checkins", d.counters.checkins);
        set("live-people", d.counters.people);
        set("live-pairings", d.counters.pairings);
        set("live-agreements", d.counters.agreements);
      })
      .catch(function () {});
  }
  setInterval(poll, 10000);
})();
