// Reordering the slots of a session: the ↑/↓ buttons move a row and send
// the new order to the API; the page is reloaded with the new times, or
// the clash that refused the move is shown.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var table = document.getElementById("slots");
  if (!table) return;
  var session = table.getAttribute("data-session");
  var errorBox = document.getElementById("reorder-error");
  table.querySelectorAll("button.move").forEach(function (b) {
    b.addEventListener("click", function () {
      var row = b.closest("tr");
      var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr[data-slot]"));
      var i = rows.indexOf(row);
      var j = b.getAttribute("data-dir") === "up" ? i - 1 : i + 1;
      if (j < 0 || j >= rows.length) return;
      rows.splice(i, 1);
      rows.splice(j, 0, row);
      var ids = rows.map(function (r) { return Number(r.getAttribute("data-slot")); });
      fetch("/api/v1/sessions/" + session + "/slots/order", {
        method: "PUT",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ slot_ids: ids })
      }).then(function (res) {
        if (res.ok) { window.location.reload(); return; }
        return res.json().then(function (body) {
          var e = body.error || {};
          var msgs = [e.message].concat((e.details || []).map(function (d) { return d.message; }));
          errorBox.textContent = msgs.filter(Boolean).join(" ");
          errorBox.hidden = false;
        });
      }).catch(function () {
        errorBox.textContent = table.getAttribute("data-offline") || "";
        errorBox.hidden = false;
      });
    });
  });
});

// Editing a slot in place: each slot's form is sent to PATCH
// /api/v1/slots/{id}; the page is reloaded with the new times, or the
// clash that refused the change is shown beside the form. Without script
// the form posts to /slots/{id}/edit, which does the same server-side.
document.addEventListener("DOMContentLoaded", function () {
  var table = document.getElementById("slots");
  var offline = table ? table.getAttribute("data-offline") || "" : "";
  function showErrors(box, e) {
    box.textContent = "";
    var div = document.createElement("div");
    div.className = "errors";
    div.setAttribute("role", "alert");
    var p = document.createElement("p");
    p.textContent = e.message || offline;
    div.appendChild(p);
    if (e.details && e.details.length) {
      var ul = document.createElement("ul");
      e.details.forEach(function (d) {
        var li = document.createElement("li");
        li.textContent = d.message || "";
        if (d.field) li.setAttribute("data-field", d.field);
        ul.appendChild(li);
      });
      div.appendChild(ul);
    }
    box.appendChild(div);
  }
  function beijing(v) { return v ? v + ":00+08:00" : null; }
  document.querySelectorAll("form.slot-edit-form").forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var box = form.querySelector(".slot-errors");
      var body = {
        project_id: Number(form.elements.project_id.value),
        presenter: form.elements.presenter.value,
        starts_at: beijing(form.elements.starts_at.value),
        ends_at: beijing(form.elements.ends_at.value)
      };
      fetch("/api/v1/slots/" + form.getAttribute("data-slot"), {
        method: "PATCH",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body)
      }).then(function (res) {
        if (res.ok) { window.location.reload(); return; }
        return res.json().then(function (b) { showErrors(box, b.error || {}); });
      }).catch(function () { showErrors(box, {}); });
    });
  });
});
