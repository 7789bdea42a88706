// The agenda editor: drag and drop with SortableJS, which fires "end" on the list; the list's hx-post
// (hx-trigger="end") saves the new order and swaps the recomputed agenda in.
// Without JavaScript the ▲ ▼ forms do the same.
(function () {
  "use strict";

  function enable(root) {
    if (typeof Sortable === "undefined") {
      return;
    }
    var lists = root.querySelectorAll ? root.querySelectorAll("[data-sortable]") : [];
    if (root.matches && root.matches("[data-sortable]")) {
      lists = [root];
    }
    Array.prototype.forEach.call(lists, function (list) {
      if (list.sortableReady) {
        return;
      }
      list.sortableReady = true;
      list.classList.add("is-sortable");
      Sortable.create(list, {
        handle: ".drag-handle",
        animation: 150,
        forceFallback: true,
        fallbackOnBody: true,
        ghostClass: "agenda-ghost",
        chosenClass: "agenda-chosen"
      });
    });
  }

  function start() {
    if (window.htmx) {
      window.htmx.onLoad(enable);
    } else {
      enable(document);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
