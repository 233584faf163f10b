// Stegvis: the little JavaScript there is. No inline scripts (strict CSP).
// Mark a form that holds unsaved input so a user is warned before leaving the page.
(function () {
  "use strict";
  let dirty = new Set();
  document.addEventListener("input", function (e) {
    const form = e.target.closest("form[data-warn-unsaved]");
    if (form) dirty.add(form);
  });
  document.addEventListener("submit", function (e) { dirty.delete(e.target); });
  document.addEventListener("htmx:afterRequest", function (e) {
    const form = e.detail.elt.closest && e.detail.elt.closest("form");
    if (form && e.detail.successful) dirty.delete(form);
  });
  window.addEventListener("beforeunload", function (e) {
    if (dirty.size) { e.preventDefault(); e.returnValue = ""; }
  });
  // A failed autosave (network, expired session) must never look saved.
  document.addEventListener("htmx:responseError", function (e) { markFailed(e.detail.elt); });
  document.addEventListener("htmx:sendError", function (e) { markFailed(e.detail.elt); });
  function markFailed(elt) {
    const form = elt.closest ? elt.closest("form") : null;
    if (!form) return;
    const status = form.querySelector("[data-save-status]");
    if (status) {
      status.textContent = status.dataset.failedText || "Not saved";
      status.className = "save-status failed";
    }
    dirty.add(form);
  }
  // Role forms: show the district field only for district leads and the unit field only for
  // unit roles. Without JavaScript both stay visible and the server checks the combination.
  function syncRoleFields(select) {
    const form = select.form;
    const role = select.value;
    const district = form.querySelector("[name=district]");
    const unit = form.querySelector("[name=unit]");
    if (district) district.closest(".field").hidden = role !== "district_lead";
    if (unit) unit.closest(".field").hidden = !(role === "principal" || role === "contributor");
  }
  document.querySelectorAll("select[name=role]").forEach(syncRoleFields);
  document.addEventListener("change", function (e) {
    if (e.target.matches("select[name=role]")) syncRoleFields(e.target);
  });
  // On a narrow screen a wide table scrolls inside its own box (stegvis.css); such a box can
  // take the focus, so it can be scrolled with the arrow keys too.
  function markScrollingTables() {
    document.querySelectorAll("main table:not(.grid)").forEach(function (table) {
      const scrolls = table.scrollWidth > table.clientWidth + 1;
      if (scrolls && !table.hasAttribute("tabindex")) {
        table.tabIndex = 0;
        table.dataset.scrollFocus = "1";
      } else if (!scrolls && table.dataset.scrollFocus) {
        table.removeAttribute("tabindex");
        delete table.dataset.scrollFocus;
      }
    });
  }
  let resizeTimer = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(markScrollingTables, 150);
  });
  document.addEventListener("htmx:afterSettle", markScrollingTables);
  markScrollingTables();
  // Selects and buttons that submit their form by themselves (filters).
  document.addEventListener("change", function (e) {
    if (e.target.matches("[data-autosubmit]")) e.target.form.requestSubmit();
  });
})();

/* The main menu's groups: one open at a time; Escape or a click elsewhere closes them. */
(function () {
  var groups = document.querySelectorAll("header nav details");
  function closeAll(except) {
    groups.forEach(function (d) { if (d !== except) { d.open = false; } });
  }
  groups.forEach(function (d) {
    d.addEventListener("toggle", function () { if (d.open) { closeAll(d); } });
  });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") { return; }
    groups.forEach(function (d) {
      if (d.open) { d.open = false; d.querySelector("summary").focus(); }
    });
  });
  document.addEventListener("click", function (e) {
    if (!e.target.closest("header nav details")) { closeAll(null); }
  });
})();
