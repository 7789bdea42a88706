// What a reception desk keeps on the machine, in IndexedDB (plain, no library): the last delegate list of each
// conference, the queue of scans not yet confirmed by the server, and an enrolled desk's device token. A queue
// left in localStorage by the desk's earlier versions is moved here once. Every function returns a Promise.
(function () {
  "use strict";

  var DB_NAME = "eventapp-desk";
  var DB_VERSION = 1;
  var OLD_QUEUE_PREFIX = "eventapp.checkin.queue.";
  var OLD_LIST_PREFIX = "eventapp.checkin.delegates.";
  var opening = null;

  function promised(request) {
    return new Promise(function (resolve, reject) {
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function open() {
    if (!opening) {
      opening = new Promise(function (resolve, reject) {
        var request = window.indexedDB.open(DB_NAME, DB_VERSION);
        request.onupgradeneeded = function () {
          var db = request.result;
          db.createObjectStore("lists", { keyPath: "conference_id" });
          db.createObjectStore("queue", { keyPath: "nonce" }).createIndex("conference_id", "conference_id");
          db.createObjectStore("tokens", { keyPath: "conference_id" });
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return opening;
  }

  // Run ``work(store)`` in one transaction; resolves with work's request result once the transaction is done.
  function inStore(name, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(name, mode);
        var request = work(tx.objectStore(name));
        tx.oncomplete = function () { resolve(request ? request.result : undefined); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  function key(conferenceId) { return Number(conferenceId); }

  var store = {
    getList: function (conferenceId) {
      return inStore("lists", "readonly", function (s) { return s.get(key(conferenceId)); });
    },
    // ``list`` is the API's answer; ``loaded_at`` (when this desk downloaded it) is added here.
    putList: function (conferenceId, list) {
      var record = { conference_id: key(conferenceId), loaded_at: new Date().toISOString(), list: list };
      return inStore("lists", "readwrite", function (s) { return s.put(record); }).then(function () { return record; });
    },
    queued: function (conferenceId) {
      return inStore("queue", "readonly", function (s) {
        return s.index("conference_id").getAll(key(conferenceId));
      }).then(function (scans) {
        return scans.sort(function (a, b) { return a.scanned_at < b.scanned_at ? -1 : (a.scanned_at > b.scanned_at ? 1 : 0); });
      });
    },
    enqueue: function (scan) {
      return inStore("queue", "readwrite", function (s) { return s.put(scan); });
    },
    dequeue: function (nonces) {
      return inStore("queue", "readwrite", function (s) {
        nonces.forEach(function (nonce) { s.delete(nonce); });
        return null;
      });
    },
    getToken: function (conferenceId) {
      return inStore("tokens", "readonly", function (s) { return s.get(key(conferenceId)); }).then(function (record) {
        return record ? record.token : null;
      });
    },
    putToken: function (conferenceId, token) {
      return inStore("tokens", "readwrite", function (s) {
        return s.put({ conference_id: key(conferenceId), token: token, saved_at: new Date().toISOString() });
      });
    },
    // Move a queue (and drop a list) that an earlier version of the desk left in localStorage, once.
    migrateLocalStorage: function (conferenceId) {
      var raw = null;
      try {
        raw = window.localStorage.getItem(OLD_QUEUE_PREFIX + conferenceId);
      } catch (error) { return Promise.resolve(0); }
      var scans = [];
      try { scans = JSON.parse(raw) || []; } catch (error) { scans = []; }
      scans = scans.filter(function (s) { return s && typeof s.code === "string" && s.nonce; });
      return Promise.all(scans.map(function (s) {
        return store.enqueue({ nonce: String(s.nonce), code: s.code, scanned_at: s.scanned_at || null,
                               conference_id: key(conferenceId) });
      })).then(function () {
        window.localStorage.removeItem(OLD_QUEUE_PREFIX + conferenceId);
        window.localStorage.removeItem(OLD_LIST_PREFIX + conferenceId);
        return scans.length;
      });
    }
  };

  window.eventappDeskStore = store;
})();
