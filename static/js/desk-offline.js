// The reception desk opens without network: register the desk's service worker (desk-sw.js, served at /ban/sw.js)
// for this desk's address, and ask it to keep this page, what it loads and the camera's decoder (loaded only when
// the camera is turned on). #desk gets data-offline-ready once all of it is kept. No inline script: the CSP
// forbids them.
(function () {
  "use strict";

  var desk = document.getElementById("desk");
  if (!desk || !("serviceWorker" in navigator)) { return; }
  var worker = desk.getAttribute("data-sw");
  var scope = desk.getAttribute("data-sw-scope");
  if (!worker || !scope) { return; }

  function urlsToKeep() {
    var urls = [window.location.pathname];
    Array.prototype.forEach.call(document.querySelectorAll("link[rel=stylesheet], link[rel=icon], script[src]"),
      function (element) { urls.push(element.href || element.src); });
    var camera = document.getElementById("camera");
    if (camera) { urls.push(camera.getAttribute("data-zxing"), camera.getAttribute("data-zxing-wasm")); }
    return urls.filter(Boolean);
  }

  function keep(registration) {
    if (!registration.active) { return; }
    var channel = new MessageChannel();
    channel.port1.onmessage = function (event) {
      if (event.data && event.data.kept) { desk.setAttribute("data-offline-ready", String(event.data.kept)); }
    };
    registration.active.postMessage({ type: "keep", urls: urlsToKeep() }, [channel.port2]);
  }

  window.addEventListener("load", function () {
    navigator.serviceWorker.register(worker, { scope: scope }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function () {
      return navigator.serviceWorker.getRegistration(scope);
    }).then(function (registration) {
      if (registration) { keep(registration); }
    }).catch(function () {
      desk.setAttribute("data-offline-ready", "0");  // no service worker (private mode, plain http): online only
    });
  });
})();
