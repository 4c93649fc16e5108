// The status wall: filters in place (kept in the URL query, so a wall screen can bookmark
// them), the live stream (/console/events, server-sent events), the stale-data rule and the
// kiosk's fitted, paged grid.
// The page arrives complete from the server; this script only patches what changes: a tile's
// class, data-status, title and detail lines (and its place: problems first), the counts, the
// departments' order (those with problems first), the monitor's own health, and the incidents
// block. Text is only ever set with textContent.
// A wall never lies: when the stream drops, or the newest result is older than the server's
// limit (twice the shortest check interval), the whole wall turns grey under a banner counting
// the seconds since the newest result.
// window.appmonWall keeps figures for tests and the benchmark (events; ms per event spent in
// the handler, and until the next frame).
"use strict";
(function () {
  var wall = document.getElementById("wall");
  if (!wall) return;
  var stats = { events: 0, patched: 0, timings: [], frames: [], connected: false,
                stale: false, dropped: false, pages: 1, page: 0, cols: 0 };
  window.appmonWall = stats;
  var form = document.getElementById("filters");
  var incidents = document.getElementById("incidents");
  var live = document.getElementById("live");
  var area = document.getElementById("depts");
  var kiosk = document.body.classList.contains("kiosk");
  var sections = Array.prototype.slice.call(wall.querySelectorAll("section.dept"));
  var RANK = { down: 0, ack: 1, unknown: 2, up: 3 };
  var STATUSES = ["down", "ack", "unknown", "up"];
  var PAGE_MS = 15000;  // a kiosk page stays this long before the next one

  // The server's clock, as of the page (then of every event): staleness is measured on it.
  var offset = Number(wall.getAttribute("data-now")) - Date.now();
  var health = { basis: Number(wall.getAttribute("data-basis")),
                 stale_after: Number(wall.getAttribute("data-stale-after")) };
  var everConnected = false;
  var self = document.getElementById("self");
  var newestClock = self.querySelector('[data-h="newest"] [data-since]');
  if (newestClock) {  // on this browser's clock, as console.js counts
    newestClock.setAttribute("data-since",
                             String(Number(newestClock.getAttribute("data-since")) - offset));
  }

  // ---- filters ---------------------------------------------------------------------------
  var NAMES = { department: "dept", category: "cat" };  // the short names of older bookmarks
  function chosen() {
    var query = new URLSearchParams(location.search);
    return { dept: query.get("department") || query.get("dept") || "",
             cat: query.get("category") || query.get("cat") || "",
             tier: query.get("tier") || "" };
  }
  function isFiltered(f) { return !!(f.dept || f.cat || f.tier); }
  var filtered = wall.getAttribute("data-filtered") === "true";

  function admits(f, el, dept) {
    return (!f.dept || dept === f.dept) && (!f.cat || el.getAttribute("data-cat") === f.cat) &&
           (!f.tier || el.getAttribute("data-tier") === f.tier);
  }

  function filterIncidents(f) {
    var shown = 0;
    incidents.querySelectorAll("li.inc").forEach(function (li) {
      var ok = admits(f, li, li.getAttribute("data-dept"));
      li.hidden = !ok;
      if (ok) shown++;
    });
    var n = document.getElementById("inc-n");
    if (n) n.textContent = String(shown);
  }

  // ---- header counts: what the filters let through ---------------------------------------
  var counts = { total: 0 };
  STATUSES.forEach(function (s) {
    var el = wall.querySelector('[data-count="' + s + '"]');
    counts[s] = el ? Number(el.textContent) : 0;
    counts.total += counts[s];
  });
  var totalEl = wall.querySelector("[data-total]");

  function showCounts() {
    STATUSES.forEach(function (s) {
      var el = wall.querySelector('[data-count="' + s + '"]');
      if (el && el.textContent !== String(counts[s])) el.textContent = String(counts[s]);
    });
    if (totalEl) {
      totalEl.textContent = totalEl.getAttribute("data-text").replace("{n}", String(counts.total));
    }
  }

  function recount() {
    counts = { down: 0, ack: 0, unknown: 0, up: 0, total: 0 };
    wall.querySelectorAll("a.tile").forEach(function (tile) {
      if (tile.hidden) return;
      counts[tile.getAttribute("data-status")]++;
      counts.total++;
    });
    showCounts();
  }

  function applyFilters(f) {
    var any = false;
    sections.forEach(function (section) {
      var dept = section.getAttribute("data-dept"), some = false;
      var tiles = section.querySelectorAll("a.tile");
      for (var i = 0; i < tiles.length; i++) {
        var ok = admits(f, tiles[i], dept);
        if (tiles[i].hidden === ok) tiles[i].hidden = !ok;
        some = some || ok;
      }
      section.hidden = !some;
      any = any || some;
    });
    document.getElementById("none-match").hidden = any;
    filterIncidents(f);
    filtered = isFiltered(f);
    recount();
    fit();
  }

  if (form) {
    form.classList.add("js");  // the apply button is for pages without JS
    var fromForm = function () {
      var query = new URLSearchParams(location.search);
      ["department", "category", "tier"].forEach(function (name) {
        var value = form.elements[name].value;
        if (NAMES[name]) query.delete(NAMES[name]);
        if (value) query.set(name, value); else query.delete(name);
      });
      var text = query.toString();
      history.replaceState(null, "", location.pathname + (text ? "?" + text : ""));
      applyFilters(chosen());
    };
    form.addEventListener("change", fromForm);
    form.addEventListener("submit", function (event) { event.preventDefault(); fromForm(); });
    form.querySelector("[data-clear]").addEventListener("click", function (event) {
      event.preventDefault();
      ["department", "category", "tier"].forEach(function (name) {
        form.elements[name].value = "";
      });
      fromForm();
    });
    form.querySelector("[data-kiosk]").addEventListener("click", function (event) {
      var query = new URLSearchParams(location.search);
      query.set("kiosk", "1");
      event.currentTarget.href = "/?" + query.toString();  // the kiosk keeps the filters
    });
  }

  // ---- live updates ------------------------------------------------------------------------
  function child(tile, cls) {
    var el = tile.querySelector("." + cls);
    if (!el) {
      el = document.createElement("span");
      el.className = cls;
      tile.appendChild(el);
    }
    return el;
  }

  // A tile whose status changed moves to its place: by status (problems first), then by the
  // rank the server gave it (tier, name).
  function place(tile) {
    var parent = tile.parentNode, r = RANK[tile.getAttribute("data-status")];
    var k = Number(tile.getAttribute("data-r")), next = null;
    for (var s = parent.firstElementChild; s; s = s.nextElementSibling) {
      if (s === tile) continue;
      var sr = RANK[s.getAttribute("data-status")];
      if (sr > r || (sr === r && Number(s.getAttribute("data-r")) > k)) { next = s; break; }
    }
    if (tile.nextElementSibling !== next) parent.insertBefore(tile, next);
  }

  function patchTile(id, p) {
    var tile = document.getElementById("t-" + id);
    if (!tile) return;
    var cls = "tile " + p.s + (p.m ? " maint" : "");
    var since = tile.querySelector("[data-since]");
    var sameSince = since ? Number(since.getAttribute("data-since")) === p.since : !p.since;
    if (tile.className === cls && (tile.getAttribute("title") || "") === p.d && sameSince) return;
    var before = tile.getAttribute("data-status");
    tile.className = cls;
    tile.setAttribute("data-status", p.s);
    if (p.d) {
      tile.setAttribute("title", p.d);
      child(tile, "td").textContent = p.d;
    } else {
      tile.removeAttribute("title");
      var detail = tile.querySelector(".td");
      if (detail) detail.remove();
    }
    var when = tile.querySelector(".ts");
    if (p.since) {
      when = child(tile, "ts");
      when.textContent = p.w + " · ";
      var clock = document.createElement("span");
      clock.setAttribute("data-since", String(p.since));
      clock.textContent = window.appmon ? window.appmon.span(Date.now() - p.since) : "";
      when.appendChild(clock);
    } else if (when) {
      when.remove();
    }
    if (before !== p.s) {
      if (!tile.hidden) {
        counts[before]--;
        counts[p.s]++;
      }
      place(tile);
    }
    stats.patched++;
  }

  // Departments with apps down first (most first), then with apps in hand, else by name.
  function orderDepts() {
    var ordered = sections.slice().sort(function (a, b) {
      return (Number(b.getAttribute("data-down")) - Number(a.getAttribute("data-down"))) ||
             (Number(b.getAttribute("data-ack")) - Number(a.getAttribute("data-ack"))) ||
             (Number(a.getAttribute("data-order")) - Number(b.getAttribute("data-order")));
    });
    // Move only the sections out of place: each move lays its tiles out again.
    var at = area.querySelector("section.dept");
    ordered.forEach(function (s) {
      if (s === at) at = at.nextElementSibling;
      else area.insertBefore(s, at);
    });
  }

  function patchDepts(depts) {
    for (var dept in depts) {
      var section = document.getElementById(dept);
      if (!section) continue;
      section.setAttribute("data-down", String(depts[dept][0]));
      section.setAttribute("data-ack", String(depts[dept][1]));
      ["down", "ack"].forEach(function (kind, i) {
        var badge = section.querySelector('[data-bad="' + kind + '"]');
        badge.hidden = !depts[dept][i];
        badge.firstElementChild.textContent = String(depts[dept][i]);
      });
    }
    orderDepts();
  }

  function setText(el, text) { if (el.textContent !== text) el.textContent = text; }

  function patchHealth(h) {
    health = h;
    setText(self.querySelector('[data-h="checks"]'), String(h.checks));
    setText(self.querySelector('[data-h="running"]'), String(h.running));
    setText(self.querySelector('[data-h="backlog"]'), String(h.backlog));
    var guard = self.querySelector('[data-h="guard"]');
    setText(guard, guard.getAttribute("data-" + h.guard));
    self.classList.remove("guard-off", "guard-ok", "guard-cut");
    self.classList.add("guard-" + h.guard);
    var newest = self.querySelector('[data-h="newest"]');
    var clock = newest.querySelector("[data-since]");
    if (!h.newest) {
      setText(newest, newest.getAttribute("data-never"));
    } else if (!clock) {
      newest.textContent = "";
      clock = document.createElement("span");
      newest.appendChild(clock);
      newest.appendChild(document.createTextNode(self.getAttribute("data-ago") || ""));
    }
    if (clock && h.newest) clock.setAttribute("data-since", String(h.newest - offset));
  }

  function apply(msg) {
    if (msg.layout && msg.layout !== wall.getAttribute("data-layout")) {
      location.reload();  // the config changed: new apps, names or departments
      return;
    }
    if (typeof msg.now === "number") offset = msg.now - Date.now();
    var tiles = msg.tiles || {};
    var before = counts.total + counts.down + counts.ack;
    for (var id in tiles) patchTile(id, tiles[id]);
    if (msg.counts && !filtered) {
      counts = { total: msg.counts.total };
      STATUSES.forEach(function (s) { counts[s] = msg.counts[s]; });
    }
    showCounts();
    if (msg.depts) patchDepts(msg.depts);
    if (msg.health) patchHealth(msg.health);
    if (typeof msg.incidents_html === "string") {
      incidents.innerHTML = msg.incidents_html;  // rendered and escaped by the server's template
      filterIncidents(chosen());
      if (window.appmon) window.appmon.tick();
      fit();
    } else if (before !== counts.total + counts.down + counts.ack) {
      fit();
    }
    checkStale();
  }

  function keep(list, value) {
    list.push(value);
    if (list.length > 200) list.shift();
  }

  function onEvent(event) {
    var started = performance.now();
    apply(JSON.parse(event.data));
    stats.events++;
    keep(stats.timings, performance.now() - started);
    // Until the next frame is ready: the style, layout and paint the change caused, too.
    requestAnimationFrame(function () {
      setTimeout(function () { keep(stats.frames, performance.now() - started); }, 0);
    });
  }

  function state(on) {
    stats.connected = on;
    if (on) everConnected = true;
    stats.dropped = !on && everConnected;
    live.classList.toggle("on", on);
    live.classList.toggle("off", !on);
    live.textContent = live.getAttribute(on ? "data-on" : "data-off");
    checkStale();
  }

  // ---- the stale-data rule -----------------------------------------------------------------
  var banner = document.getElementById("stale");
  var bannerText = banner.querySelector("[data-stale-text]");
  var bannerWhy = banner.querySelector("[data-stale-why]");

  function checkStale() {
    var age = Date.now() + offset - health.basis;
    var stale = stats.dropped || age > health.stale_after;
    stats.stale = stale;
    wall.classList.toggle("stale", stale);
    self.classList.toggle("bad", stale || health.guard === "cut");
    banner.hidden = !stale;
    if (!stale) return;
    var n = String(Math.max(0, Math.floor(age / 1000)));
    setText(bannerText, banner.getAttribute("data-text").replace("{n}", n));
    setText(bannerWhy, bannerWhy.getAttribute(stats.dropped ? "data-stream-text"
                                                            : "data-results-text"));
  }

  function connect() {
    if (!window.EventSource) return;  // the page stays as served: still correct, not live
    var source = new EventSource(wall.getAttribute("data-stream"));
    source.addEventListener("wall", onEvent);
    source.addEventListener("open", function () { state(true); });
    source.addEventListener("error", function () {
      state(false);
      // EventSource retries by itself unless the server refused it (e.g. signed out).
      if (source.readyState === EventSource.CLOSED) setTimeout(connect, 10000);
    });
  }

  // ---- kiosk: one grid fitted to the screen; pages when it cannot fit ---------------------
  var MIN_W = 112, GAP = 5, RATIO = 0.32, MIN_H = 30, MAX_H = 150;
  var pager = document.getElementById("pager");
  var fitted = null;

  function fit() {
    if (!kiosk) return;
    var shown = sections.filter(function (s) { return !s.hidden; }).length;
    var cells = counts.total + shown;
    var width = area.clientWidth;
    var height = Math.max(MIN_H, window.innerHeight - area.getBoundingClientRect().top -
                                 window.scrollY - GAP);
    var cols = 1, w = width, h = MAX_H, rows = cells;
    for (;; cols++) {
      w = (width - (cols - 1) * GAP) / cols;
      h = Math.min(MAX_H, Math.max(MIN_H, Math.round(w * RATIO)));
      rows = Math.ceil(cells / cols);
      if (rows * h + (rows - 1) * GAP <= height) break;
      if ((width - cols * GAP) / (cols + 1) < MIN_W) break;  // smallest readable: page
    }
    var perPage = Math.max(1, Math.floor((height + GAP) / (h + GAP)));
    var pages = Math.max(1, Math.ceil(rows / perPage));
    fitted = { cols: cols, h: h, perPage: perPage, pages: pages };
    area.style.gridTemplateColumns = "repeat(" + cols + ", minmax(0, 1fr))";
    area.style.gridAutoRows = h + "px";
    area.style.fontSize = Math.max(12, Math.min(30, Math.round(h * 0.36))) + "px";
    area.style.height = (pages > 1 ? perPage * (h + GAP) - GAP : height) + "px";
    area.classList.toggle("roomy", h >= 64);
    stats.pages = pages;
    stats.cols = cols;
    if (stats.page >= pages) stats.page = 0;
    showPage();
  }

  function showPage() {
    if (!fitted) return;
    area.scrollTop = stats.page * fitted.perPage * (fitted.h + GAP);
    pager.hidden = fitted.pages < 2;
    pager.textContent = pager.getAttribute("data-text")
      .replace("{p}", String(stats.page + 1)).replace("{n}", String(fitted.pages));
  }

  if (kiosk) {
    wall.classList.add("fitted");
    fit();
    window.addEventListener("resize", fit);
    setInterval(function () {
      if (!fitted || fitted.pages < 2) return;
      stats.page = (stats.page + 1) % fitted.pages;
      showPage();
    }, PAGE_MS);
  }

  setInterval(checkStale, 1000);  // the banner's seconds count up between events
  checkStale();
  connect();  // the server already applied the URL's filters: nothing to redo on load
})();
