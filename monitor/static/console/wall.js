// The status wall: filters in place (kept in the URL query, so a wall screen can bookmark
// them), the live stream (/console/events, server-sent events) and the kiosk auto-scroll.
// The page arrives complete from the server; this script only patches what changes: a tile's
// class, data-status, title and detail lines, the counts, and the incidents block.
// window.appmonWall keeps figures for tests and the benchmark (events; ms per event spent in
// the handler, and until the next frame).
"use strict";
(function () {
  var wall = document.getElementById("wall");
  if (!wall) return;
  var stats = { events: 0, patched: 0, timings: [], frames: [], connected: false };
  window.appmonWall = stats;
  var form = document.getElementById("filters");
  var incidents = document.getElementById("incidents");
  var live = document.getElementById("live");
  var kiosk = document.body.classList.contains("kiosk");
  var sections = Array.prototype.slice.call(wall.querySelectorAll("section.dept"));

  // ---- filters ---------------------------------------------------------------------------
  function chosen() {
    var query = new URLSearchParams(location.search);
    return { dept: query.get("dept") || "", cat: query.get("cat") || "",
             tier: query.get("tier") || "" };
  }

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
  }

  if (form) {
    form.classList.add("js");  // the apply button is for pages without JS
    var fromForm = function () {
      var query = new URLSearchParams(location.search);
      ["dept", "cat", "tier"].forEach(function (name) {
        var value = form.elements[name].value;
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
      ["dept", "cat", "tier"].forEach(function (name) { form.elements[name].value = ""; });
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

  function patchTile(id, p) {
    var tile = document.getElementById("t-" + id);
    if (!tile) return;
    var cls = "tile " + p.s + (p.m ? " maint" : "");
    var since = tile.querySelector("[data-since]");
    var sameSince = since ? Number(since.getAttribute("data-since")) === p.since : !p.since;
    if (tile.className === cls && (tile.getAttribute("title") || "") === p.d && sameSince) return;
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
    stats.patched++;
  }

  function apply(msg) {
    if (msg.layout && msg.layout !== wall.getAttribute("data-layout")) {
      location.reload();  // the config changed: new apps, names or departments
      return;
    }
    var tiles = msg.tiles || {};
    for (var id in tiles) patchTile(id, tiles[id]);
    var counts = msg.counts || {};
    for (var key in counts) {
      var count = wall.querySelector('[data-count="' + key + '"]');
      if (count) count.textContent = String(counts[key]);
    }
    var depts = msg.depts || {};
    for (var dept in depts) {
      var section = document.getElementById(dept);
      if (!section) continue;
      ["down", "ack"].forEach(function (kind, i) {
        var badge = section.querySelector('[data-bad="' + kind + '"]');
        badge.hidden = !depts[dept][i];
        badge.firstElementChild.textContent = String(depts[dept][i]);
      });
    }
    if (typeof msg.incidents_html === "string") {
      incidents.innerHTML = msg.incidents_html;
      filterIncidents(chosen());
      if (window.appmon) window.appmon.tick();
    }
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
    live.classList.toggle("on", on);
    live.classList.toggle("off", !on);
    live.textContent = live.getAttribute(on ? "data-on" : "data-off");
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

  // ---- kiosk: scroll slowly through a wall taller than the screen, pause at both ends -----
  function autoScroll() {
    var pause = 100;  // ticks of 50 ms
    setInterval(function () {
      var max = document.documentElement.scrollHeight - window.innerHeight;
      if (max <= 0 || pause-- > 0) return;
      if (window.scrollY >= max - 1) {
        window.scrollTo(0, 0);
        pause = 100;
      } else {
        window.scrollBy(0, 1);
        if (window.scrollY >= max - 1) pause = 100;
      }
    }, 50);
  }

  connect();  // the server already applied the URL's filters: nothing to redo on load
  if (kiosk) autoScroll();
})();
