// SafePath page behaviour. No inline scripts: the Content-Security-Policy forbids them.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // A select marked data-autosubmit sends its form when changed (the button stays for no-JS use).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  // The main menu folds away below 600 px; wider it stays open (for browsers without
  // ::details-content, which the stylesheet uses to the same end).
  var wide = window.matchMedia("(min-width: 37.5rem)");
  function openWhenWide() {
    document.querySelectorAll("details[data-nav-menu]").forEach(function (menu) { menu.open = wide.matches; });
  }
  openWhenWide();
  wide.addEventListener("change", openWhenWide);
  // A table that scrolls sideways can be scrolled with the keyboard too: its box takes the
  // focus (named by the table's caption when it has one).
  document.querySelectorAll(".table-wrap").forEach(function (wrap) {
    if (wrap.scrollWidth > wrap.clientWidth && !wrap.hasAttribute("tabindex")) {
      wrap.tabIndex = 0;
      var caption = wrap.querySelector("caption");
      if (caption && caption.textContent.trim()) {
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", caption.textContent.trim());
      }
    }
  });
});
// htmx sends the CSRF token with every request it makes.
document.addEventListener("htmx:configRequest", function (event) {
  var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
  if (match) { event.detail.headers["X-CSRFToken"] = decodeURIComponent(match[1]); }
});
