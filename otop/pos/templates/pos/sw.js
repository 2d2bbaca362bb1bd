/* Service worker of the registers: keeps the register pages, their scripts and the price list for offline use.
   Network first (so prices stay fresh), the cached copy when the network is down. Sales never go through a cache. */
"use strict";
const CACHE = "otop-{{ version }}";
const SHELL = {{ shell_json|safe }};

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => Promise.all(SHELL.map((url) => cache.add(url).catch(() => null)))));
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter((k) => k.startsWith("otop-") && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  const cacheable = SHELL.includes(url.pathname) || request.mode === "navigate";
  if (!cacheable) return;
  event.respondWith(
    fetch(request).then((response) => {
      if (response.ok && SHELL.includes(url.pathname)) {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(url.pathname, copy));
      }
      return response;
    }).catch(() => caches.match(url.pathname).then((hit) => hit || Response.error()))
  );
});
