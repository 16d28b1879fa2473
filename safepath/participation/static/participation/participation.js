// Children's pages. No inline scripts: the Content-Security-Policy forbids them.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // A print button is shown only when JavaScript can print; the browser's own print works too.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
  // Contact fields matter only when the writer chose to give a name: hide them otherwise.
  var anonymous = document.querySelectorAll("input[name=anonymous]");
  var contact = document.querySelector(".contact-fields");
  if (anonymous.length && contact) {
    var update = function () {
      var chosen = document.querySelector("input[name=anonymous]:checked");
      contact.hidden = !chosen || chosen.value !== "no";
    };
    anonymous.forEach(function (radio) { radio.addEventListener("change", update); });
    update();
  }
});
