// The hall's pages: drag and drop of the waiting speakers (SortableJS fires "end" on the list, the form's
// hx-post saves the order), the countdown of the current speaker, polling that waits while the secretary
// drags or types, and the attendance list's "select all". Without JavaScript every action is a plain form.
(function () {
  "use strict";

  var dragging = false;

  function enableSorting(root) {
    if (typeof Sortable === "undefined") {
      return;
    }
    var lists = root.querySelectorAll ? Array.prototype.slice.call(root.querySelectorAll("[data-sortable]")) : [];
    if (root.matches && root.matches("[data-sortable]")) {
      lists.push(root);
    }
    lists.forEach(function (list) {
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
        ghostClass: "speaker-ghost",
        chosenClass: "speaker-chosen",
        onStart: function () { dragging = true; },
        onEnd: function () { dragging = false; }
      });
    });
  }

  // A poll must not wipe what the secretary is doing: a drag, a field with focus or with something typed.
  function busy(board) {
    if (dragging) {
      return true;
    }
    var active = document.activeElement;
    if (active && board.contains(active) && /^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName)) {
      return true;
    }
    return Array.prototype.some.call(board.querySelectorAll("input[type=text], textarea"), function (field) {
      return field.value.trim() !== "";
    });
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    if (elt && elt.hasAttribute && elt.hasAttribute("data-poll") && busy(elt)) {
      event.preventDefault();
    }
  });

  // Countdowns: the server's time is sent with the end time, so a wrong clock in the hall's laptop does
  // not matter.
  var offset = 0;

  function readClock(root) {
    var first = (root.querySelector ? root : document).querySelector("[data-countdown]");
    if (first) {
      offset = Date.parse(first.getAttribute("data-now")) - Date.now();
    }
  }

  function tick() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-countdown]"), function (clock) {
      var left = Math.round((Date.parse(clock.getAttribute("data-ends-at")) - (Date.now() + offset)) / 1000);
      var over = left < 0;
      var seconds = Math.abs(left);
      var text = (over ? "−" : "") + Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
      if (clock.textContent !== text) {
        clock.textContent = text;
      }
      clock.classList.toggle("is-over", over);
      clock.classList.toggle("is-ending", !over && left <= 30);
    });
  }

  // Attendance: tick every row shown, and say how many are ticked.
  function countSelected() {
    var boxes = document.querySelectorAll("input[name=delegate_ids]");
    var ticked = Array.prototype.filter.call(boxes, function (b) { return b.checked; }).length;
    Array.prototype.forEach.call(document.querySelectorAll("[data-selected-count]"), function (label) {
      label.textContent = ticked ? "(" + ticked + ")" : "";
    });
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-select-all]")) {
      Array.prototype.forEach.call(document.querySelectorAll("input[name=delegate_ids]"), function (box) {
        box.checked = event.target.checked;
      });
    }
    if (event.target.matches("[data-select-all], input[name=delegate_ids]")) {
      countSelected();
    }
  });

  function start() {
    var onLoad = function (root) {
      enableSorting(root);
      readClock(root);
      tick();
      countSelected();
    };
    if (window.htmx) {
      window.htmx.onLoad(onLoad);
    } else {
      onLoad(document);
    }
    setInterval(tick, 250);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
