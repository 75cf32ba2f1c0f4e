// Scanning station, locked to one checkpoint (kiosk mode: the server
// remembers the checkpoint in a cookie, so a reload keeps it). Reads codes
// from a USB scanner (keyboard wedge), the camera (BarcodeDetector, else
// the embedded jsQR) or typing, sends each scan at once and shows the
// verdict over the whole screen for two seconds, with a sound and a
// vibration of its own. When the network is down, scans wait in
// localStorage with their client-made scan_id and go up in batches when it
// is back (the server stores each scan_id once, so resending is safe).
"use strict";
(function () {
  var root = document.getElementById("station");
  if (!root || !root.classList.contains("kiosk")) return;
  var cp = root.getAttribute("data-checkpoint");
  var kind = root.getAttribute("data-kind");
  var input = document.getElementById("scan-input");
  var form = document.getElementById("scan-form");
  var verdict = document.getElementById("verdict");
  var overlay = document.getElementById("overlay");
  var countEl = document.getElementById("queue-count");
  var deviceEl = document.getElementById("count-device");
  var insideBox = document.getElementById("inside-box");
  var insideEl = document.getElementById("count-inside");
  var imeWarning = document.getElementById("ime-warning");
  var soundBtn = document.getElementById("sound-toggle");
  var QUEUE = "huizhan.scanQueue", DEVICE = "huizhan.deviceScans", MUTED = "huizhan.stationMuted";
  var SHOW_MS = 2000;
  var syncing = false;

  function t(key) { var v = root.getAttribute("data-t-" + key); return v === null ? "" : v; }

  // Beijing time: China keeps UTC+8 all year, so shifting by eight hours
  // and reading the UTC fields gives the date and time there, whatever
  // the phone's own zone.
  function beijing(d) { return new Date(d.getTime() + 8 * 3600 * 1000).toISOString(); }
  function today() { return beijing(new Date()).slice(0, 10); }
  function clock(iso) {
    var d = new Date(iso);
    if (isNaN(d)) return iso;
    var b = beijing(d);
    var hm = b.slice(11, 16);
    return b.slice(0, 10) === today() ? hm : b.slice(0, 10) + " " + hm;
  }

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

  function load(key, fallback) {
    try { var v = JSON.parse(localStorage.getItem(key)); return v === null ? fallback : v; } catch (e) { return fallback; }
  }
  function queue() { return load(QUEUE, []); }
  function saveQueue(q) {
    localStorage.setItem(QUEUE, JSON.stringify(q));
    countEl.textContent = String(q.length);
  }

  // This device's scans today (Beijing), every verdict, queued ones too.
  function deviceCount(add) {
    var c = load(DEVICE, {});
    if (c.day !== today()) c = { day: today(), n: 0 };
    c.n += add;
    localStorage.setItem(DEVICE, JSON.stringify(c));
    deviceEl.textContent = String(c.n);
  }

  // People inside, for a gate of an edition with an exit gate.
  var countersDue = 0;
  function counters() {
    if (kind !== "gate" || navigator.onLine === false) return;
    fetch("/api/v1/checkpoints/" + cp + "/counters", { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (res) { return res.ok ? res.json() : null; })
      .then(function (n) {
        if (!n || n.inside === null || n.inside === undefined) return;
        insideBox.hidden = false;
        insideEl.textContent = String(n.inside);
      }).catch(function () {});
  }
  function countersSoon() {
    if (countersDue) return;
    countersDue = setTimeout(function () { countersDue = 0; counters(); }, 1500);
  }

  // Sound and vibration: a rising chirp for accepted, two beeps for a
  // duplicate, a low buzz for a rejection. Muting is remembered.
  var audio = null;
  var muted = localStorage.getItem(MUTED) === "1";
  function showSound() {
    soundBtn.textContent = muted ? t("sound_off") : t("sound_on");
    soundBtn.setAttribute("aria-pressed", muted ? "false" : "true");
  }
  function tone(freq, start, dur, type) {
    var o = audio.createOscillator(), g = audio.createGain();
    o.type = type; o.frequency.value = freq;
    g.gain.setValueAtTime(0.0001, audio.currentTime + start);
    g.gain.exponentialRampToValueAtTime(0.3, audio.currentTime + start + 0.01);
    g.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + start + dur);
    o.connect(g); g.connect(audio.destination);
    o.start(audio.currentTime + start); o.stop(audio.currentTime + start + dur + 0.02);
  }
  var patterns = {
    accepted: { tones: [[880, 0, 0.09], [1320, 0.09, 0.14]], type: "sine", vibrate: [60] },
    duplicate: { tones: [[660, 0, 0.12], [660, 0.2, 0.12]], type: "square", vibrate: [80, 80, 80] },
    rejected: { tones: [[180, 0, 0.5]], type: "sawtooth", vibrate: [400] },
    queued: { tones: [[520, 0, 0.1]], type: "sine", vibrate: [40] }
  };
  function signal(kindOf) {
    if (muted) return;
    var p = patterns[kindOf];
    if (!p) return;
    try {
      if (!audio && (window.AudioContext || window.webkitAudioContext)) audio = new (window.AudioContext || window.webkitAudioContext)();
      if (audio) { if (audio.state === "suspended") audio.resume(); p.tones.forEach(function (x) { tone(x[0], x[1], x[2], p.type); }); }
    } catch (e) { /* no sound on this device */ }
    if (navigator.vibrate) navigator.vibrate(p.vibrate);
  }
  soundBtn.addEventListener("click", function () {
    muted = !muted;
    localStorage.setItem(MUTED, muted ? "1" : "0");
    showSound();
    input.focus();
  });

  // The verdict: over the whole screen for SHOW_MS, then as a line in
  // the page until the next one.
  var hideTimer = 0;
  function show(kindOf, lines) {
    verdict.className = "verdict verdict-" + kindOf;
    verdict.textContent = "";
    overlay.textContent = "";
    overlay.className = "overlay overlay-" + kindOf;
    overlay.setAttribute("data-verdict", kindOf);
    lines.forEach(function (l, i) {
      if (!l.text) return;
      var small = document.createElement(i === 0 ? "strong" : "div");
      small.textContent = l.text;
      verdict.appendChild(small);
      var big = document.createElement("div");
      big.className = l.cls;
      big.textContent = l.text;
      overlay.appendChild(big);
    });
    overlay.hidden = false;
    clearTimeout(hideTimer);
    hideTimer = setTimeout(function () { overlay.hidden = true; }, SHOW_MS);
    signal(kindOf);
  }
  overlay.addEventListener("click", function () { overlay.hidden = true; input.focus(); });

  function who(r) {
    if (!r.attendee) return "";
    return r.attendee.name;
  }
  function whereFrom(r) {
    if (!r.attendee) return "";
    var cat = t("cat-" + r.attendee.category) || r.attendee.category;
    return [r.attendee.organisation, cat].filter(Boolean).join(" · ");
  }

  function showResult(r) {
    var tag = r.rehearsal ? { text: t("rehearsal"), cls: "tag" } : { text: "" };
    if (r.verdict === "accepted") {
      show("accepted", [{ text: t("accepted"), cls: "big-verdict" }, { text: who(r), cls: "who" },
        { text: whereFrom(r), cls: "line" }, tag]);
    } else if (r.verdict === "duplicate") {
      var first = r.first ? t("first") + " " + clock(r.first.time) + " · " + r.first.checkpoint : "";
      show("duplicate", [{ text: t("duplicate"), cls: "big-verdict" }, { text: who(r), cls: "who" },
        { text: whereFrom(r), cls: "line" }, { text: first, cls: "line first-scan" }, tag]);
    } else {
      // The server's words (in the page's language) come first; the
      // page's own are for an answer that has none.
      var why = r.message || t(r.detail || "") || t(r.reason || "") || r.reason;
      show("rejected", [{ text: t("rejected"), cls: "big-verdict" }, { text: why, cls: "reason" },
        { text: who(r), cls: "who" }, tag]);
    }
  }

  function enqueue(scan) {
    var q = queue();
    q.push({ checkpoint: cp, scan: scan });
    saveQueue(q);
    show("queued", [{ text: t("queued"), cls: "line" }]);
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(body)
    });
  }

  function submit(text) {
    var code = (text || "").trim();
    if (!code) return;
    var scan = { code: code, scan_id: uuid(), scanned_at: new Date().toISOString() };
    deviceCount(1);
    if (navigator.onLine === false) { enqueue(scan); return; }
    post("/api/v1/checkpoints/" + cp + "/scans", scan).then(function (res) {
      if (res.status >= 500) { enqueue(scan); return; }
      return res.json().then(function (body) {
        if (body.verdict) { showResult(body); offerLead(body); countersSoon(); sync(); return; }
        offerLead({});
        show("rejected", [{ text: t("error"), cls: "big-verdict" },
          { text: body.error ? body.error.message : String(res.status), cls: "reason" }]);
      });
    }).catch(function () { enqueue(scan); });
  }

  // sync sends the queue, checkpoint by checkpoint, 100 scans a request;
  // a scan leaves the queue once the server has answered for it, or has
  // refused it for good (a scan_id stored elsewhere, named in details).
  function sync() {
    var q = queue();
    if (syncing || q.length === 0 || navigator.onLine === false) return;
    syncing = true;
    var to = q[0].checkpoint;
    var part = q.filter(function (e) { return e.checkpoint === to; }).slice(0, 100);
    post("/api/v1/checkpoints/" + to + "/scans/batch", { scans: part.map(function (e) { return e.scan; }) })
      .then(function (res) {
        return res.json().then(function (body) { return { res: res, body: body }; });
      }).then(function (x) {
        var done = {};
        if (x.res.ok) {
          x.body.results.forEach(function (r) { done[r.scan_id] = true; });
          if (x.body.results.length) showResult(x.body.results[x.body.results.length - 1]);
        } else if (x.res.status === 409 || x.res.status === 422) {
          ((x.body.error && x.body.error.details) || []).forEach(function (d) {
            if (d.row && part[d.row - 1]) done[part[d.row - 1].scan.scan_id] = true;
          });
        }
        saveQueue(queue().filter(function (e) { return !done[e.scan.scan_id]; }));
        syncing = false;
        if (Object.keys(done).length) { countersSoon(); sync(); }
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
  // A scanner types into whatever has focus: keep it on the input.
  document.addEventListener("click", function (e) {
    if (!e.target.closest("select, button, a, input, textarea, summary, label, #lead-form, #leave")) input.focus();
  });
  window.addEventListener("online", sync);
  setInterval(sync, 5000);
  setInterval(counters, 15000);

  // Keep the screen on where the browser allows; the lock is dropped
  // when the page is hidden, so it is asked for again on return.
  var wake = null;
  function keepAwake() {
    if (!navigator.wakeLock || document.visibilityState !== "visible" || wake) return;
    navigator.wakeLock.request("screen").then(function (l) {
      wake = l;
      l.addEventListener("release", function () { wake = null; });
    }).catch(function () {});
  }
  document.addEventListener("visibilitychange", keepAwake);
  document.addEventListener("click", keepAwake);

  // The service worker keeps this page for a reload without network.
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/checkin/station/sw.js", { scope: "/checkin/station" }).catch(function () {});
  }

  showSound();
  saveQueue(queue());
  deviceCount(0);
  counters();
  sync();
  keepAwake();
  input.focus();

  // Lead capture: only at a booth (the page has the form only there),
  // only after an accepted scan, tied to that scan.
  var leadForm = document.getElementById("lead-form");
  var leadStatus = document.getElementById("lead-status");
  var leadScan = null;
  function offerLead(r) {
    if (!leadForm) return;
    if (r.verdict !== "accepted" || kind !== "booth") { leadForm.hidden = true; leadScan = null; return; }
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
