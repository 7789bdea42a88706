// The service worker of the delegate's pages, scoped to /the/ (served from there by rsvp.service_worker): a
// pass, its program and its documents open without network once opened. Pages are fetched from the network
// first and kept; when the network fails the kept copy answers. Stylesheets and scripts are answered from
// the cache and refreshed behind. htmx requests (a live list of speakers) always go to the network.
// Its caches are named "delegate-pages-*"; the reception desk's worker has its own scope and caches.
"use strict";

var CACHE = "delegate-pages-v1";
var NETWORK_WAIT_MS = 4000;

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("delegate-pages-") === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

// A page asks to keep itself and the pages it links to (the first visit is not yet controlled).
self.addEventListener("message", function (event) {
  if (!event.data || event.data.type !== "keep" || !Array.isArray(event.data.urls)) {
    return;
  }
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(event.data.urls.map(function (url) {
      var absolute = new URL(url, self.registration.scope);
      if (absolute.origin !== self.location.origin) {
        return null;
      }
      return fetch(absolute.href, { credentials: "same-origin" }).then(function (response) {
        return response.ok ? cache.put(absolute.href, response) : null;
      }).catch(function () { return null; });
    }));
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
    "Không có mạng</h1><p>Trang này chưa được lưu trên máy. Khi có mạng, mở lại trang một lần để xem được " +
    "cả khi không có mạng.</p></body></html>";
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

function networkFirst(request) {
  return caches.open(CACHE).then(function (cache) {
    return withTimeout(fetch(request), NETWORK_WAIT_MS).then(function (response) {
      if (response.ok) {
        cache.put(request.url, response.clone());
      }
      return response;
    }).catch(function () {
      return cache.match(request.url, { ignoreVary: true, ignoreSearch: false }).then(function (kept) {
        return kept || (request.mode === "navigate" ? offlinePage() : Response.error());
      });
    });
  });
}

function cacheFirst(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request.url, { ignoreVary: true }).then(function (kept) {
      var fresh = fetch(request).then(function (response) {
        if (response.ok) {
          cache.put(request.url, response.clone());
        }
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
  if (request.method !== "GET" || request.headers.get("HX-Request")) {
    return;
  }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (url.href.indexOf(self.registration.scope) === 0) {
    event.respondWith(networkFirst(request));
  } else {
    event.respondWith(cacheFirst(request));
  }
});
