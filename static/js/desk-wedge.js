// One input for scanning, wherever the focus is. A handheld scanner is a keyboard ("wedge"): it types the pass's
// text in a burst (keys a few milliseconds apart) and presses Enter. A burst, or text in the pass's format,
// ending in Enter in any field of the desk (the name search, a walk-in's name...) is a scan: the field gets back
// what it held before the burst, and the desk records the scan (window.eventappDesk.scan). Typing by hand is left
// alone. Keys typed outside any field go to the scan box.
(function () {
  "use strict";

  var desk = document.getElementById("desk");
  var input = document.getElementById("scan-code");
  if (!desk || !input) { return; }

  var BURST_GAP_MS = 50;       // a person types slower than this between two keys; a scanner much faster
  var BURST_MIN_CHARS = 6;
  var PASS_FORMAT = /^\d{1,10}-\d{40}-\d{6}$/;

  var burst = { chars: "", last: 0, target: null, before: "" };

  function editable(node) {
    if (!node || node === document.body) { return false; }
    if (node.isContentEditable) { return true; }
    var tag = node.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT") { return true; }
    return tag === "INPUT" && !/^(button|submit|reset|checkbox|radio|hidden)$/i.test(node.type);
  }

  function scan(code) {
    if (window.eventappDesk) { window.eventappDesk.scan(code); }
  }

  // The field gets back what it held before the burst; its own listeners (a search) see it change back.
  function restore(field, value) {
    if (field && "value" in field && field.value !== value) {
      field.value = value;
      field.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) { return; }
    var target = event.target;
    var now = event.timeStamp || performance.now();
    if (event.key && event.key.length === 1) {
      if (now - burst.last > BURST_GAP_MS || burst.target !== target) {
        burst.chars = "";
        burst.target = target;
        burst.before = editable(target) && "value" in target ? target.value : "";
      }
      burst.chars += event.key;
      burst.last = now;
      // the key (and those after it) lands in the scan box; on a button or a link too, so that a scanner's Enter
      // never presses one ("Hoàn tác"...); a space still presses a button
      if (!editable(target) && event.key !== " ") {
        input.focus({ preventScroll: true });
      }
      return;
    }
    if (event.key !== "Enter" || target === input) { return; }  // the scan box's own form takes its Enter
    var isBurst = burst.target === target && burst.chars.length >= BURST_MIN_CHARS && now - burst.last <= BURST_GAP_MS * 4;
    var typed = editable(target) && "value" in target ? String(target.value).trim() : "";
    var code = isBurst ? burst.chars.trim() : (PASS_FORMAT.test(typed) ? typed : "");
    burst.chars = "";
    if (!code || !editable(target)) { return; }
    event.preventDefault();
    event.stopPropagation();
    restore(target, isBurst ? burst.before : "");
    input.focus({ preventScroll: true });
    scan(code);
  }, true);
})();
