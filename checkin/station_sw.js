// Service worker of the scanning station. It keeps the station page and
// its assets, so that reloading the station with no network still opens
// it (its scans then wait in the page's queue). Network first: whenever
// the server answers, the page is fresh and the copy is replaced.
"use strict";
var CACHE = "huizhan-station-v1";
var ASSETS = ["/checkin/station", "/static/style.css", "/static/checkin.css", "/static/app.js", "/static/station.js"];

self.addEventListener("install", function (e) {
  e.waitUntil(caches.open(CACHE).then(function (c) { return c.addAll(ASSETS); }).then(function () { return self.skipWaiting(); }));
});
self.addEventListener("activate", function (e) { e.waitUntil(self.clients.claim()); });
self.addEventListener("fetch", function (e) {
  var req = e.request;
  if (req.method !== "GET") return;
  var url = new URL(req.url);
  if (url.origin !== self.location.origin || ASSETS.indexOf(url.pathname) < 0) return;
  e.respondWith(fetch(req).then(function (res) {
    if (res.ok && !res.redirected) {
      var copy = res.clone();
      caches.open(CACHE).then(function (c) { return c.put(url.pathname, copy); });
    }
    return res;
  }).catch(function () {
    return caches.match(url.pathname).then(function (hit) { return hit || Response.error(); });
  }));
});
