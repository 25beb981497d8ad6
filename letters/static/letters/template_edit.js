// Letter template editor: "Reset to the standard wording" puts the system template's subject and
// body back in the form (the live preview follows through its input event).
(function () {
  var button = document.getElementById("reset-standard");
  if (!button) return;
  button.addEventListener("click", function () {
    document.getElementById("id_subject").value = JSON.parse(document.getElementById("system-subject").textContent);
    var body = document.getElementById("id_body");
    body.value = JSON.parse(document.getElementById("system-body").textContent);
    body.dispatchEvent(new Event("input", { bubbles: true }));
    body.focus();
  });
})();
