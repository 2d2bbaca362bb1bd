// Stocktake on a phone: the scan field keeps the focus, and is emptied after each scan.
(function () {
  "use strict";
  function field() { return document.querySelector("[data-keep-focus]"); }
  document.addEventListener("htmx:afterRequest", function (event) {
    var input = field();
    if (input && event.detail.elt && event.detail.elt.id === "scan-form") {
      input.value = "";
      input.focus();
    }
  });
  document.addEventListener("focusout", function (event) {
    var input = field();
    if (!input || event.target !== input) return;
    // Give the focus back unless the user moved to another field on purpose (a typed count).
    setTimeout(function () {
      var active = document.activeElement;
      if (!active || active === document.body) input.focus();
    }, 0);
  });
})();
