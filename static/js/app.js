// Small behaviours without inline script (strict CSP).
document.addEventListener("DOMContentLoaded", function () {
  // Forms with data-confirm ask before submitting (destructive actions).
  document.body.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
  // Filter forms with data-autosubmit refresh their results when a select changes.
  document.body.addEventListener("change", function (event) {
    var form = event.target.closest("form[data-autosubmit]");
    if (form && event.target.tagName === "SELECT") {
      form.requestSubmit();
    }
  });
});
