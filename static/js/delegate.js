// The delegate's pages (pass, program, documents, list of speakers): keep them on the phone for offline use
// through the service worker of /the/, say when a page is the copy kept offline, and share a link (the Web
// Share API where the phone has it, else copy the link). No inline scripts: the CSP forbids them.
(function () {
  "use strict";

  var script = document.currentScript;

  function keepForOffline() {
    var worker = script && script.getAttribute("data-sw");
    if (!worker || !("serviceWorker" in navigator)) {
      return;
    }
    // This page, what it loads (stylesheets, scripts, icon) and the pages it lists for offline reading.
    var pages = [window.location.pathname];
    Array.prototype.forEach.call(document.querySelectorAll("link[rel=stylesheet], link[rel=icon], script[src]"),
      function (element) { pages.push(element.href || element.src); });
    var listed = document.querySelector("[data-offline-pages]");
    if (listed) {
      try {
        pages = pages.concat(JSON.parse(listed.getAttribute("data-offline-pages")));
      } catch (error) { /* an unreadable list: keep this page only */ }
    }
    navigator.serviceWorker.register(worker, { scope: script.getAttribute("data-sw-scope") }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      if (registration.active) {
        registration.active.postMessage({ type: "keep", urls: pages });
      }
    }).catch(function () { /* no service worker (private mode, http): the page works online */ });
  }

  function showOfflineNotes() {
    var offline = navigator.onLine === false;
    Array.prototype.forEach.call(document.querySelectorAll("[data-offline-note]"), function (note) {
      note.hidden = !offline;
    });
  }

  function copy(text, done) {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallbackCopy(text, done); });
    } else {
      fallbackCopy(text, done);
    }
  }

  function fallbackCopy(text, done) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    document.execCommand("copy");
    area.remove();
    done();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-share]");
    if (!button) {
      return;
    }
    var data = {
      title: button.getAttribute("data-share-title") || document.title,
      text: button.getAttribute("data-share-text") || "",
      url: button.getAttribute("data-share")
    };
    var said = function () {
      var old = button.textContent;
      button.textContent = "Đã sao chép đường liên kết";
      button.setAttribute("data-shared", "copied");
      setTimeout(function () { button.textContent = old; }, 2500);
    };
    if (navigator.share && (!navigator.canShare || navigator.canShare(data))) {
      navigator.share(data).then(function () {
        button.setAttribute("data-shared", "shared");
      }, function (error) {
        if (!error || error.name !== "AbortError") {
          copy(data.url, said);
        }
      });
    } else {
      copy(data.url, said);
    }
  });

  window.addEventListener("online", showOfflineNotes);
  window.addEventListener("offline", showOfflineNotes);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { showOfflineNotes(); keepForOffline(); });
  } else {
    showOfflineNotes();
    keepForOffline();
  }
})();
