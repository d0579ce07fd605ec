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

  // Keyboard shortcuts for reading a section question by question: J and K move to the next and
  // previous question shown, C opens the comment box of the current one, N and P go to the next
  // and previous section. Keys typed into a field are text, not shortcuts.
  function questions() {
    return Array.prototype.filter.call(document.querySelectorAll(".review-question"), function (card) {
      return !card.hidden && !card.closest("[hidden]");
    });
  }

  function currentIndex(cards) {
    var focused = document.activeElement && document.activeElement.closest(".review-question");
    if (focused) return cards.indexOf(focused);
    // Otherwise the first question whose top is on screen (or the last one above it).
    for (var i = 0; i < cards.length; i += 1) {
      if (cards[i].getBoundingClientRect().top >= 0) return i - 1;
    }
    return cards.length - 1;
  }

  function moveTo(card) {
    card.focus({ preventScroll: true });
    card.scrollIntoView({ block: "start" });
  }

  function onKey(event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target.closest("input, textarea, select, [contenteditable='true']")) return;
    var key = event.key.toLowerCase();
    var cards = questions();
    var index = currentIndex(cards);
    if (key === "j" && cards.length) {
      moveTo(cards[Math.min(index + 1, cards.length - 1)]);
    } else if (key === "k" && cards.length) {
      moveTo(cards[Math.max(index - 1, 0)]);
    } else if (key === "c" && index >= 0 && cards[index]) {
      var details = cards[index].querySelector(".question__comment-form");
      if (!details) return;
      details.open = true;
      details.querySelector("textarea").focus();
    } else if (key === "n" || key === "p") {
      var link = document.querySelector(key === "n" ? "[data-review-next]" : "[data-review-previous]");
      if (!link) return;
      window.location.href = link.href;
    } else {
      return;
    }
    event.preventDefault();
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (document.querySelector(".review-question, [data-review-next], [data-review-previous]")) {
      document.addEventListener("keydown", onKey);
      var keys = document.querySelector("[data-review-keys]");
      if (keys) keys.hidden = false;
    }
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
