// Camera mode of the reception desk: frames decoded in the browser by ZXing (zxing-cpp compiled to WebAssembly,
// vendored as static/vendor/zxing-wasm@<version>/, its .wasm served from there, never from a CDN). It reads passes
// that are rotated, skewed, small in the frame or shown on a glaring phone screen. The back camera is preferred;
// "Đổi camera" goes through the others, "Bật đèn" turns the torch on where the browser offers it. While nothing
// decodes the hint changes every few seconds (closer, flat, glare). Each code found goes to the desk as a scan.
(function () {
  "use strict";

  var toggle = document.getElementById("camera-toggle");
  var box = document.getElementById("camera");
  var video = document.getElementById("camera-video");
  var switcher = document.getElementById("camera-switch");
  var torch = document.getElementById("camera-torch");
  if (!toggle || !box || !video) { return; }

  var SAME_CODE_PAUSE_MS = 3000;
  var FRAME_GAP_MS = 40;
  var HINT_EVERY_MS = 4000;
  var MAX_WIDTH = 1280;
  var HINTS = [
    "Đưa mã QR trên thẻ vào khung hình.",
    "Chưa đọc được: đưa thẻ lại gần camera hơn (mã QR chiếm khoảng nửa khung hình).",
    "Giữ thẻ phẳng, thẳng trước camera và yên trong một giây.",
    "Tránh chói: nghiêng thẻ hoặc điện thoại một chút, giảm độ sáng màn hình nếu mã ở trên điện thoại."
  ];
  var READER_OPTIONS = { formats: ["QRCode"], tryHarder: true, tryRotate: true, tryInvert: false,
                         tryDownscale: true, maxNumberOfSymbols: 1 };

  var stream = null;
  var running = false;
  var cameras = [];
  var cameraIndex = -1;
  var torchOn = false;
  var lastCode = "";
  var lastAt = 0;
  var lastDecodeAt = 0;
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  var loading = null;
  // decoding times of the last frames (ms), for the desk's benchmark (bench/bench_desk_browser.py)
  var stats = { frames: 0, decoded: 0, timings: [] };
  window.eventappCamera = stats;

  function say(text, step) {
    var hint = box.querySelector(".camera-hint");
    if (!hint) { return; }
    hint.textContent = text;
    if (step) { hint.setAttribute("data-hint-step", String(step)); } else { hint.removeAttribute("data-hint-step"); }
  }

  function loadDecoder() {
    if (window.ZXingWASM) { return Promise.resolve(window.ZXingWASM); }
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = box.getAttribute("data-zxing");
        script.onload = function () { resolve(window.ZXingWASM); };
        script.onerror = function () { loading = null; reject(new Error("zxing")); };
        document.head.appendChild(script);
      }).then(function (zxing) {
        var wasm = box.getAttribute("data-zxing-wasm");
        zxing.prepareZXingModule({
          overrides: { locateFile: function (path, prefix) { return path.endsWith(".wasm") ? wasm : prefix + path; } },
          fireImmediately: true
        });
        return zxing;
      });
    }
    return loading;
  }

  function stopStream() {
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; }
    video.srcObject = null;
  }

  function stop() {
    running = false;
    stopStream();
    box.hidden = true;
    toggle.setAttribute("aria-pressed", "false");
    toggle.textContent = "📷 Quét bằng camera";
  }

  function hintNow() {
    var waited = Date.now() - lastDecodeAt;
    var step = Math.min(HINTS.length - 1, Math.floor(waited / HINT_EVERY_MS));
    if (step > 0 && box.querySelector(".camera-hint").getAttribute("data-hint-step") !== String(step)) {
      say(HINTS[step], step);
    }
  }

  function frame(zxing) {
    if (!running) { return; }
    if (!video.videoWidth) { setTimeout(function () { frame(zxing); }, FRAME_GAP_MS); return; }
    var scale = Math.min(1, MAX_WIDTH / video.videoWidth);
    var w = Math.round(video.videoWidth * scale);
    var h = Math.round(video.videoHeight * scale);
    if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
    context.drawImage(video, 0, 0, w, h);
    var started = performance.now();
    zxing.readBarcodes(context.getImageData(0, 0, w, h), READER_OPTIONS).then(function (results) {
      stats.frames += 1;
      stats.timings.push(performance.now() - started);
      if (stats.timings.length > 500) { stats.timings.shift(); }
      var found = results.filter(function (r) { return r.isValid && r.text; })[0];
      if (found) {
        stats.decoded += 1;
        lastDecodeAt = Date.now();
        say(HINTS[0]);
        var code = found.text.trim();
        var now = Date.now();
        if (code !== lastCode || now - lastAt > SAME_CODE_PAUSE_MS) {
          lastCode = code;
          lastAt = now;
          window.eventappDesk.scan(code);
        }
      } else {
        hintNow();
      }
    }).catch(function () { /* one unreadable frame: the next one */ }).then(function () {
      setTimeout(function () { frame(zxing); }, FRAME_GAP_MS);
    });
  }

  function offerTorch() {
    var track = stream && stream.getVideoTracks()[0];
    var capabilities = track && track.getCapabilities ? track.getCapabilities() : {};
    torch.hidden = !capabilities.torch;
    torchOn = false;
    torch.setAttribute("aria-pressed", "false");
    torch.textContent = "☼ Bật đèn";
  }

  function open(deviceId) {
    var video_ = deviceId ? { deviceId: { exact: deviceId } } : { facingMode: { ideal: "environment" } };
    video_.width = { ideal: 1280 };
    video_.height = { ideal: 720 };
    stopStream();
    return navigator.mediaDevices.getUserMedia({ video: video_, audio: false }).then(function (s) {
      stream = s;
      video.srcObject = s;
      video.setAttribute("playsinline", "");
      return video.play();
    }).then(function () {
      offerTorch();
      return navigator.mediaDevices.enumerateDevices();
    }).then(function (devices) {
      cameras = devices.filter(function (d) { return d.kind === "videoinput"; });
      var current = stream.getVideoTracks()[0].getSettings().deviceId;
      cameraIndex = cameras.map(function (c) { return c.deviceId; }).indexOf(current);
      switcher.hidden = cameras.length < 2;
    });
  }

  function start() {
    box.hidden = false;
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      say("Trình duyệt chỉ cho dùng camera khi trang được mở qua HTTPS (hoặc localhost).");
      return;
    }
    say("Đang mở camera…");
    Promise.all([loadDecoder(), open(null)]).then(function (parts) {
      toggle.setAttribute("aria-pressed", "true");
      toggle.textContent = "■ Tắt camera";
      say(HINTS[0]);
      running = true;
      lastDecodeAt = Date.now();
      frame(parts[0]);
    }).catch(function (error) {
      stop();
      box.hidden = false;
      say(error && error.message === "zxing"
        ? "Không tải được bộ đọc mã QR: tải lại trang khi có mạng một lần, hoặc dùng máy quét."
        : "Không mở được camera: hãy cho phép trình duyệt dùng camera, hoặc dùng máy quét.");
    });
  }

  toggle.addEventListener("click", function () {
    if (stream || running) { stop(); } else { start(); }
  });

  switcher.addEventListener("click", function () {
    if (cameras.length < 2) { return; }
    var next = cameras[(cameraIndex + 1) % cameras.length];
    open(next.deviceId).catch(function () { say("Không mở được camera này; thử camera khác."); });
  });

  torch.addEventListener("click", function () {
    var track = stream && stream.getVideoTracks()[0];
    if (!track) { return; }
    torchOn = !torchOn;
    track.applyConstraints({ advanced: [{ torch: torchOn }] }).then(function () {
      torch.setAttribute("aria-pressed", String(torchOn));
      torch.textContent = torchOn ? "☼ Tắt đèn" : "☼ Bật đèn";
    }, function () { torchOn = false; torch.hidden = true; });
  });
})();
