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

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form.questionnaire");
    if (!form) return;
    update(form);
    form.addEventListener("change", function () { update(form); });
  });
})();
