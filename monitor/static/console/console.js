// Shared by every console page: live countdowns and relative times.
// An element with data-deadline="<epoch ms>" shows the time left (or how late, with
// class "late"); data-since="<epoch ms>" shows the time elapsed. Updated every second.
"use strict";
(function () {
  var zh = (document.documentElement.lang || "zh-CN").indexOf("zh") === 0;
  function span(ms) {
    var s = Math.max(0, Math.floor(ms / 1000));
    var d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600);
    var m = Math.floor(s % 3600 / 60), sec = s % 60;
    if (zh) {
      if (d) return d + "天" + h + "小时";
      if (h) return h + "小时" + m + "分";
      return m + "分" + (sec < 10 ? "0" : "") + sec + "秒";
    }
    if (d) return d + "d " + h + "h";
    if (h) return h + "h " + m + "m";
    return m + "m " + (sec < 10 ? "0" : "") + sec + "s";
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-deadline]").forEach(function (el) {
      var left = Number(el.getAttribute("data-deadline")) - now;
      if (el.getAttribute("data-stopped")) return;
      el.textContent = left >= 0 ? (zh ? "剩余 " : "") + span(left) + (zh ? "" : " left")
                                 : (zh ? "超时 " : "late ") + span(-left);
      el.classList.toggle("late", left < 0);
    });
    document.querySelectorAll("[data-since]").forEach(function (el) {
      el.textContent = span(now - Number(el.getAttribute("data-since")));
    });
  }
  window.appmon = { span: span, tick: tick };
  tick();
  setInterval(tick, 1000);
})();
