// The review page's filters (changed, commented, unanswered) without reloading the page, so that a
// comment or a decision being written stays as it is. Without JavaScript, or when the server has
// already left questions out (?show=...), the same links reload the page filtered by the server.
(function () {
  "use strict";

  function apply(root, filter) {
    root.querySelectorAll(".question[data-changed]").forEach(function (card) {
      card.hidden = filter !== "" && card.getAttribute("data-" + filter) !== "1";
    });
    var any = false;
    root.querySelectorAll("section[id^='section-']").forEach(function (section) {
      section.hidden = section.querySelector(".question[data-changed]:not([hidden])") === null;
      any = any || !section.hidden;
    });
    root.querySelector("[data-review-none]").hidden = any;
    document.querySelectorAll(".review-filters a[data-filter]").forEach(function (link) {
      if (link.getAttribute("data-filter") === filter) {
        link.setAttribute("aria-current", "true");
      } else {
        link.removeAttribute("aria-current");
      }
    });
  }

  function followAddress() {
    // Forms that come back to this page (comments, language) come back to it filtered.
    var here = window.location.pathname + window.location.search;
    document.querySelectorAll("input[name='next']").forEach(function (input) {
      input.value = input.value.replace(/^[^#]*/, here);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.querySelector("[data-review-questions][data-complete]");
    if (!root) return;
    document.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-filter]");
      if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      apply(root, link.getAttribute("data-filter"));
      window.history.replaceState(null, "", link.href);
      followAddress();
      (document.getElementById(link.hash.slice(1)) || root).scrollIntoView();
    });
  });
})();
