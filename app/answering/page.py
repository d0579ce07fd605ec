"""The section page: the questions as the definition shows them (app/answering/views.py, built
once per version and language) filled in with this request's answers, or with input that was
not saved (kept from a language switch or an ended session, or refused by a save)."""
from dataclasses import dataclass, field

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from app.answering import fields, saving
from app.answering.collaboration import section_extras
from app.answering.views import section_view, shown_values
from app.i18n import current_locale
from app.questionnaires.checks import findings_by_question
from app.responses import operations as ops
from app.responses.access import can_edit
from app.stash import operations as stash
from app.stash.pages import EDITOR_FIELD


@dataclass
class Unsaved:
    """Input to show instead of the stored answers: ``posted`` for the questions in ``questions``."""

    posted: fields.PostedSection
    questions: set[str]
    errors: dict[str, list[str]] = field(default_factory=dict)
    conflicts: dict = field(default_factory=dict)
    #: A stash of this page whose input is shown (the page offers to discard it).
    stash: object = None
    #: The State's uploads the input may refer to, when already read.
    attachments: dict | None = None


def next_section(ctx, section):
    ids = [s.id for s in ctx.questionnaire.sections]
    index = ids.index(section.id)
    return ctx.questionnaire.sections[index + 1] if index + 1 < len(ids) else None


def stashed_input(section, states, attachments, kept) -> Unsaved | None:
    """The input stashed for this page (by the language switcher, or after the session ended)
    when it differs from the saved answers. A stash that holds nothing new is not shown (and not
    dropped either: a GET writes nothing; the next save of the page drops it)."""
    if kept is None:
        return None
    posted = fields.read_post(section, kept.formdata, attachments)
    saved_marks = ops.confidential_of(states)
    differs = any(saving.changed(question, posted.raw[question.id], states.get(question.id))
                  for question in section.questions if question.id in posted.raw)
    if differs or any(marked != (qid in saved_marks) for qid, marked in posted.marks.items()):
        return Unsaved(posted, set(posted.raw) | set(posted.marks), stash=kept)
    return None


def error_links(view, errors: dict[str, list[str]]) -> list[tuple[str, str]]:
    """The error summary's links: each message, after its question's number and text, leading
    to the question's first input."""
    return [("#" + q.anchor, _("%(question)s: %(problem)s", question=f"{q.question.number} {q.label}", problem=message))
            for q in view.questions for message in errors.get(q.id, ())]


def render_section(ctx, section, states, unsaved: Unsaved | None = None, status: int = 200,
                   with_stash: bool = False):
    """The page of ``section`` with the answers ``states``, and ``unsaved`` input where given
    (``with_stash``: the input stashed for the page, if any)."""
    locale = current_locale()
    answers, confidential = ops.values_of(states), ops.confidential_of(states)
    editable = can_edit(ctx, current_user)
    if with_stash and editable:
        kept = stash.find(current_user, request.path)
        attachments = saving.section_attachments(ctx, section, answers, kept.formdata if kept else None)
        unsaved = stashed_input(section, states, attachments, kept)
    elif unsaved is not None and unsaved.attachments is not None:
        attachments = unsaved.attachments
    else:
        attachments = saving.section_attachments(ctx, section, answers)
    versions = {qid: state.revision_number for qid, state in states.items()}
    shown_posted = {}
    if unsaved is not None:
        shown_posted = {qid: raw for qid, raw in unsaved.posted.raw.items() if qid in unsaved.questions}
        versions.update({qid: v for qid, v in unsaved.posted.versions.items() if qid in unsaved.questions})
        confidential = {qid for qid in confidential if qid not in unsaved.questions} | \
            {qid for qid, marked in unsaved.posted.marks.items() if marked and qid in unsaved.questions}
    findings = findings_by_question(ctx.questionnaire, section.questions, answers, locale)
    view = section_view(ctx.questionnaire, section, locale)
    errors = unsaved.errors if unsaved else {}
    progress = ops.section_progress(ctx.questionnaire, answers)
    return render_template(
        "answering/section.html", ctx=ctx, section=section, view=view, error_links=error_links(view, errors),
        answers=answers, shown=shown_values(section, answers, shown_posted) if editable else {},
        applicable={q.id for q in section.questions if ctx.questionnaire.applies(q, answers)},
        editable=editable, versions=versions, confidential=confidential, attachments=attachments,
        errors=errors, conflicts=unsaved.conflicts if unsaved else {},
        unsaved=unsaved.stash if unsaved else None, findings=findings,
        confirmations=ops.confirmations_of(ctx.response.id) if findings and ctx.response else {},
        next_section=next_section(ctx, section), progress=progress[section.id],
        overall=ops.overall_progress(progress), fields=fields, editor_field=EDITOR_FIELD,
        **section_extras(ctx, current_user),
    ), status
