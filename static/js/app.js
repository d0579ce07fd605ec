// Progressive enhancement: show follow-up questions only when their condition holds.
// Without JavaScript every question is shown and the server ignores those that do not apply.
(function () {
  "use strict";

  function answerOf(form, questionId) {
    var inputs = form.querySelectorAll('[name="q_' + questionId + '"]');
    var values = [];
    inputs.forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox")) {
        if (input.checked) values.push(input.value);
      } else if (input.value) {
        values.push(input.value);
      }
    });
    return values;
  }

  function update(form) {
    form.querySelectorAll("[data-show-if]").forEach(function (fieldset) {
      var wanted = fieldset.getAttribute("data-show-values").split(" ");
      var given = answerOf(form, fieldset.getAttribute("data-show-if"));
      var target = form.querySelector("#q-" + fieldset.getAttribute("data-show-if"));
      var parentShown = !target || !target.hidden;
      fieldset.hidden = !(parentShown && given.some(function (v) { return wanted.indexOf(v) !== -1; }));
    });
  }

  // An exclusive option ("None of these") is ticked alone: ticking it unticks the others of its
  // question, ticking another unticks it. The server refuses the combination all the same.
  function keepExclusive(box) {
    if (box.type !== "checkbox" || !box.checked) return;
    var list = box.closest(".choices");
    if (!list) return;
    list.querySelectorAll('input[type="checkbox"]').forEach(function (other) {
      if (other !== box && (box.hasAttribute("data-exclusive") || other.hasAttribute("data-exclusive"))) {
        other.checked = false;
      }
    });
  }

  // A table's totals add up the figures as they are typed (an empty total while every part is
  // empty); the server computes them again when saving. Totals of totals come after their parts.
  function addUp(form) {
    form.querySelectorAll("output[data-sum]").forEach(function (total) {
      var sum = null;
      total.getAttribute("data-sum").split(" ").forEach(function (id) {
        var cell = id && document.getElementById(id);
        var text = cell ? (cell.tagName === "OUTPUT" ? cell.textContent : cell.value).trim() : "";
        if (/^\d{1,12}$/.test(text)) sum = (sum || 0) + parseInt(text, 10);
      });
      total.textContent = sum === null ? "" : String(sum);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form.questionnaire");
    if (!form) return;
    update(form);
    form.addEventListener("change", function (event) { keepExclusive(event.target); update(form); });
    form.addEventListener("input", function (event) { if (event.target.classList.contains("input-number")) addUp(form); });
  });
})();

// Law lists: "Add another law" copies the blank entry kept in a <template>; a file larger than
// the limit is refused here, before it is sent. Without JavaScript the page always shows one
// blank entry and the server checks every file.
(function () {
  "use strict";

  function addEntry(list) {
    var entries = list.querySelector(".law-list__entries");
    var index = entries.querySelectorAll(".law-entry").length;
    var html = list.querySelector("template").innerHTML
      .replace(/__index__/g, String(index))
      .replace(/__number__/g, String(index + 1));
    entries.insertAdjacentHTML("beforeend", html);
    var added = entries.lastElementChild;
    var first = added && added.querySelector("input[type=text]");
    if (first) first.focus();
  }

  function checkSize(list, input) {
    var limit = parseInt(input.getAttribute("data-max-bytes"), 10);
    var message = input.parentNode.querySelector(".field__error--file");
    if (message) message.remove();
    var file = input.files && input.files[0];
    if (!file || !limit || file.size <= limit) return;
    input.value = "";
    message = document.createElement("p");
    message.className = "field__error field__error--file";
    message.setAttribute("role", "alert");
    message.textContent = list.getAttribute("data-too-large");
    input.insertAdjacentElement("afterend", message);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-law-list]").forEach(function (list) {
      var button = list.querySelector(".law-list__add");
      button.hidden = false;
      button.addEventListener("click", function () { addEntry(list); });
      list.addEventListener("change", function (event) {
        if (event.target.type === "file") checkSize(list, event.target);
      });
    });
  });
})();

// The error summary after a refused save or submission (the GOV.UK pattern): it takes the focus
// when the page opens, and its links move the focus to the field, its question's text in view.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) return;
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var target = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!target) return;
      event.preventDefault();
      var question = target.closest("fieldset") || target;
      question.scrollIntoView();
      target.focus({ preventScroll: true });
      if (target.tabIndex < 0 && document.activeElement !== target) {
        target.setAttribute("tabindex", "-1");
        target.focus({ preventScroll: true });
      }
    });
  });
})();
