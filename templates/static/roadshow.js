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
