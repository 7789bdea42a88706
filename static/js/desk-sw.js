// The reception desk's service worker, served at /ban/sw.js (checkin.desk_service_worker) and registered for one
// desk's address: /ban/<id> for an enrolled device, /hoi-nghi/<id>/don-tiep for the signed-in desk. It keeps the
// desk page, its stylesheets and scripts and the vendored decoder, so that a reload, a closed tab or a restarted
// laptop opens the desk without network; the delegate list and the queue are in IndexedDB (desk-store.js), never
// here. The desk's page comes from the network first (4 s at most) and is kept; stylesheets and scripts come from the cache
// and are refreshed behind. The API and htmx requests always go to the network. Its caches are "desk-shell-*",
// apart from the delegate pages' "delegate-pages-*".
"use strict";

var CACHE = "desk-shell-v1";
var NETWORK_WAIT_MS = 4000;

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("desk-shell-") === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function keepable(response) {
  // a redirect (to the sign-in page, when a session has ended) is never kept in place of the desk
  return response.ok && !response.redirected && response.type === "basic";
}

// The page asks to keep itself and what it loads (its first visit is not yet controlled); answers with how many.
self.addEventListener("message", function (event) {
  if (!event.data || event.data.type !== "keep" || !Array.isArray(event.data.urls)) { return; }
  var port = event.ports && event.ports[0];
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(event.data.urls.map(function (url) {
      var absolute = new URL(url, self.location.href);
      if (absolute.origin !== self.location.origin) { return false; }
      return fetch(absolute.href, { credentials: "same-origin", cache: "no-cache" }).then(function (response) {
        return keepable(response) ? cache.put(absolute.href, response).then(function () { return true; }) : false;
      }).catch(function () { return false; });
    }));
  }).then(function (kept) {
    if (port) { port.postMessage({ kept: kept.filter(Boolean).length }); }
  }));
});

function withTimeout(promise, ms) {
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () { reject(new Error("timeout")); }, ms);
    promise.then(function (value) { clearTimeout(timer); resolve(value); },
                 function (error) { clearTimeout(timer); reject(error); });
  });
}

function offlinePage() {
  var html = "<!doctype html><html lang=\"vi\"><meta charset=\"utf-8\">" +
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Không có mạng</title>" +
    "<body style=\"font-family:sans-serif;padding:1.5rem;line-height:1.5\"><h1 style=\"font-size:1.3rem\">" +
    "Không có mạng</h1><p>Bàn đón tiếp chưa được lưu trên máy này. Khi có mạng, mở bàn một lần để dùng được " +
    "cả khi mất mạng.</p></body></html>";
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

function page(request) {
  var url = request.url.split("#")[0];
  return caches.open(CACHE).then(function (cache) {
    return withTimeout(fetch(request), NETWORK_WAIT_MS).then(function (response) {
      if (keepable(response)) { cache.put(url, response.clone()); }
      return response;
    }).catch(function () {
      return cache.match(url, { ignoreVary: true }).then(function (kept) { return kept || offlinePage(); });
    });
  });
}

function asset(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request.url, { ignoreVary: true }).then(function (kept) {
      var fresh = fetch(request).then(function (response) {
        if (keepable(response)) { cache.put(request.url, response.clone()); }
        return response;
      });
      if (kept) {
        fresh.catch(function () { return null; });
        return kept;
      }
      return fresh;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || request.headers.get("HX-Request")) { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.indexOf("/api/") === 0) { return; }
  if (request.mode === "navigate") {
    // the desk's own page only: a prefix scope would also take /ban/50 for /ban/5, or a search's result page
    if (url.origin + url.pathname === self.registration.scope) { event.respondWith(page(request)); }
  } else if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(asset(request));
  }
});
