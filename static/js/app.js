// Behaviour shared by every page. No inline script or event handler is allowed by the
// Content-Security-Policy (docs/security.md), so pages mark elements and this file wires them.
(function () {
  // <select data-autosubmit>: submit the form when the choice changes (the firm switcher).
  // Without JavaScript the form's <noscript> button does the same.
  document.addEventListener("change", function (e) {
    var el = e.target;
    if (el instanceof HTMLSelectElement && el.hasAttribute("data-autosubmit") && el.form) {
      el.form.submit();
    }
  });
})();

// <h1 data-focus-on-load tabindex="-1">: a page that asks for a decision (a confirmation) puts
// keyboard and screen-reader focus on its heading, so what is being confirmed is read first.
(function () {
  function focusHeading() {
    var el = document.querySelector("[data-focus-on-load]");
    if (el) { el.focus(); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusHeading);
  } else {
    focusHeading();
  }
})();
