// Log a complaint: show only the complainant section that matches the chosen mode.
// Without JavaScript both sections stay visible and the server uses the chosen mode.
(function () {
  var form = document.getElementById("log-form");
  if (!form) return;
  function sync() {
    var checked = form.querySelector('input[name="complainant_mode"]:checked');
    var mode = checked ? checked.value : "new";
    form.querySelectorAll(".js-mode").forEach(function (el) {
      el.hidden = el.getAttribute("data-mode") !== mode;
    });
  }
  form.addEventListener("change", function (e) {
    if (e.target.name === "complainant_mode") sync();
  });
  sync();
})();
