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
