// Live check-in counters by Server-Sent Events.
"use strict";
(function () {
  var live = document.getElementById("live");
  if (!live || !window.EventSource) return;
  var es = new EventSource("/api/v1/editions/" + live.getAttribute("data-edition") + "/checkins/live");
  es.addEventListener("counters", function (e) {
    var d = JSON.parse(e.data);
    document.getElementById("live-scans").textContent = d.scans;
    document.getElementById("live-people").textContent = d.people;
    document.getElementById("live-day").textContent = d.day;
    // Per checkpoint today: every scan, and the people inside (distinct
    // attendees accepted there today; exits are not recorded).
    var body = document.querySelector("#live-points tbody");
    body.textContent = "";
    if (!d.checkpoints.length) {
      var none = body.insertRow().insertCell();
      none.colSpan = 3; none.className = "muted"; none.textContent = live.getAttribute("data-t-none");
    }
    d.checkpoints.forEach(function (c) {
      var row = body.insertRow();
      row.setAttribute("data-checkpoint", c.checkpoint_id);
      [c.checkpoint, c.accepted + c.duplicate + c.rejected, c.people].forEach(function (v) {
        row.insertCell().textContent = String(v);
      });
    });
  });
})();
