// Copy-link button of the listing page's share box: the clipboard where the browser allows
// it, otherwise the link is selected for the visitor to copy.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var input = document.getElementById(button.dataset.copyTarget);
    var status = button.closest("section").querySelector(".share-status");
    function say(text) { if (status) { status.textContent = text; } }
    button.addEventListener("click", function () {
      input.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(
          function () { say(button.dataset.copied); },
          function () { say(button.dataset.copyFailed); }
        );
      } else {
        say(button.dataset.copyFailed);
      }
    });
  });
})();
