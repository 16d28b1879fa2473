// SafePath service worker (served from /sw.js so that its scope is the whole site).
// It keeps the shell's static files and the field app's page for use with no network, and
// answers any other page with the offline page when the network is gone. It never caches an
// API answer: a child's data on the device lives only in the field app's encrypted store.
"use strict";
const VERSION = "{{ version }}";
const SHELL_CACHE = "safepath-shell-" + VERSION;
const PAGE_CACHE = "safepath-pages";
const PRECACHE = {{ precache|safe }};
const FIELD_FILES = {{ field_files|safe }};
const OFFLINE_PAGES = {{ offline_pages|safe }};
const OFFLINE_URL = {{ offline_url|safe }};
const STATIC_PREFIX = {{ static_prefix|safe }};

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL_CACHE)
      // Without cookies: these files are the same for everyone, and a request carrying a
      // session that a sign-in is replacing at that moment would fail on the server.
      .then((cache) => cache.addAll(
        PRECACHE.map((url) => new Request(url, { cache: "reload", credentials: "omit" }))
      ))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(
        keys.filter((key) => key.startsWith("safepath-shell-") && key !== SHELL_CACHE)
          .map((key) => caches.delete(key))
      ))
      .then(() => self.clients.claim())
  );
});

async function fromNetworkKeeping(request, path) {
  const cache = await caches.open(PAGE_CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected) {
      await cache.put(path, response.clone());
    }
    return response;
  } catch (error) {
    const kept = await cache.match(path);
    if (kept) { return kept; }
    return offline();
  }
}

async function offline() {
  const page = await caches.match(OFFLINE_URL);
  return page || new Response("Offline", { status: 503, headers: { "Content-Type": "text/plain" } });
}

async function pageOrOffline(request) {
  try {
    return await fetch(request);
  } catch (error) {
    return offline();
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") { return; }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) { return; }
  if (request.mode === "navigate") {
    if (OFFLINE_PAGES.includes(url.pathname)) {
      event.respondWith(fromNetworkKeeping(request, url.pathname));
    } else if (!self.navigator.onLine) {
      event.respondWith(pageOrOffline(request));
    }
    return;
  }
  if (url.pathname.startsWith(STATIC_PREFIX)) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  }
});

// The field app asks the worker to keep its page and its files (the first visit loads them
// before the worker controls the page), and to forget the page when the device's records are
// removed. Other pages never pay for the field app's files.
async function keepFieldApp(path) {
  const shell = await caches.open(SHELL_CACHE);
  const missing = [];
  for (const url of FIELD_FILES) {
    if (!(await shell.match(url))) { missing.push(new Request(url, { credentials: "omit" })); }
  }
  if (missing.length) { await shell.addAll(missing); }
  const response = await fetch(path, { credentials: "same-origin" });
  if (response.ok && !response.redirected) {
    await (await caches.open(PAGE_CACHE)).put(path, response);
  }
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "keep-page" && OFFLINE_PAGES.includes(data.path)) {
    event.waitUntil(keepFieldApp(data.path).catch(() => null));
  } else if (data.type === "forget-pages") {
    event.waitUntil(caches.delete(PAGE_CACHE));
  }
});
