// SafePath page behaviour. No inline scripts: the Content-Security-Policy forbids them.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // A select marked data-autosubmit sends its form when changed (the button stays for no-JS use).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
});
// htmx sends the CSRF token with every request it makes.
document.addEventListener("htmx:configRequest", function (event) {
  var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
  if (match) { event.detail.headers["X-CSRFToken"] = decodeURIComponent(match[1]); }
});
