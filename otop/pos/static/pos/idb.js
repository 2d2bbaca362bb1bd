/* A tiny IndexedDB wrapper for the register: the sales queue and the reserved receipt numbers. */
"use strict";
(function () {
  const DB_NAME = "otop-pos";
  let opening = null;

  function open() {
    if (!opening) {
      opening = new Promise((resolve, reject) => {
        const request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = () => {
          const db = request.result;
          db.createObjectStore("queue", { keyPath: "device_sale_id" });
          db.createObjectStore("numbers", { keyPath: "register" });
        };
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    }
    return opening;
  }

  function run(store, mode, work) {
    return open().then((db) => new Promise((resolve, reject) => {
      const tx = db.transaction(store, mode);
      const result = work(tx.objectStore(store));
      tx.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    }));
  }

  window.posDb = {
    get: (store, key) => run(store, "readonly", (s) => s.get(key)),
    put: (store, value) => run(store, "readwrite", (s) => s.put(value)),
    remove: (store, key) => run(store, "readwrite", (s) => s.delete(key)),
    all: (store) => run(store, "readonly", (s) => s.getAll()),
    count: (store) => run(store, "readonly", (s) => s.count()),
  };
})();
