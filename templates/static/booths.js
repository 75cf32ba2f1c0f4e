// Floor plan: clicking (or pressing Enter on) a booth shows its exhibitor,
// staff and projects, fetched from /api/v1/booths/{id}. Print buttons.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
  });
  var panel = document.getElementById("booth-panel");
  if (!panel) return;
  var labels = panel.querySelector(".state-labels");
  function text(id, v) { document.getElementById(id).textContent = v; }
  function show(b) {
    text("panel-code", b.code);
    text("panel-zone", b.zone + (b.hall ? " · " + b.hall : ""));
    text("panel-exhibitor", b.exhibitor || panel.getAttribute("data-none"));
    text("panel-state", labels.getAttribute("data-" + b.state) || b.state);
    text("panel-staff", b.staff.map(function (s) { return s.username; }).join("、") || "—");
    var ul = document.getElementById("panel-projects");
    ul.textContent = "";
    b.projects.forEach(function (p) {
      var li = document.createElement("li");
      li.textContent = p.title;
      ul.appendChild(li);
    });
    var manage = document.getElementById("panel-manage");
    if (manage) manage.href = "/booths/" + b.id + "/manage";
    panel.hidden = false;
  }
  function open(g) {
    document.querySelectorAll(".booth.selected").forEach(function (s) { s.classList.remove("selected"); });
    g.classList.add("selected");
    fetch("/api/v1/booths/" + g.getAttribute("data-id"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(show)
      .catch(function () {
        text("panel-code", "");
        text("panel-exhibitor", panel.getAttribute("data-failed"));
        panel.hidden = false;
      });
  }
  document.querySelectorAll("svg.floorplan").forEach(function (svg) {
    svg.addEventListener("click", function (e) {
      var g = e.target.closest(".booth");
      if (g) open(g);
    });
    svg.addEventListener("keydown", function (e) {
      var g = e.target.closest(".booth");
      if (g && (e.key === "Enter" || e.key === " ")) { e.preventDefault(); open(g); }
    });
  });
});
