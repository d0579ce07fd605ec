"""The save of one section, shared by the Save button and autosave: read and check the posted
form, merge it with what others saved meanwhile (app/responses/merge.py), store it, and say what
happened. Only the answers whose input differs from what is stored are checked and merged: an
autosave of one changed answer on a 400-field section handles one answer.

A save is one transaction: it stores everything or nothing. When the database fails in a way
that may pass (busy, lock timeout, connection lost) the whole save is run again
(``app.database.retrying``); when it still fails, the error page gives the posted input back for
another try (app/errors.py)."""
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app.answering.fields import PostedSection, answer_field, read_post
from app.attachments.operations import UploadRejected, attachments_of, store_attachment
from app.database import commit_keeping_objects, retrying, writes_done
from app.extensions import db
from app.i18n import current_locale
from app.questionnaires.answers import AnswerError, is_answered
from app.questionnaires.checks import findings_by_question
from app.questionnaires.types.law_list import uploads
from app.responses import merge
from app.responses import operations as ops
from app.responses.access import ResponseContext, load_context
from app.responses.models import Response
from app.responses.prefill import prefill_response
from app.stash import operations as stash


@dataclass
class SectionSave:
    posted: PostedSection
    #: Messages by question id, for answers that could not be saved as given.
    errors: dict[str, list[str]]
    attachments: dict
    #: The valid answers posted that differ from what was stored, by question id (None for empty).
    values: dict = field(default_factory=dict)
    outcome: merge.SaveOutcome | None = None
    response_id: int | None = None
    confirmed: int = 0
    conflicts: dict[str, merge.Conflict] = field(default_factory=dict)
    #: The revision of each answer posted as it is stored (the versions the page holds from now on).
    versions: dict[str, int] = field(default_factory=dict)


def conflict_message(count: int) -> str:
    return ngettext("%(num)d answer you changed was also changed by someone else: choose which answer to keep.",
                    "%(num)d answers you changed were also changed by someone else: choose which answer to keep "
                    "for each.", count)


def section_attachments(ctx: ResponseContext, section, answers: dict, formdata=None) -> dict:
    """The State's uploads in this cycle, when the section's answers or the posted form refer to
    one (a law list's uploaded text); otherwise none is needed and none is read."""
    referred = any(q.answer_type.refers_to_uploads(q, answers.get(q.id), formdata, answer_field(q.id))
                   for q in section.questions)
    return attachments_of(ctx.state.code, ctx.cycle.id) if referred else {}


def _store_uploads(ctx, section, formdata, files):
    """Keep each file chosen in a law list; the form data then carries the new attachment ids.
    Returns (form data, messages about refused files by question id)."""
    chosen = uploads(section, files)
    if not chosen:
        return formdata, {}
    formdata, refused = formdata.copy(), {}
    for question_id, entry, upload in chosen:
        try:
            attachment = store_attachment(ctx.state.code, ctx.cycle.id, current_user, upload.filename, upload.stream)
        except UploadRejected as error:
            refused.setdefault(question_id, []).append(_("Law %(n)d: %(problem)s", n=entry + 1, problem=str(error)))
            continue
        formdata[f"{answer_field(question_id)}-{entry}-attachment"] = str(attachment.id)
    return formdata, refused


def changed(question, raw: Any, state: ops.AnswerState | None) -> bool:
    """Whether the input differs from the stored answer as the form shows it."""
    return raw != question.answer_type.shown(question, state.value if state else None)


def read_section(ctx, section, states: dict[str, ops.AnswerState], formdata, files) -> SectionSave:
    """The posted form, checked: the answers that changed and are valid are to be saved, the
    invalid ones come back with messages (dropped for questions that do not apply under the
    posted answers)."""
    formdata, refused = _store_uploads(ctx, section, formdata, files)
    attachments = section_attachments(ctx, section, ops.values_of(states), formdata)
    posted = read_post(section, formdata, attachments)
    values, errors, versions = {}, {}, {}
    for question in section.questions:
        if question.id not in posted.raw:
            continue
        state = states.get(question.id)
        if not changed(question, posted.raw[question.id], state):
            versions[question.id] = state.revision_number if state else 0
            continue
        try:
            values[question.id] = question.answer_type.parse(question, posted.raw[question.id])
        except AnswerError as error:
            errors[question.id] = error.messages
    merged = {**ops.values_of(states), **values}
    errors = {qid: e for qid, e in errors.items() if ctx.questionnaire.applies(ctx.questionnaire.questions[qid], merged)}
    for qid, messages in refused.items():  # the law list was saved; only the files were refused
        errors.setdefault(qid, []).extend(messages)
    return SectionSave(posted, errors, attachments, values, versions=versions)


def _write(ctx, section, save: SectionSave, response: Response | None, current) -> None:
    values, marks = save.values, save.posted.marks
    # The first save starts the response: from the State's last accepted answers when there are
    # any (an answer the editor changed meanwhile is then a conflict to settle), else from the form.
    if response is None:
        response, current = prefill_response(ctx, current_user), None
    if response is None:
        revision = ops.create_response(ctx.state, ctx.cycle, current_user, values,
                                       {qid for qid, marked in marks.items() if marked})
        answered = {qid: value for qid, value in values.items() if is_answered(value)}
        save.outcome = merge.SaveOutcome(revision, set(answered), {qid: int(qid in answered) for qid in values},
                                         answers=answered)
        save.response_id = revision.response_id
    else:
        save.outcome = merge.save_edits(response, current_user, values, save.posted.loaded,
                                        keep_theirs=save.posted.theirs, confidential=marks, current=current)
        save.response_id = response.id
    save.conflicts = {c.question_id: c for c in save.outcome.conflicts}
    save.versions.update(save.outcome.versions)
    if save.posted.confirmed:
        save.confirmed = _confirm(ctx, section, response or db.session.get(Response, save.response_id),
                                  save.outcome.answers, save.posted.confirmed)


def _confirm(ctx, section, response: Response, answers: dict, ticked) -> int:
    """Record the confirmations of the warnings ticked, for the figures now stored."""
    findings = findings_by_question(ctx.questionnaire, section.questions, answers, current_locale())
    return ops.confirm_figures(response, current_user, [f for fs in findings.values() for f in fs], set(ticked))


def save_section(ctx, section, formdata, files, page: str) -> SectionSave:
    """Read, merge and store the posted section in one transaction, committed here, which also
    drops the input stashed for ``page`` (the path of the section: what was posted supersedes
    it). The transaction is run again when the database fails in a way that may pass, and a
    first save that raced another one creating the response is merged into it on a second try.
    Raises ``ops.ResponseLocked`` when the response was submitted meanwhile, and the database's
    error when it still fails; nothing is stored then."""
    current_locale()  # settled from the account now: a page drawn without the database speaks it too
    try:
        return retrying(lambda: _save_once(ctx, section, formdata, files, page))
    except IntegrityError:
        ctx = load_context(current_user, ctx.cycle.id, ctx.state.code)
        return retrying(lambda: _save_once(ctx, section, formdata, files, page))


def _save_once(ctx, section, formdata, files, page) -> SectionSave:
    """One try, from reading the files (again, from their start) to the commit. The response is
    locked before its answers are read, so what the post is compared and merged with cannot
    change before the commit."""
    for upload in files.values():
        upload.stream.seek(0)
    stash.discard(current_user, page)
    response, states = merge.locked_states(ctx.response) if ctx.response else (None, {})
    save = read_section(ctx, section, states, formdata, files)
    _write(ctx, section, save, response, states if response else None)
    commit_keeping_objects()
    writes_done()
    return save
