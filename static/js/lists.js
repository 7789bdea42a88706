// Lists with a selection (the invitation list, the sending page): a "select all" box and the count of the
// selection on the buttons that act on it. Without JavaScript each row is ticked by hand; the server counts.
(function () {
  "use strict";

  function update(form) {
    var boxes = form.querySelectorAll("input[type=checkbox][name=ids]");
    var chosen = 0;
    boxes.forEach(function (box) { if (box.checked) { chosen += 1; } });
    form.querySelectorAll("[data-selection-count]").forEach(function (el) { el.textContent = chosen; });
    form.querySelectorAll("[data-select-all]").forEach(function (all) {
      all.checked = chosen > 0 && chosen === boxes.length;
      all.indeterminate = chosen > 0 && chosen < boxes.length;
    });
  }

  document.addEventListener("change", function (event) {
    var box = event.target;
    var form = box.form;
    if (!form) { return; }
    if (box.hasAttribute("data-select-all")) {
      form.querySelectorAll("input[type=checkbox][name=ids]").forEach(function (row) { row.checked = box.checked; });
    }
    if (box.hasAttribute("data-select-all") || box.name === "ids") { update(form); }
  });

  document.addEventListener("htmx:afterSettle", function () {
    document.querySelectorAll("form[data-selection]").forEach(update);
  });
  document.querySelectorAll("form[data-selection]").forEach(update);
})();
