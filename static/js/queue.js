// The work queue: "Select all on this page" ticks every row's box of the bulk form it names.
// Delegated from the document, so it keeps working after htmx swaps the results in. Without
// JavaScript the control stays hidden and each row is ticked by hand.
(function () {
  function reveal(root) {
    root.querySelectorAll("[data-js-show]").forEach(function (el) {
      el.hidden = false;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    reveal(document);
  });
  document.addEventListener("htmx:afterSwap", function (e) {
    reveal(e.target);
  });
  document.addEventListener("change", function (e) {
    var el = e.target;
    if (!(el instanceof HTMLInputElement) || !el.hasAttribute("data-select-all")) {
      return;
    }
    var form = el.getAttribute("data-select-all");
    document
      .querySelectorAll('input[type="checkbox"][name="complaint"][form="' + form + '"]')
      .forEach(function (box) {
        box.checked = el.checked;
      });
  });
})();
