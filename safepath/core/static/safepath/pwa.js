// SafePath works offline where it can: every page registers the service worker (served from
// /sw.js, whose scope is the whole site). Its failure only means no offline support.
"use strict";
if ("serviceWorker" in navigator && window.isSecureContext) {
  window.addEventListener("load", function () {
    // after the page has settled: the worker is for later visits, not this one
    var later = window.requestIdleCallback || function (run) { window.setTimeout(run, 500); };
    later(function () {
      navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {
        document.documentElement.dataset.offlineSupport = "unavailable";
      });
    });
  });
}
