// Scanning station: reads codes from a USB scanner (keyboard wedge), the
// camera (BarcodeDetector, else the embedded jsQR) or typing, sends each scan at once and shows the
// verdict; when the network is down, scans wait in localStorage with their
// client-made scan_id and go up in batches when it is back (the server
// stores each scan_id once, so resending is safe).
"use strict";
(function () {
  var root = document.getElementById("station");
  var select = document.getElementById("station-checkpoint");
  if (!root || !select) return;
  var input = document.getElementById("scan-input");
  var form = document.getElementById("scan-form");
  var verdict = document.getElementById("verdict");
  var countEl = document.getElementById("queue-count");
  var imeWarning = document.getElementById("ime-warning");
  var QUEUE = "huizhan.scanQueue";
  var syncing = false;

  function t(key) { return root.getAttribute("data-t-" + key) || key; }

  // A version 7 UUID: the time in milliseconds first, then random bits.
  // Time-ordered IDs land at the end of the server's scan_id index
  // instead of on a random page of it, which every scan would rewrite.
  function uuid() {
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    var ms = Date.now();
    for (var i = 5; i >= 0; i--) { b[i] = ms % 256; ms = Math.floor(ms / 256); }
    b[6] = (b[6] & 0x0f) | 0x70; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function queue() {
    try { return JSON.parse(localStorage.getItem(QUEUE) || "[]"); } catch (e) { return []; }
  }
  function saveQueue(q) {
    localStorage.setItem(QUEUE, JSON.stringify(q));
    countEl.textContent = String(q.length);
  }

  function checkpoint() { return select.value; }
  function remember() {
    var id = checkpoint();
    document.cookie = "station_checkpoint=" + encodeURIComponent(id) + "; path=/; max-age=" + (id ? 2592000 : 0) + "; samesite=lax";
    localStorage.setItem("huizhan.stationCheckpoint", id);
  }

  function show(kind, lines) {
    verdict.className = "verdict verdict-" + kind;
    verdict.textContent = "";
    lines.forEach(function (line, i) {
      var el = document.createElement(i === 0 ? "strong" : "div");
      el.textContent = line;
      verdict.appendChild(el);
    });
  }

  function when(iso) {
    var d = new Date(iso);
    return isNaN(d) ? iso : d.toLocaleString();
  }

  function showResult(r) {
    var who = r.attendee ? r.attendee.name + (r.attendee.organisation ? " · " + r.attendee.organisation : "") : "";
    if (r.verdict === "accepted") show("accepted", [t("accepted"), who]);
    else if (r.verdict === "duplicate") show("duplicate", [t("duplicate"), who,
      t("first") + " " + (r.first ? when(r.first.time) + " · " + r.first.checkpoint : "")]);
    else show("rejected", [t("rejected"), t(r.reason) || r.message || r.reason, who].filter(Boolean));
  }

  function enqueue(cp, scan) {
    var q = queue();
    q.push({ checkpoint: cp, scan: scan });
    saveQueue(q);
    show("queued", [t("queued")]);
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(body)
    });
  }

  function submit(text) {
    var cp = checkpoint();
    var code = (text || "").trim();
    if (!cp || !code) return;
    var scan = { code: code, scan_id: uuid(), scanned_at: new Date().toISOString() };
    if (navigator.onLine === false) { enqueue(cp, scan); return; }
    post("/api/v1/checkpoints/" + cp + "/scans", scan).then(function (res) {
      if (res.status >= 500) { enqueue(cp, scan); return; }
      return res.json().then(function (body) {
        if (body.verdict) { showResult(body); offerLead(body); sync(); return; }
        show("rejected", [t("error"), body.error ? body.error.message : String(res.status)]);
      });
    }).catch(function () { enqueue(cp, scan); });
  }

  // sync sends the queue, checkpoint by checkpoint, 100 scans a request;
  // a scan leaves the queue only once the server has answered for it.
  function sync() {
    var q = queue();
    if (syncing || q.length === 0 || navigator.onLine === false) return;
    syncing = true;
    var cp = q[0].checkpoint;
    var part = q.filter(function (e) { return e.checkpoint === cp; }).slice(0, 100);
    post("/api/v1/checkpoints/" + cp + "/scans/batch", { scans: part.map(function (e) { return e.scan; }) })
      .then(function (res) {
        if (!res.ok) throw new Error("batch " + res.status);
        return res.json();
      }).then(function (body) {
        var done = {};
        body.results.forEach(function (r) { done[r.scan_id] = true; });
        saveQueue(queue().filter(function (e) { return !done[e.scan.scan_id]; }));
        syncing = false;
        if (body.results.length) showResult(body.results[body.results.length - 1]);
        sync();
      }).catch(function () { syncing = false; });
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    submit(input.value);
    input.value = "";
    input.focus();
  });
  input.addEventListener("compositionstart", function () { imeWarning.hidden = false; });
  input.addEventListener("compositionend", function () { imeWarning.hidden = true; });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && e.isComposing) { imeWarning.hidden = false; e.preventDefault(); }
  });
  select.addEventListener("change", function () { remember(); input.focus(); });
  // A scanner types into whatever has focus: keep it on the input.
  document.addEventListener("click", function (e) {
    if (!e.target.closest("select, button, a, input")) input.focus();
  });
  window.addEventListener("online", sync);
  setInterval(sync, 5000);

  if (!select.value) {
    var saved = localStorage.getItem("huizhan.stationCheckpoint");
    if (saved && select.querySelector('option[value="' + saved + '"]')) select.value = saved;
  }
  if (select.value) remember();
  saveQueue(queue());
  sync();
  input.focus();

  // Lead capture: after an accepted scan at a booth checkpoint, staff may
  // rate the visitor and note something; the lead is tied to the scan.
  var leadForm = document.getElementById("lead-form");
  var leadStatus = document.getElementById("lead-status");
  var leadScan = null;
  function isBooth() {
    var opt = select.options[select.selectedIndex];
    return !!opt && opt.getAttribute("data-kind") === "booth";
  }
  function offerLead(r) {
    if (!leadForm) return;
    if (r.verdict !== "accepted" || !isBooth()) { leadForm.hidden = true; leadScan = null; return; }
    leadScan = { checkpoint: String(r.checkpoint_id), scan_id: r.scan_id };
    leadForm.reset(); leadStatus.textContent = ""; leadForm.hidden = false;
  }
  if (leadForm) {
    leadForm.addEventListener("submit", function (e) {
      e.preventDefault();
      if (!leadScan) return;
      var picked = leadForm.querySelector('input[name="rating"]:checked');
      var body = { scan_id: leadScan.scan_id, rating: picked ? Number(picked.value) : null,
        note: document.getElementById("lead-note").value };
      post("/api/v1/checkpoints/" + leadScan.checkpoint + "/leads", body).then(function (res) {
        return res.json().then(function (b) {
          leadStatus.textContent = res.ok ? t("lead_saved") : (b.error ? b.error.message : String(res.status));
          if (res.ok) { leadForm.hidden = true; input.focus(); }
        });
      }).catch(function () { leadStatus.textContent = t("error"); });
    });
  }

  // Camera: the browser's own QR decoder (BarcodeDetector) where it has
  // one; otherwise frames are drawn to a canvas and decoded by jsQR, which
  // is embedded in the binary (/static/vendor/jsqr) and loaded on demand.
  var camBtn = document.getElementById("camera-toggle");
  var video = document.getElementById("camera");
  var camMsg = document.getElementById("camera-message");
  var stream = null, last = "", lastAt = 0;

  function seen(text) {
    var now = Date.now();
    if (text && (text !== last || now - lastAt > 3000)) { last = text; lastAt = now; submit(text); }
  }

  function loadJsQR() {
    return new Promise(function (resolve, reject) {
      if (window.jsQR) { resolve(window.jsQR); return; }
      var s = document.createElement("script");
      s.src = "/static/vendor/jsqr/jsQR.js";
      s.onload = function () { window.jsQR ? resolve(window.jsQR) : reject(new Error("jsQR")); };
      s.onerror = function () { reject(new Error("jsQR")); };
      document.head.appendChild(s);
    });
  }

  // decoder returns a function that reads the codes in the current video
  // frame and resolves with the first one's text ("" when none).
  function decoder() {
    if ("BarcodeDetector" in window) {
      var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      return Promise.resolve(function () {
        return detector.detect(video).then(function (codes) { return codes.length ? codes[0].rawValue : ""; });
      });
    }
    return loadJsQR().then(function (jsQR) {
      camMsg.textContent = t("camera_fallback"); camMsg.hidden = false;
      var canvas = document.createElement("canvas");
      var ctx = canvas.getContext("2d", { willReadFrequently: true });
      return function () {
        var w = video.videoWidth, h = video.videoHeight;
        if (!w || !h) return Promise.resolve("");
        // Half a 1280-pixel frame is plenty for a badge held up close.
        var scale = Math.min(1, 640 / Math.max(w, h));
        canvas.width = Math.round(w * scale); canvas.height = Math.round(h * scale);
        ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
        var img = ctx.getImageData(0, 0, canvas.width, canvas.height);
        var code = jsQR(img.data, img.width, img.height, { inversionAttempts: "dontInvert" });
        return Promise.resolve(code ? code.data : "");
      };
    });
  }

  camBtn.addEventListener("click", function () {
    if (stream) {
      stream.getTracks().forEach(function (tr) { tr.stop(); });
      stream = null; video.hidden = true; return;
    }
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      camMsg.textContent = t("nocamera"); camMsg.hidden = false; return;
    }
    decoder().then(function (read) {
      return navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (s) {
        stream = s; video.srcObject = s; video.hidden = false; video.play();
        (function loop() {
          if (!stream) return;
          read().then(seen).catch(function () {}).then(function () { setTimeout(loop, 250); });
        })();
      });
    }).catch(function (err) { camMsg.textContent = String(err); camMsg.hidden = false; });
  });
})();
