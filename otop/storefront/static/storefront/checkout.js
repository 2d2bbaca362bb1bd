// Checkout: show the chosen delivery's fee and grand total (both are worked out by the server and already on
// the page), hide the address for pickup, and bring the error summary into view.
(function () {
  "use strict";

  function chosenMethod(form) {
    var checked = form.querySelector("input[name=delivery_method]:checked");
    return checked ? checked.value : "pickup";
  }

  function update(form) {
    var method = chosenMethod(form);
    form.querySelectorAll("[data-delivery]").forEach(function (element) {
      element.hidden = element.getAttribute("data-delivery") !== method;
    });
    var address = document.getElementById("parcel-details");
    if (address) {
      address.hidden = method === "pickup";
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form.checkout-form");
    if (!form) {
      return;
    }
    form.addEventListener("change", function (event) {
      if (event.target.name === "delivery_method") {
        update(form);
      }
    });
    update(form);
    var summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
    }
  });
})();
