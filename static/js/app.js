// Small behaviours without inline script (strict CSP).
document.addEventListener("DOMContentLoaded", function () {
  // Forms with data-confirm ask before submitting (destructive actions).
  document.body.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
  // A "select all" box (data-select-all="<name>") ticks every checkbox of that name in its form.
  document.body.addEventListener("change", function (event) {
    var name = event.target.getAttribute("data-select-all");
    if (!name || !event.target.form) {
      return;
    }
    event.target.form.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (box) {
      box.checked = event.target.checked;
    });
  });
  // Filter forms with data-autosubmit refresh their results when a select changes.
  document.body.addEventListener("change", function (event) {
    var form = event.target.closest("form[data-autosubmit]");
    if (form && event.target.tagName === "SELECT") {
      form.requestSubmit();
    }
  });
});
// ---- entry (issue 13) ----
// "Áp dụng cho tất cả" (data-apply-all="<id of a select>", data-apply-prefix="<name prefix>"): copies the chosen value into
// every select of the form whose name starts with the prefix, without a round trip (the button still works without JS).
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-apply-all]");
  if (!button || !button.form) {
    return;
  }
  var source = document.getElementById(button.getAttribute("data-apply-all"));
  var prefix = button.getAttribute("data-apply-prefix") || "";
  if (!source) {
    return;
  }
  event.preventDefault();
  button.form.querySelectorAll("select").forEach(function (select) {
    if (select !== source && select.name.indexOf(prefix) === 0) {
      select.value = source.value;
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });
});
// polish (issue 13): filters fold away on phones; on wider screens they start open (the markup starts closed).
document.addEventListener("DOMContentLoaded", function () {
  if (window.matchMedia("(min-width: 761px)").matches) {
    document.querySelectorAll("details.filter-fold").forEach(function (details) {
      details.open = true;
    });
  }
});
