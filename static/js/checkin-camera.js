// Camera mode of the reception desk: the back camera, frames decoded in the browser with the vendored jsQR
// (Chromium on Linux has no BarcodeDetector). Each code found goes to the desk like a scanner's keystrokes.
(function () {
  "use strict";

  var toggle = document.getElementById("camera-toggle");
  var box = document.getElementById("camera");
  var video = document.getElementById("camera-video");
  var canvas = document.createElement("canvas");
  if (!toggle || !box || !video || !canvas) { return; }

  var stream = null;
  var timer = null;
  var lastCode = "";
  var lastAt = 0;
  var SAME_CODE_PAUSE_MS = 3000;
  var context = canvas.getContext("2d", { willReadFrequently: true });

  function say(text) {
    var hint = box.querySelector(".camera-hint");
    if (hint) { hint.textContent = text; }
  }

  function stop() {
    if (timer) { clearInterval(timer); timer = null; }
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; }
    video.srcObject = null;
    box.hidden = true;
    toggle.setAttribute("aria-pressed", "false");
    toggle.textContent = "📷 Quét bằng camera";
  }

  function tick() {
    if (!video.videoWidth || typeof window.jsQR !== "function") { return; }
    var scale = Math.min(1, 720 / video.videoWidth);
    var w = Math.round(video.videoWidth * scale);
    var h = Math.round(video.videoHeight * scale);
    canvas.width = w;
    canvas.height = h;
    context.drawImage(video, 0, 0, w, h);
    var found = window.jsQR(context.getImageData(0, 0, w, h).data, w, h, { inversionAttempts: "dontInvert" });
    if (!found || !found.data) { return; }
    var now = Date.now();
    if (found.data === lastCode && now - lastAt < SAME_CODE_PAUSE_MS) { return; }
    lastCode = found.data;
    lastAt = now;
    window.eventappDesk.scan(found.data.trim());
  }

  function start() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      box.hidden = false;
      say("Trình duyệt chỉ cho dùng camera khi trang được mở qua HTTPS (hoặc localhost).");
      return;
    }
    box.hidden = false;
    say("Đang mở camera…");
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (s) {
      stream = s;
      video.srcObject = s;
      video.setAttribute("playsinline", "");
      return video.play();
    }).then(function () {
      toggle.setAttribute("aria-pressed", "true");
      toggle.textContent = "■ Tắt camera";
      say("Đưa mã QR trên thẻ vào khung hình.");
      timer = setInterval(tick, 150);
    }).catch(function () {
      stop();
      box.hidden = false;
      say("Không mở được camera: hãy cho phép trình duyệt dùng camera, hoặc dùng máy quét.");
    });
  }

  toggle.addEventListener("click", function () {
    if (stream) { stop(); } else { start(); }
  });
})();
