// The reception desk, local first. Each scan (scanner, camera, a name found) is judged at once from the delegate
// list this desk downloaded (green / amber / red), written to the queue in IndexedDB (desk-store.js), then sent;
// the server's answer confirms the panel or corrects it (another desk was first, a withdrawn invitation) and the
// recent list says why. Offline, scans stay queued with their scan time and go up in batches when the network
// returns: a scan is never sent again without its time (the nonce makes a resend harmless), and one the server
// refuses is shown refused with the server's reason. The list refreshes every minute while online.
//
// Two ways in: the signed-in reception page (/hoi-nghi/<id>/don-tiep: session cookie + CSRF header), or an enrolled
// device's desk (/ban/<id>: "Authorization: Bearer <device token>", the token handed over once in the address's
// #token=… and kept in IndexedDB). A token or session the server refuses (401) stops the sending, says so, and
// keeps every queued scan.
(function () {
  "use strict";

  var desk = document.getElementById("desk");
  var store = window.eventappDeskStore;
  if (!desk || !store) { return; }

  var conferenceId = Number(desk.getAttribute("data-conference-id"));
  var deviceMode = desk.getAttribute("data-auth") === "device";
  var urls = {
    delegates: desk.getAttribute("data-api-delegates"),
    checkin: desk.getAttribute("data-api-checkin"),
    batch: desk.getAttribute("data-api-batch"),
    badge: desk.getAttribute("data-badge-url")
  };
  var csrfToken = "";
  try { csrfToken = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; } catch (e) { csrfToken = ""; }

  var CODE_PATTERN = /^(\d{1,10})-\d{40}-\d{6}$/;
  var REFRESH_MS = 60000;
  var RETRY_MS = 5000;
  var REQUEST_TIMEOUT_MS = 5000;
  var BATCH_SIZE = 500;
  var RECENT_SHOWN = 8;

  var form = document.getElementById("scan-form");
  var input = document.getElementById("scan-code");
  var netStatus = document.getElementById("net-status");
  var queueStatus = document.getElementById("queue-status");
  var listAge = document.getElementById("list-age");
  var banner = document.getElementById("offline-banner");
  var refusal = document.getElementById("desk-refused");
  var recent = document.getElementById("recent");
  var badgeLink = document.getElementById("badge-link");
  var undoForm = document.getElementById("undo-form");

  var online = navigator.onLine !== false;
  var token = null;
  var stopped = "";          // why the server refuses this desk (401): nothing is sent until the page is reopened
  var flushing = false;
  var byCode = {};
  var queue = [];            // the scans of the IndexedDB queue, in scan order
  var listRecord = null;     // {loaded_at, list}
  var shownNonce = null;     // the scan the panel shows
  var sending = {};          // nonces of live scans on their way (not sent again by the queue meanwhile)
  var clock = new Intl.DateTimeFormat("vi-VN", { hour: "2-digit", minute: "2-digit", hour12: false, timeZone: "Asia/Ho_Chi_Minh" });
  var dayClock = new Intl.DateTimeFormat("vi-VN", { day: "2-digit", month: "2-digit", hour: "2-digit", minute: "2-digit", hour12: false, timeZone: "Asia/Ho_Chi_Minh" });

  // A User Timing measure (bench/bench_desk_browser.py reads them; the browser's tools show them).
  function measure(name, started) {
    if (performance.measure) { performance.measure(name, { start: started, end: performance.now() }); }
  }
  function timeOf(iso) { return iso ? clock.format(new Date(iso)) : ""; }
  function nonce() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // --- the list --------------------------------------------------------------------------------------
  function useList(record) {
    listRecord = record;
    byCode = {};
    ((record && record.list && record.list.delegates) || []).forEach(function (d) { byCode[d.code] = d; });
    // scans still queued here count as arrivals even if the server does not know them yet
    queue.forEach(function (s) {
      var d = byCode[s.code];
      if (d && d.admitted !== false && !d.checked_in_at) { d.checked_in_at = s.scanned_at; d.desk = ""; }
    });
    showListAge();
  }

  function showListAge() {
    if (!listAge) { return; }
    if (!listRecord) {
      listAge.textContent = "Chưa tải danh sách đại biểu";
      return;
    }
    var at = new Date(listRecord.loaded_at);
    var when = (new Date().toDateString() === at.toDateString() ? clock : dayClock).format(at);
    listAge.textContent = "Danh sách tải lúc " + when + " · " + Object.keys(byCode).length + " đại biểu";
    banner.querySelector("[data-list-age]").textContent = " (danh sách tải lúc " + when + ")";
    desk.setAttribute("data-list-loaded-at", listRecord.loaded_at);
  }

  // --- network ---------------------------------------------------------------------------------------
  function request(method, url, payload) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, REQUEST_TIMEOUT_MS) : null;
    var headers = { "Accept": "application/json" };
    if (deviceMode) { headers.Authorization = "Bearer " + token; } else { headers["X-CSRFToken"] = csrfToken; }
    var options = { method: method, credentials: deviceMode ? "omit" : "same-origin", headers: headers,
                    cache: "no-store", signal: controller ? controller.signal : undefined };
    if (payload !== undefined) {
      headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(payload);
    }
    return fetch(url, options).then(function (response) {
      if (timer) { clearTimeout(timer); }
      if (response.status >= 500) {  // busy or failing: the scan stays queued, the network is not blamed
        var busy = new Error("server " + response.status);
        busy.busy = true;
        throw busy;
      }
      return response.json().then(function (body) { return { status: response.status, body: body || {} }; });
    }, function (error) {
      if (timer) { clearTimeout(timer); }
      throw error;
    });
  }

  function allowed() { return !stopped && (!deviceMode || token); }
  function canSend() { return online && allowed(); }

  function setOnline(value) {
    var changed = online !== value;
    online = value;
    netStatus.textContent = value ? "Trực tuyến" : "Mất mạng";
    netStatus.className = "net " + (value ? "net-online" : "net-offline");
    banner.hidden = value;
    desk.classList.toggle("is-offline", !value);
    if (undoForm) {
      var undoButton = undoForm.querySelector("button");
      undoButton.disabled = !value;
      undoButton.title = value ? "" : "Cần có mạng để hoàn tác";
    }
    if (value && changed) { flushQueue(); }
  }

  // The server refuses this desk (401): a device token revoked or unknown (its message says which), or, at the
  // signed-in desk, a session that has ended (a browser restarted, SESSION_HOURS passed).
  function refuseDesk(body) {
    stopped = deviceMode ? ((body && body.message) || "Máy chủ từ chối mã thiết bị của bàn này.")
      : "Phiên đăng nhập đã hết (hết giờ, hoặc trình duyệt vừa khởi động lại): đăng nhập lại rồi mở lại bàn để gửi.";
    refusal.hidden = false;
    refusal.querySelector("[data-why]").textContent = stopped;
    desk.setAttribute("data-refused", "true");
    showQueue();
  }

  function showQueue() {
    queueStatus.hidden = queue.length === 0;
    queueStatus.textContent = queue.length + " lượt quét chờ gửi";
    desk.setAttribute("data-queued", String(queue.length));
  }

  // Download the list; ``probe``: also while offline, to find out whether the server can be reached again.
  function refreshList(probe) {
    if (!allowed() || (!online && !probe)) { return Promise.resolve(); }
    var started = performance.now();
    return request("GET", urls.delegates).then(function (r) {
      if (r.status === 401) { refuseDesk(r.body); return null; }
      if (r.status !== 200 || !r.body.delegates) { return null; }
      return store.putList(conferenceId, r.body).then(function (record) {
        useList(record);
        measure("desk-list-downloaded", started);  // download, IndexedDB write, list in memory
        desk.setAttribute("data-synced-at", r.body.synced_at || record.loaded_at);
        if (!online) { setOnline(true); }
      });
    }, function (error) { if (online && !error.busy) { setOnline(false); } });
  }

  // Send what is queued: one batch at a time, each scan with its own scan time.
  function flushQueue() {
    if (flushing || queue.length === 0 || !canSend()) { return; }
    flushing = true;
    var chunk = queue.filter(function (s) { return !sending[s.nonce]; }).slice(0, BATCH_SIZE);
    if (!chunk.length) { flushing = false; return; }
    var payload = chunk.map(function (s) { return { code: s.code, nonce: s.nonce, scanned_at: s.scanned_at }; });
    request("POST", urls.batch, { scans: payload }).then(function (r) {
      flushing = false;
      if (r.status === 401) { refuseDesk(r.body); return; }
      if (r.status !== 200 || !Array.isArray(r.body.results)) { return; }
      var answered = [];
      chunk.forEach(function (scan, i) {
        var answer = r.body.results[i];
        if (!answer || answer.status >= 500) { return; }  // the server was busy: the scan stays queued
        answered.push(scan);
        confirmed(scan, answer, answer.status);
      });
      forget(answered).then(function () {
        if (queue.length) { setTimeout(flushQueue, 200); } else { refreshList(); }
      });
    }, function (error) {
      flushing = false;
      if (!error.busy) { setOnline(false); }
    });
  }

  function forget(scans) {
    var gone = {};
    scans.forEach(function (s) { gone[s.nonce] = true; });
    queue = queue.filter(function (s) { return !gone[s.nonce]; });
    showQueue();
    return store.dequeue(Object.keys(gone));
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
    if (result === "checking") { return "idle"; }
    return "bad";
  }

  // "Đã vào lúc 07:42 ở Bàn 2": the server's words when it gives them, else made from the time (and desk).
  function firstArrival(body) {
    if (body.message && /lúc/.test(body.message)) { return body.message; }
    var where = body.desk ? " ở " + body.desk : "";
    return "Đã vào lúc " + (body.time || timeOf(body.checked_in_at)) + where;
  }

  function headline(body) {
    if (body.result === "ok") { return "✓ Check-in thành công" + (body.checked_in_at ? " · " + timeOf(body.checked_in_at) : ""); }
    if (body.result === "already_checked_in") { return "⚠ " + firstArrival(body).replace(/^Đã vào/, "Đã check-in"); }
    if (body.result === "checking") { return "… Đang kiểm tra với máy chủ"; }
    return "✕ " + (body.reason || body.message || "Không check-in được");
  }

  // state: "local" (judged here, waiting for the server), "queued" (offline, kept on this machine),
  // "confirmed" (the server's answer).
  function show(body, scanNonce, state) {
    var old = document.getElementById("result");
    var panel = el("section", "result result-" + toneOf(body.result) + (state === "queued" ? " result-pending" : ""));
    panel.id = "result";
    panel.setAttribute("role", "status");
    panel.setAttribute("aria-live", "assertive");
    panel.setAttribute("data-result", body.result || "");
    panel.setAttribute("data-state", state);
    panel.setAttribute("data-nonce", scanNonce || "");
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
    if (state === "queued") {
      panel.appendChild(el("p", "result-note", stopped
        ? "Chưa gửi được (máy chủ từ chối bàn này): lượt quét được giữ trên máy."
        : "Đang mất mạng: đã lưu trên máy, sẽ gửi khi có mạng."));
    }
    if (state === "corrected") {
      panel.appendChild(el("p", "result-note", body.result === "already_checked_in"
        ? "Máy chủ cho biết người này đã được check-in trước (ở bàn khác): lượt này là lặp lại."
        : "Máy chủ sửa lại kết quả vừa hiện theo danh sách trên máy."));
    }
    old.parentNode.replaceChild(panel, old);
    shownNonce = scanNonce;
    afterResult(panel);
  }

  function afterResult(panel) {
    var checkinId = panel.getAttribute("data-checkin-id");
    var delegateId = panel.getAttribute("data-delegate-id");
    var hidden = undoForm && undoForm.querySelector("input[name=checkin_id]");
    if (hidden && panel.getAttribute("data-result") === "ok") { hidden.value = checkinId || ""; }
    if (delegateId && badgeLink) {
      badgeLink.href = urls.badge.replace(/\/0$/, "/" + delegateId);
      badgeLink.hidden = false;
    }
    if (panel.classList.contains("flash-in")) {  // a panel swapped in by htmx: restart its animation
      panel.classList.remove("flash-in");
      void panel.offsetWidth;
    }
    panel.classList.add("flash-in");
  }

  function recentWords(body, state) {
    if (state === "queued") { return (body.result === "ok" ? "Đã vào" : toneOf(body.result) === "again" ? "Lặp lại" : "Từ chối") + " · chờ gửi"; }
    if (body.result === "ok") { return "Đã vào"; }
    if (body.result === "already_checked_in") { return "Lặp lại · " + firstArrival(body).replace(/^Đ/, "đ"); }
    if (body.result === "checking") { return "Đang kiểm tra"; }
    return "Từ chối · " + (body.reason || body.message || body.result);
  }

  function addRecent(scan, body, state) {
    var item = recent.querySelector('[data-nonce="' + scan.nonce + '"]');
    var fresh = !item;
    if (fresh) { item = el("li"); item.setAttribute("data-nonce", scan.nonce); }
    item.className = "recent-" + toneOf(body.result) + (state === "corrected" ? " recent-corrected" : "");
    item.setAttribute("data-result", body.result || "");
    item.textContent = "";
    var d = body.delegate;
    item.appendChild(el("span", "recent-time", timeOf(scan.scanned_at)));
    item.appendChild(el("span", "recent-name", d ? d.name : scan.code.slice(0, 24)));
    item.appendChild(el("span", "recent-result", recentWords(body, state)));
    if (fresh) {
      recent.insertBefore(item, recent.firstChild);
      while (recent.children.length > RECENT_SHOWN) { recent.removeChild(recent.lastChild); }
    }
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

  // --- judging ---------------------------------------------------------------------------------------
  function person(d) {
    return { id: d.id, name: d.name, position: d.position, agency: d.agency, replaces_name: d.replaces_name };
  }

  // The list's check-in window, when the server gives one ({"opens_at", "closes_at"}): a scan outside it is refused
  // here as the server will refuse it.
  function outsideWindow(iso) {
    var window_ = listRecord && listRecord.list && listRecord.list.window;
    if (!window_) { return ""; }
    if (window_.opens_at && iso < new Date(window_.opens_at).toISOString()) {
      return "Chưa đến giờ check-in (mở lúc " + dayClock.format(new Date(window_.opens_at)) + ")";
    }
    if (window_.closes_at && iso > new Date(window_.closes_at).toISOString()) {
      return "Đã hết giờ check-in (đóng lúc " + dayClock.format(new Date(window_.closes_at)) + ")";
    }
    return "";
  }

  // A multi-day conference counts arrivals per day (the list then says its "day"): yesterday's check-in does not
  // make today's scan a repeat.
  var dayOf = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Ho_Chi_Minh" });
  function sameDayAsNow(iso) {
    if (!(listRecord && listRecord.list && listRecord.list.day)) { return true; }
    return dayOf.format(new Date(iso)) === dayOf.format(new Date());
  }

  // The answer the list gives, at once; a first arrival is noted in the list.
  function judge(scan) {
    var match = CODE_PATTERN.exec(scan.code);
    if (!match) { return { result: "invalid_code", message: "Mã không hợp lệ (không phải thẻ do hội nghị phát hành)" }; }
    if (Number(match[1]) !== conferenceId) { return { result: "other_conference", message: "Thẻ của hội nghị khác" }; }
    var outside = outsideWindow(scan.scanned_at);
    if (outside) { return { result: "outside_window", message: outside }; }
    var d = byCode[scan.code];
    if (!d) {
      return online ? { result: "checking" } : { result: "unknown_code", message: "Mã không có trong danh sách đã tải" };
    }
    if (d.checked_in_at && !sameDayAsNow(d.checked_in_at)) { d.checked_in_at = null; d.desk = ""; }
    if (d.admitted === false) { return { result: "not_admitted", reason: d.reason, delegate: person(d) }; }
    if (d.checked_in_at) {
      return { result: "already_checked_in", checked_in_at: d.checked_in_at, desk: d.desk || "", delegate: person(d) };
    }
    d.checked_in_at = scan.scanned_at;
    return { result: "ok", checked_in_at: scan.scanned_at, delegate: person(d) };
  }

  // The server has answered a scan: the list learns it, and the panel and the recent list change if it differs.
  function confirmed(scan, body, status) {
    var d = byCode[scan.code];
    if (d && (body.result === "ok" || body.result === "already_checked_in")) {
      d.checked_in_at = body.checked_in_at || d.checked_in_at;
      if (body.desk) { d.desk = body.desk; }
    }
    if (d && body.result === "not_admitted") { d.admitted = false; d.reason = body.reason || body.message; }
    if (d && body.result === "ok" && scan.local === "already_checked_in") { d.checked_in_at = body.checked_in_at; }
    var differs = scan.local && scan.local !== "checking" && toneOf(scan.local) !== toneOf(body.result);
    var state = differs ? "corrected" : "confirmed";
    addRecent(scan, body, state);
    if (shownNonce === scan.nonce) {
      show(body, scan.nonce, state);
      if (differs) { beep(body.result); }
    }
    desk.setAttribute("data-last-status", String(status));
  }

  function handleScan(code) {
    var started = performance.now();
    var scan = { code: code, nonce: nonce(), scanned_at: new Date().toISOString(), conference_id: conferenceId };
    var local = judge(scan);
    scan.local = local.result;
    var state = canSend() ? "local" : "queued";
    show(local, scan.nonce, state);
    measure("desk-scan-shown", started);  // judged from the list and in the page, before the browser paints it
    queue.push(scan);
    var saved = store.enqueue(scan);
    beep(local.result);
    addRecent(scan, local, state);
    showQueue();
    if (!canSend()) { return saved; }
    // sent at once, without a scan time (the server's clock dates a live scan); if it does not get through it
    // stays queued and goes later with its own scan time
    sending[scan.nonce] = true;
    return request("POST", urls.checkin, { code: scan.code, nonce: scan.nonce }).then(function (r) {
      delete sending[scan.nonce];
      if (r.status === 401) {
        refuseDesk(r.body);
        if (shownNonce === scan.nonce) { show(local, scan.nonce, "queued"); }
        addRecent(scan, local, "queued");
        return;
      }
      confirmed(scan, r.body, r.status);
      return saved.then(function () { return forget([scan]); });
    }, function (error) {
      delete sending[scan.nonce];
      if (!error.busy) { setOnline(false); }
      if (shownNonce === scan.nonce) { show(local, scan.nonce, "queued"); }
      addRecent(scan, local, "queued");
    });
  }

  // The scans still queued from before this page was opened (a reload, a closed tab) are listed as waiting.
  function showQueued() {
    queue.slice(-RECENT_SHOWN).forEach(function (scan) {
      var d = byCode[scan.code];
      addRecent(scan, { result: scan.local || "ok", delegate: d ? person(d) : null }, "queued");
    });
  }

  // --- the page --------------------------------------------------------------------------------------
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var code = input.value.trim();
    input.value = "";
    input.focus({ preventScroll: true });
    if (code) { handleScan(code); }
  });

  function editable(node) {
    if (!node || node === document.body) { return false; }
    if (node.isContentEditable) { return true; }
    var tag = node.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT") { return true; }
    return tag === "INPUT" && !/^(button|submit|reset|checkbox|radio|hidden)$/i.test(node.type);
  }
  input.addEventListener("blur", function () {
    setTimeout(function () {
      if (!editable(document.activeElement)) { input.focus({ preventScroll: true }); }
    }, 120);
  });

  // Answers of the desk's htmx forms (check-in by name, walk-ins, substitutes, undo) land in the same panel.
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "result") {
      var panel = document.getElementById("result");
      shownNonce = null;
      afterResult(panel);
      beep(panel.getAttribute("data-result"));
      var owner = event.detail.requestConfig && event.detail.requestConfig.elt;
      if (owner && owner.classList && owner.classList.contains("reset-after")) { owner.reset(); owner.closest("details").open = false; }
      input.focus({ preventScroll: true });
    }
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

  window.eventappDesk = {
    scan: handleScan,
    isOnline: function () { return online; },
    delegates: function () { return Object.keys(byCode).map(function (k) { return byCode[k]; }); }
  };

  // An enrolled desk receives its token once, in the address's fragment: keep it, then take it out of the
  // address bar (and of the history) so that it is neither bookmarked nor shown over a shoulder.
  function takeToken() {
    if (!deviceMode) { return Promise.resolve(); }
    var match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
    var saving = Promise.resolve();
    if (match) {
      saving = store.putToken(conferenceId, decodeURIComponent(match[1]));
      window.history.replaceState(null, "", window.location.pathname + window.location.search);
    }
    return saving.then(function () { return store.getToken(conferenceId); }).then(function (saved) {
      token = saved;
      if (!token) {
        refuseDesk({ message: "Máy này chưa được đăng ký làm bàn đón tiếp của hội nghị: mở đường liên kết (hoặc quét mã QR) đăng ký bàn do ban tổ chức đưa." });
      }
    });
  }

  function start() {
    setOnline(online);
    window.addEventListener("online", function () { refreshList(true); });
    window.addEventListener("offline", function () { setOnline(false); });
    input.focus({ preventScroll: true });
    var opened = performance.now();
    return takeToken()
      .then(function () { return store.migrateLocalStorage(conferenceId); })
      .then(function () { return store.queued(conferenceId); })
      .then(function (scans) {
        queue = scans;
        showQueue();
        return store.getList(conferenceId);
      })
      .then(function (record) {
        if (record) { useList(record); } else { showListAge(); }
        showQueued();
        measure("desk-list-opened", opened);  // the list and the queue read back from IndexedDB
        desk.setAttribute("data-ready", "true");
        return refreshList(navigator.onLine !== false);
      })
      .then(function () {
        flushQueue();
        setInterval(refreshList, REFRESH_MS);
        // while online, send what is queued; while the server cannot be reached, ask again now and then
        setInterval(function () {
          if (online) { flushQueue(); } else if (navigator.onLine !== false) { refreshList(true); }
        }, RETRY_MS);
      });
  }

  start().catch(function (error) {
    desk.setAttribute("data-ready", "true");
    var area = document.getElementById("flash-area");
    if (area) {
      area.appendChild(el("div", "flash flash-warning", "Trình duyệt không cho lưu dữ liệu trên máy (IndexedDB: " +
        error + "): bàn vẫn quét khi có mạng, nhưng không giữ được lượt quét nào khi mất mạng."));
    }
  });
})();
