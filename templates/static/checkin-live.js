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
  });
})();
