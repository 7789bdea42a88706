// The reception desk: scans from a handheld scanner (typed + Enter) or the camera, answered at once;
// offline, scans are judged against the downloaded delegate list and queued in localStorage with a nonce
// and their scan time, then uploaded in batches when the network returns (the nonce makes a resend harmless).
(function () {
  "use strict";

  var desk = document.getElementById("desk");
  if (!desk) { return; }

  var conferenceId = desk.getAttribute("data-conference-id");
  var urls = {
    delegates: desk.getAttribute("data-api-delegates"),
    checkin: desk.getAttribute("data-api-checkin"),
    batch: desk.getAttribute("data-api-batch"),
    badge: desk.getAttribute("data-badge-url")
  };
  var csrfToken = "";
  try { csrfToken = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; } catch (e) { csrfToken = ""; }

  var QUEUE_KEY = "eventapp.checkin.queue." + conferenceId;
  var LIST_KEY = "eventapp.checkin.delegates." + conferenceId;
  var CODE_PATTERN = /^(\d{1,10})-\d{40}-\d{6}$/;
  var REFRESH_MS = 30000;
  var REQUEST_TIMEOUT_MS = 5000;

  var form = document.getElementById("scan-form");
  var input = document.getElementById("scan-code");
  var netStatus = document.getElementById("net-status");
  var queueStatus = document.getElementById("queue-status");
  var banner = document.getElementById("offline-banner");
  var recent = document.getElementById("recent");
  var badgeLink = document.getElementById("badge-link");
  var undoForm = document.getElementById("undo-form");

  var online = navigator.onLine !== false;
  var flushing = false;
  var byCode = {};
  var clock = new Intl.DateTimeFormat("vi-VN", { hour: "2-digit", minute: "2-digit", hour12: false, timeZone: "Asia/Ho_Chi_Minh" });

  // --- storage -----------------------------------------------------------------------------------
  function readJSON(key, fallback) {
    try { var v = JSON.parse(window.localStorage.getItem(key)); return v === null ? fallback : v; } catch (e) { return fallback; }
  }
  function writeJSON(key, value) {
    try { window.localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* full or disabled: keep in memory */ }
  }
  var queue = readJSON(QUEUE_KEY, []);
  function saveQueue() { writeJSON(QUEUE_KEY, queue); showQueue(); }

  function loadList(data) {
    byCode = {};
    (data.delegates || []).forEach(function (d) { byCode[d.code] = d; });
    // scans still queued here count as arrivals even if the server does not know them yet
    queue.forEach(function (s) {
      var d = byCode[s.code];
      if (d && d.admitted !== false && !d.checked_in_at) { d.checked_in_at = s.scanned_at; }
    });
  }
  loadList(readJSON(LIST_KEY, { delegates: [] }));

  function nonce() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function timeOf(iso) { return iso ? clock.format(new Date(iso)) : ""; }

  // --- network -----------------------------------------------------------------------------------
  function request(method, url, payload) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, REQUEST_TIMEOUT_MS) : null;
    var options = {
      method: method,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken },
      signal: controller ? controller.signal : undefined
    };
    if (payload !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(payload);
    }
    return fetch(url, options).then(function (response) {
      if (timer) { clearTimeout(timer); }
      if (response.status >= 500 || response.status === 0) { throw new Error("server " + response.status); }
      return response.json().then(function (body) { return { status: response.status, body: body }; });
    }, function (error) {
      if (timer) { clearTimeout(timer); }
      throw error;
    });
  }

  function setOnline(value) {
    online = value;
    netStatus.textContent = value ? "Trực tuyến" : "Mất mạng";
    netStatus.className = "net " + (value ? "net-online" : "net-offline");
    banner.hidden = value;
    desk.classList.toggle("is-offline", !value);
    var undoButton = undoForm.querySelector("button");
    if (undoButton) {
      undoButton.disabled = !value;
      undoButton.title = value ? "" : "Cần có mạng để hoàn tác";
    }
    if (value) { flushQueue(); }
  }

  function showQueue() {
    queueStatus.hidden = queue.length === 0;
    queueStatus.textContent = queue.length + " lượt quét chờ gửi";
  }

  function refreshList() {
    return request("GET", urls.delegates).then(function (r) {
      if (r.status === 200) {
        writeJSON(LIST_KEY, r.body);
        loadList(r.body);
        desk.setAttribute("data-synced-at", r.body.synced_at || "");
        if (!online) { setOnline(true); }
      } else if (r.status === 401) {
        notice("Phiên đăng nhập đã hết hạn: đăng nhập lại để gửi các lượt quét.");
      }
    }, function () { if (online) { setOnline(false); } });
  }

  function flushQueue() {
    if (flushing || queue.length === 0 || !online) { return; }
    flushing = true;
    var chunk = queue.slice(0, 500);
    request("POST", urls.batch, { scans: chunk }).then(function (r) {
      flushing = false;
      if (r.status === 401) { notice("Phiên đăng nhập đã hết hạn: đăng nhập lại để gửi các lượt quét."); return; }
      if (r.status !== 200 || !r.body.results) { return; }
      var sent = {};
      var retry = [];
      chunk.forEach(function (scan, i) {
        var answer = r.body.results[i] || {};
        if (answer.status >= 500) { return; }  // the server was busy: the scan stays queued
        sent[scan.nonce] = true;
        // a scan time the server will not believe (a wrong clock): keep the scan, let the server date it
        if (answer.result === "invalid_request" && scan.scanned_at) {
          retry.push({ code: scan.code, nonce: scan.nonce, scanned_at: null });
        }
        if (answer.delegate && (answer.result === "ok" || answer.result === "already_checked_in")) {
          var d = byCode[scan.code];
          if (d) { d.checked_in_at = answer.checked_in_at; }
        }
      });
      queue = queue.filter(function (scan) { return !sent[scan.nonce]; }).concat(retry);
      saveQueue();
      if (queue.length) { setTimeout(flushQueue, 200); } else { refreshList(); }
    }, function () {
      flushing = false;
      setOnline(false);
    });
  }

  // --- answers ---------------------------------------------------------------------------------------
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function toneOf(result) {
    if (result === "ok") { return "ok"; }
    if (result === "already_checked_in") { return "again"; }
    return "bad";
  }

  function headline(body) {
    if (body.result === "ok") { return "✓ Check-in thành công" + (body.checked_in_at ? " · " + timeOf(body.checked_in_at) : ""); }
    if (body.result === "already_checked_in") { return "⚠ Đã check-in lúc " + timeOf(body.checked_in_at); }
    return "✕ " + (body.reason || body.message || "Không check-in được");
  }

  function show(body, pending) {
    var old = document.getElementById("result");
    var panel = el("section", "result result-" + toneOf(body.result) + (pending ? " result-pending" : ""));
    panel.id = "result";
    panel.setAttribute("role", "status");
    panel.setAttribute("aria-live", "assertive");
    panel.setAttribute("data-result", body.result || "");
    var d = body.delegate || null;
    panel.setAttribute("data-checkin-id", body.checkin_id || "");
    panel.setAttribute("data-delegate-id", d ? d.id : "");
    panel.appendChild(el("p", "result-head", headline(body)));
    if (d) {
      panel.appendChild(el("p", "result-name", d.name));
      var meta = [d.position, d.agency].filter(Boolean).join(" · ");
      if (meta) { panel.appendChild(el("p", "result-meta", meta)); }
      if (d.replaces_name) { panel.appendChild(el("p", "result-note", "Đi thay: " + d.replaces_name)); }
    }
    if (pending) { panel.appendChild(el("p", "result-note", "Đang mất mạng: đã lưu trên máy, sẽ gửi khi có mạng.")); }
    old.parentNode.replaceChild(panel, old);
    afterResult(panel);
    beep(body.result);
    addRecent(body, pending);
  }

  function afterResult(panel) {
    var checkinId = panel.getAttribute("data-checkin-id");
    var delegateId = panel.getAttribute("data-delegate-id");
    var hidden = undoForm.querySelector("input[name=checkin_id]");
    if (hidden && panel.getAttribute("data-result") === "ok") { hidden.value = checkinId || ""; }
    if (delegateId && badgeLink) {
      badgeLink.href = urls.badge.replace(/\/0$/, "/" + delegateId);
      badgeLink.hidden = false;
    }
    panel.classList.remove("flash-in");
    void panel.offsetWidth;
    panel.classList.add("flash-in");
  }

  function addRecent(body, pending) {
    var item = el("li", "recent-" + toneOf(body.result));
    var d = body.delegate;
    item.appendChild(el("span", "recent-time", clock.format(new Date())));
    item.appendChild(el("span", "recent-name", d ? d.name : (body.message || body.result)));
    item.appendChild(el("span", "recent-result", body.result === "ok" ? "Đã vào" : (body.result === "already_checked_in" ? "Lặp lại" : "Từ chối")
      + (pending ? " · chờ gửi" : "")));
    recent.insertBefore(item, recent.firstChild);
    while (recent.children.length > 6) { recent.removeChild(recent.lastChild); }
  }

  var audio = null;
  function beep(result) {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      osc.frequency.value = result === "ok" ? 880 : (result === "already_checked_in" ? 520 : 200);
      osc.type = result === "ok" ? "sine" : "square";
      gain.gain.value = 0.08;
      osc.connect(gain);
      gain.connect(audio.destination);
      osc.start();
      osc.stop(audio.currentTime + (result === "ok" ? 0.12 : 0.35));
    } catch (e) { /* no sound: the colour says it */ }
  }

  function notice(text) {
    var area = document.getElementById("flash-area");
    if (!area) { return; }
    var box = el("div", "flash flash-warning", text);
    box.setAttribute("role", "alert");
    area.textContent = "";
    area.appendChild(box);
  }

  // Judge a scan with the downloaded list when the server cannot be asked.
  function judgeOffline(scan) {
    var match = CODE_PATTERN.exec(scan.code);
    if (!match) { return { result: "invalid_code", message: "Mã không hợp lệ" }; }
    if (match[1] !== String(conferenceId)) { return { result: "other_conference", message: "Thẻ của hội nghị khác" }; }
    var d = byCode[scan.code];
    if (!d) { return { result: "unknown_code", message: "Mã không có trong danh sách đã tải" }; }
    var person = { id: d.id, name: d.name, position: d.position, agency: d.agency, replaces_name: d.replaces_name };
    if (d.admitted === false) { return { result: "not_admitted", reason: d.reason, delegate: person }; }
    if (d.checked_in_at) { return { result: "already_checked_in", checked_in_at: d.checked_in_at, delegate: person }; }
    d.checked_in_at = scan.scanned_at;
    return { result: "ok", checked_in_at: scan.scanned_at, delegate: person };
  }

  function enqueue(scan) {
    queue.push(scan);
    saveQueue();
  }

  function handleScan(code) {
    var scan = { code: code, nonce: nonce(), scanned_at: new Date().toISOString() };
    if (!online) {
      enqueue(scan);
      show(judgeOffline(scan), true);
      return;
    }
    request("POST", urls.checkin, { code: scan.code, nonce: scan.nonce }).then(function (r) {
      if (r.status === 401) { notice("Phiên đăng nhập đã hết hạn: đăng nhập lại."); }
      var d = byCode[code];
      if (d && (r.body.result === "ok" || r.body.result === "already_checked_in")) { d.checked_in_at = r.body.checked_in_at; }
      show(r.body, false);
    }, function () {
      setOnline(false);
      enqueue(scan);
      show(judgeOffline(scan), true);
    });
  }

  // --- the scan box keeps the focus ------------------------------------------------------------------
  function editable(node) {
    if (!node || node === document.body) { return false; }
    if (node.isContentEditable) { return true; }
    var tag = node.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT") { return true; }
    return tag === "INPUT" && !/^(button|submit|reset|checkbox|radio|hidden)$/i.test(node.type);
  }
  function refocus() {
    if (!editable(document.activeElement) || document.activeElement === input) {
      input.focus({ preventScroll: true });
    }
  }
  input.addEventListener("blur", function () { setTimeout(refocus, 120); });
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (!editable(event.target) && (event.key.length === 1 || event.key === "Enter") && event.target.tagName !== "BUTTON" && event.target.tagName !== "A" && event.target.tagName !== "SUMMARY") {
      input.focus({ preventScroll: true });
    }
  });
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "result") {
      var panel = document.getElementById("result");
      afterResult(panel);
      beep(panel.getAttribute("data-result"));
      var owner = event.detail.requestConfig && event.detail.requestConfig.elt;
      if (owner && owner.classList && owner.classList.contains("reset-after")) { owner.reset(); owner.closest("details").open = false; }
      input.focus({ preventScroll: true });
    }
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var code = input.value.trim();
    input.value = "";
    input.focus({ preventScroll: true });
    if (code) { handleScan(code); }
  });

  // "Người đi thay" next to a search result fills the substitute form.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-substitute-for]");
    if (!button) { return; }
    var box = document.getElementById("substitute-box");
    document.getElementById("sub-replaced_id").value = button.getAttribute("data-substitute-for");
    document.getElementById("substitute-for").textContent = "Đi thay cho: " + button.getAttribute("data-substitute-name");
    box.open = true;
    var name = box.querySelector("input[name='sub-full_name']");
    if (name) { name.focus(); }
  });

  // --- camera ----------------------------------------------------------------------------------------
  window.eventappDesk = { scan: handleScan, isOnline: function () { return online; } };

  // --- start -----------------------------------------------------------------------------------------
  window.addEventListener("online", function () { refreshList(); setOnline(true); });
  window.addEventListener("offline", function () { setOnline(false); });
  setOnline(online);
  showQueue();
  refreshList();
  setInterval(function () { if (navigator.onLine !== false) { refreshList(); } flushQueue(); }, REFRESH_MS);
  setInterval(flushQueue, 5000);
  input.focus({ preventScroll: true });
  desk.setAttribute("data-ready", "true");
})();
