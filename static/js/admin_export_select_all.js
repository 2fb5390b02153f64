// The admin's export form (templates/admin/import_export/export.html): the
// "Select all" toggle, wired here because the Content Security Policy forbids
// inline event handlers. onSelectToggleChange comes from django-import-export.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("input.select-toggle").forEach(function (toggle) {
    toggle.addEventListener("change", onSelectToggleChange);
  });
});
