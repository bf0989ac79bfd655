/* Lectern's authoring admin: the live Markdown preview beside Markdown fields.
   Loaded on every admin page by templates/admin/base_site.html. No inline handlers: the
   site's Content-Security-Policy forbids them, so everything is wired here. */
(function () {
  "use strict";

  /* A Markdown textarea (lessons.admin_forms.MarkdownTextarea) posts to the preview view
     with htmx. Inside the admin's form htmx would send every field of the page: send
     only this field's text, with the page's CSRF token. */
  document.addEventListener("htmx:configRequest", function (event) {
    var field = event.detail.elt;
    if (!field.matches || !field.matches("textarea[data-md-preview]")) return;
    event.detail.parameters = {
      text: field.value,
      inline: field.getAttribute("data-md-preview") === "inline" ? "1" : "0"
    };
    var form = field.closest("form");
    var token = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) event.detail.headers["X-CSRFToken"] = token.value;
  });

  /* A preview answered by a redirect (to the login page, once the session has ended) is
     not a preview: leave the last one in place. */
  document.addEventListener("htmx:beforeSwap", function (event) {
    var config = event.detail.requestConfig;
    var field = config && config.elt;
    if (!field || !field.matches || !field.matches("textarea[data-md-preview]")) return;
    var answered = event.detail.xhr && event.detail.xhr.responseURL;
    var asked = new URL(field.getAttribute("hx-post"), window.location.href);
    if (answered && new URL(answered).pathname !== asked.pathname) {
      event.detail.shouldSwap = false;
    }
  });

  /* The question page: show the fieldsets of the kind picked ("Short answer", "Numeric")
     and hide the others, unless they hold an error. Without JavaScript all are shown. */
  function showKindFields(select) {
    var fieldsets = select.form ? select.form.querySelectorAll("fieldset.kind-fields") : [];
    Array.prototype.forEach.call(fieldsets, function (fieldset) {
      fieldset.hidden = !(
        fieldset.classList.contains("kind-" + select.value) ||
        fieldset.querySelector(".errorlist")
      );
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("select[data-question-kind]")) {
      showKindFields(event.target);
    }
  });
  function onReady(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }
  onReady(function () {
    Array.prototype.forEach.call(
      document.querySelectorAll("select[data-question-kind]"), showKindFields
    );
  });

  /* "Add another …" copies a hidden template row, which htmx has not seen: wire the
     copy's fields (Django's inlines.js sends formset:added on the new row). */
  document.addEventListener("formset:added", function (event) {
    if (window.htmx) window.htmx.process(event.target);
  });
})();
