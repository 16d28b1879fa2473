// SafePath works offline where it can: every page registers the service worker (served from
// /sw.js, whose scope is the whole site). Its failure only means no offline support.
"use strict";
if ("serviceWorker" in navigator && window.isSecureContext) {
  window.addEventListener("load", function () {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {
      document.documentElement.dataset.offlineSupport = "unavailable";
    });
  });
}
