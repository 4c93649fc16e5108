// The reports page: a generate form says it is working (a PDF takes seconds) and cannot be
// sent twice meanwhile.
"use strict";
(function () {
  document.querySelectorAll("form[data-generate]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit]");
      if (!button) return;
      // Disabled after this event, so the form's own submission still goes through.
      setTimeout(function () {
        button.disabled = true;
        button.textContent = button.getAttribute("data-working") || button.textContent;
      }, 0);
    });
  });
})();
