// Registration and help desk pages: print buttons, select-all in the
// approval queue, and links that select themselves for copying. (The
// content security policy allows no inline handlers.)
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
  });
  var all = document.getElementById("select-all");
  if (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll("input[name=ids]").forEach(function (b) { b.checked = all.checked; });
    });
  }
  document.querySelectorAll("input[data-copy]").forEach(function (i) {
    i.addEventListener("click", function () { i.select(); });
  });
});
