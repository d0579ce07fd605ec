// Autosave of a section form (form[data-autosave]): a few seconds after typing stops, the form is
// posted as the Save button would post it (files excepted: they go with the Save button), asking
// for JSON (app/responses/autosave.py). The page then takes the versions of the saved answers,
// shows messages, conflicts to settle and progress, and says "Saved / Saving… / Not saved". When the
// server cannot save (503 "retry", or no answer) it says so and tries again, waiting 5 s, then twice
// as long each time up to a minute (longer if the reply's Retry-After asks).
// Leaving with unsaved changes saves them first: a comment reply or any other form posted from the
// page, a link followed (another section, the overview), logging out. When they cannot be saved
// (invalid, a conflict) the page stays, showing why; closing the tab asks first.
// Without JavaScript the Save button does all this.
(function () {
  "use strict";

  var DELAY = 3000;
  var RETRY_MAX = 60000;

  function Autosave(form) {
    this.form = form;
    this.status = form.querySelector(".save-status");
    this.timer = null;
    this.inFlight = false;
    this.edits = 0;          // changes made on the page so far
    this.savedEdits = 0;     // how many of them the server holds (or keeps)
    this.changedAt = {};     // question id -> the edit count when it last changed, until saved
    this.retryDelay = 0;
    this.stopped = false;
    this.submitting = false;
    this.waiting = [];       // what to do once every change is saved (leaving the page)
  }

  Autosave.prototype.dirty = function () {
    return this.edits !== this.savedEdits;
  };

  Autosave.prototype.say = function (text, link) {
    this.status.hidden = false;
    this.status.textContent = text;
    if (link) {
      var anchor = document.createElement("a");
      anchor.href = link.href;
      anchor.textContent = link.text;
      this.status.appendChild(document.createTextNode(" "));
      this.status.appendChild(anchor);
    }
  };

  Autosave.prototype.changed = function (event) {
    var target = event.target;
    // A comment reply typed in the form's fieldsets belongs to another form (form="reply-…").
    if (this.stopped || target.type === "file" || !target.name || target.form !== this.form
        || target.hasAttribute("data-reply-to")) return;
    this.edits += 1;
    var question = target.closest("fieldset.question");
    if (question) this.changedAt[question.id] = this.edits;
    this.say(this.form.dataset.unsaved);
    this.schedule(DELAY);
  };

  Autosave.prototype.schedule = function (delay) {
    clearTimeout(this.timer);
    this.timer = setTimeout(this.save.bind(this), delay);
  };

  // The fields of the questions changed (and of none: CSRF token, editor), as the browser would post them.
  Autosave.prototype.body = function (questions) {
    var data = new FormData();
    Array.prototype.forEach.call(this.form.elements, function (element) {
      if (!element.name || element.disabled || element.type === "file" || element.type === "submit"
          || element.hasAttribute("data-reply-to")) return;
      if ((element.type === "checkbox" || element.type === "radio") && !element.checked) return;
      var question = element.closest("fieldset.question");
      if (question && !(question.id in questions)) return;
      if (element.tagName === "SELECT" && element.multiple) {
        Array.prototype.forEach.call(element.selectedOptions, function (option) { data.append(element.name, option.value); });
      } else {
        data.append(element.name, element.value);
      }
    });
    return data;
  };

  // Run ``then`` once every change is saved (or kept on the server); now when nothing is pending.
  // A save refused (invalid answer, conflict) drops it: the page stays and shows why.
  Autosave.prototype.saveThen = function (then) {
    if (!this.dirty()) { then(); return; }
    this.waiting = [then];
    if (!this.inFlight) this.save();
  };

  Autosave.prototype.settled = function (ok) {
    var waiting = this.waiting;
    this.waiting = [];
    if (ok) waiting.forEach(function (then) { then(); });
  };

  Autosave.prototype.save = function () {
    if (this.stopped || this.submitting) return;
    if (this.inFlight) { this.schedule(DELAY); return; }
    var sent = this.edits;
    var questions = Object.assign({}, this.changedAt);
    var self = this;
    this.inFlight = true;
    this.say(this.form.dataset.saving);
    TIP.fetch(this.form.getAttribute("action") || window.location.pathname, {
      method: "POST", body: this.body(questions), headers: { "Accept": "application/json" }
    }).then(function (response) {
      var wait = 1000 * parseInt(response.headers.get("Retry-After"), 10) || 0;
      return response.json().then(function (reply) { reply.wait = wait; return reply; },
                                  function () { return { status: "retry", wait: wait }; });
    }, function () {
      return { status: "retry" };
    }).then(function (reply) {
      self.inFlight = false;
      self.handle(reply, sent, questions);
    });
  };

  Autosave.prototype.handle = function (reply, sent, questions) {
    var data = this.form.dataset;
    if (reply.status === "retry") {  // nothing was saved (database or network down): the page keeps it all
      this.retryDelay = Math.min(Math.max(this.retryDelay ? this.retryDelay * 2 : 5000, reply.wait || 0), RETRY_MAX);
      this.say(reply.message || data.offline);
      this.schedule(this.retryDelay);
      this.settled(false);
      return;
    }
    this.retryDelay = 0;
    if (reply.status === "login" || reply.status === "reload" || reply.status === "locked") {
      this.savedEdits = sent;  // kept on the server, to be found after logging in or reloading
      this.stopped = reply.status === "locked";
      this.say(data.unsaved + " — " + reply.message, reply.status === "login" ? { href: reply.login_url, text: data.login }
        : reply.status === "reload" ? { href: window.location.pathname, text: data.reload } : null);
      this.settled(reply.status !== "locked");
      return;
    }
    this.apply(reply);
    if (reply.status === "saved") this.forget(questions);
    if (reply.status === "saved" && sent === this.edits) {
      this.savedEdits = sent;
      this.say(data.saved);
      this.settled(true);
    } else if (reply.status !== "saved") {
      this.say(data.unsaved + " — " + reply.message);
      this.settled(false);
    } else {
      this.schedule(this.waiting.length ? 0 : DELAY);  // typed again while saving
    }
  };

  // The questions saved are no longer sent, unless they changed again while the save was on its way.
  Autosave.prototype.forget = function (questions) {
    var changedAt = this.changedAt;
    Object.keys(questions).forEach(function (id) {
      if (changedAt[id] === questions[id]) delete changedAt[id];
    });
  };

  Autosave.prototype.apply = function (reply) {
    var form = this.form;
    var prefix = form.dataset.versionPrefix;  // app/answering/fields.py names the fields
    Object.keys(reply.versions || {}).forEach(function (qid) {
      var input = form.querySelector('input[name="' + prefix + qid + '"]');
      if (input) input.value = reply.versions[qid];
    });
    form.querySelectorAll("fieldset.question").forEach(function (fieldset) {
      var qid = fieldset.id.replace(/^q-/, "");
      showErrors(fieldset, (reply.errors || {})[qid] || []);
      var slot = fieldset.querySelector(".question__conflict");
      var conflict = (reply.conflicts || {})[qid] || "";
      if (slot && slot.getAttribute("data-shown") !== conflict) {
        slot.innerHTML = conflict;  // rendered and escaped by the server
        slot.setAttribute("data-shown", conflict);
      }
      if ((reply.outdated || []).indexOf(qid) !== -1) markOutdated(fieldset, form.dataset.outdated);
      // The table's checks on the figures now stored, rendered by the server; a confirmation
      // ticked and not yet saved stays while its figures are still the ones in question.
      var checks = fieldset.querySelector(".question__findings");
      var ticked = checks && checks.querySelector('input[name="confirm"]:checked');
      if (checks && reply.findings && qid in reply.findings
          && !(ticked && reply.findings[qid].indexOf(ticked.value) !== -1)) {
        checks.innerHTML = reply.findings[qid];
      }
    });
    showProgress(reply.progress || {});
  };

  // The messages beside a question, its answer's inputs marked invalid and described by them
  // (as the server renders them: answering/section.html).
  function showErrors(fieldset, messages) {
    fieldset.querySelectorAll(".field__error:not(.field__error--file)").forEach(function (node) { node.remove(); });
    fieldset.classList.toggle("question--error", messages.length > 0);
    var anchor = fieldset.querySelector(".question__conflict");
    var ids = messages.map(function (message, index) {
      var node = document.createElement("p");
      node.className = "field__error";
      node.id = "error-" + fieldset.id.replace(/^q-/, "") + "-" + (index + 1);
      node.setAttribute("role", "alert");
      node.textContent = message;
      anchor.parentNode.insertBefore(node, anchor);
      return node.id;
    });
    var answer = "q_" + fieldset.id.replace(/^q-/, "");
    fieldset.querySelectorAll('[name="' + answer + '"], [name^="' + answer + '-"]').forEach(function (input) {
      if (input.closest(".law-list")) return;
      if (ids.length) {
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", ids.join(" "));
      } else {
        input.removeAttribute("aria-invalid");
        input.removeAttribute("aria-describedby");
      }
    });
  }

  function markOutdated(fieldset, text) {
    if (fieldset.querySelector(".question__outdated")) return;
    var note = document.createElement("p");
    note.className = "question__outdated";
    note.setAttribute("role", "status");
    note.textContent = text;
    fieldset.querySelector(".question__conflict").insertAdjacentElement("beforebegin", note);
  }

  function showProgress(progress) {
    Object.keys(progress).forEach(function (scope) {
      document.querySelectorAll('[data-progress="' + scope + '"]').forEach(function (node) {
        if (node.tagName === "PROGRESS") {
          node.max = progress[scope].total || 1;
          node.value = progress[scope].answered;
        } else {
          node.textContent = progress[scope].text;
        }
      });
    });
  }

  // Another form posted (a comment reply, logging out) or a link followed saves the changes first.
  function leaveAfterSaving(form, autosave) {
    document.addEventListener("submit", function (event) {
      var other = event.target;
      if (other === form || event.defaultPrevented || !autosave.dirty()) return;
      event.preventDefault();
      var submitter = event.submitter;
      autosave.saveThen(function () {
        autosave.submitting = true;  // saved: no "Leave site?" question
        if (submitter && submitter.name) {
          var carried = document.createElement("input");
          carried.type = "hidden";
          carried.name = submitter.name;
          carried.value = submitter.value;
          other.appendChild(carried);
        }
        HTMLFormElement.prototype.submit.call(other);
      });
    });
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a[href]");
      if (!link || event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey
          || event.shiftKey || event.altKey || link.target || !autosave.dirty()) return;
      var to = new URL(link.href, window.location.href);
      if (to.pathname === window.location.pathname && to.search === window.location.search) return;  // an anchor
      event.preventDefault();
      autosave.saveThen(function () {
        autosave.submitting = true;
        window.location.href = link.href;
      });
    });
  }

  // A reply on the section page (its button posts the whole form when there is no script): the
  // changes are saved first, then the reply alone goes, by its own form (review/_threads.html).
  function postReply(autosave, formId) {
    var reply = document.getElementById(formId);
    var text = document.querySelector('textarea[data-reply-to="' + formId + '"]');
    autosave.saveThen(function () {
      autosave.submitting = true;
      var body = document.createElement("input");
      body.type = "hidden";
      body.name = "body";
      body.value = text.value;
      reply.appendChild(body);
      HTMLFormElement.prototype.submit.call(reply);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-autosave]");
    if (!form || !window.TIP) return;
    var autosave = new Autosave(form);
    if (document.querySelector(".unsaved-notice")) {  // input stashed earlier, not saved yet: all of it goes
      autosave.edits = 1;
      form.querySelectorAll("fieldset.question").forEach(function (fieldset) { autosave.changedAt[fieldset.id] = 1; });
      autosave.say(form.dataset.unsaved);
    }
    form.addEventListener("input", autosave.changed.bind(autosave));  // text, choices and lists alike
    form.addEventListener("submit", function (event) {
      if (event.submitter && event.submitter.hasAttribute("data-reply-to")) {
        event.preventDefault();
        postReply(autosave, event.submitter.getAttribute("data-reply-to"));
        return;
      }
      if (event.submitter && event.submitter.hasAttribute("data-own-form")) {  // logging out
        event.preventDefault();
        var own = document.getElementById(event.submitter.getAttribute("data-own-form"));
        autosave.saveThen(function () {
          autosave.submitting = true;
          HTMLFormElement.prototype.submit.call(own);
        });
        return;
      }
      autosave.submitting = true;
      clearTimeout(autosave.timer);
    });
    leaveAfterSaving(form, autosave);
    window.addEventListener("beforeunload", function (event) {
      if (autosave.submitting || !autosave.dirty()) return;
      event.preventDefault();
      event.returnValue = "";
    });
  });
})();
