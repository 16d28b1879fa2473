"""The emergency app's pages: ``shell`` (the service worker, the web app manifest and the offline
page every page relies on), ``field`` (the offline field app) and ``coordination`` (declaring an
emergency, the live board, service gaps, the risk map)."""
