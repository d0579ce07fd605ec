"""The save of one section, shared by the Save button and autosave: read and check the posted
form, merge it with what others saved meanwhile (app/responses/merge.py), store it, and say what
happened. A save is one transaction: it stores everything or nothing. When the database fails
in a way that may pass (busy, lock timeout, connection lost) the whole save is run again
(``app.database.retrying``); when it still fails, the error page gives the posted input back
for another try (app/errors.py)."""
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app.attachments.operations import UploadRejected, attachments_of, store_attachment
from app.database import retrying, writes_done
from app.extensions import db
from app.i18n import current_locale
from app.questionnaires.answers import is_answered
from app.questionnaires.checks import findings_by_question
from app.responses import merge
from app.responses import operations as ops
from app.responses.access import ResponseContext, load_context
from app.answering.forms import SectionForm, field_name, law_uploads, section_form
from app.responses.models import Response
from app.responses.prefill import prefill_response
from app.stash import operations as stash

#: Hidden inputs of each question: the revision its answer was loaded at; in a conflict, the
#: revision of the other answer shown; and the editor's choice between the two.
VERSION, SEEN, RESOLVE = "v_", "seen_", "resolve_"


@dataclass
class SectionSave:
    form: SectionForm
    #: Messages by question id, for answers that could not be saved as given.
    errors: dict[str, list[str]]
    attachments: dict
    #: The valid answers posted, by question id (None for empty).
    values: dict = field(default_factory=dict)
    #: The confidentiality marks of the questions the page showed, by question id.
    marks: dict = field(default_factory=dict)
    outcome: merge.SaveOutcome | None = None
    response_id: int | None = None
    confirmed: int = 0
    conflicts: dict[str, merge.Conflict] = field(default_factory=dict)


def conflict_message(count: int) -> str:
    return ngettext("%(num)d answer you changed was also changed by someone else: choose which answer to keep.",
                    "%(num)d answers you changed were also changed by someone else: choose which answer to keep "
                    "for each.", count)


def section_attachments(ctx: ResponseContext, section) -> dict:
    """The State's uploads in this cycle, when the section has a law list to show them in."""
    if not any(question.type == "law_list" for question in section.questions):
        return {}
    return attachments_of(ctx.state.code, ctx.cycle.id)


def posted_versions(formdata, section, prefix: str = VERSION) -> dict[str, int]:
    """The revision each answer was loaded at, as the page posted it."""
    return {q.id: int(raw) for q in section.questions if (raw := formdata.get(prefix + q.id, "")).isdigit()}


def loaded_versions(formdata, section) -> dict[str, int]:
    """The revision each answer was loaded at; for a conflict the editor settled by keeping their
    own answer, the revision of the other answer they were shown."""
    seen = posted_versions(formdata, section, SEEN)
    mine = {qid: number for qid, number in seen.items() if formdata.get(RESOLVE + qid) == "mine"}
    return {**posted_versions(formdata, section), **mine}


def settled_for_theirs(formdata, section) -> frozenset[str]:
    return frozenset(q.id for q in section.questions if formdata.get(RESOLVE + q.id) == "theirs")


def _store_uploads(ctx, section, formdata, files):
    """Keep each file chosen in a law list; the form data then carries the new attachment ids.
    Returns (form data, messages about refused files by question id)."""
    formdata, refused = formdata.copy(), {}
    for question_id, entry, upload in law_uploads(section, files):
        try:
            attachment = store_attachment(ctx.state.code, ctx.cycle.id, current_user, upload.filename, upload.stream)
        except UploadRejected as error:
            refused.setdefault(question_id, []).append(_("Law %(n)d: %(problem)s", n=entry + 1, problem=str(error)))
            continue
        formdata[f"{field_name(question_id)}-{entry}-attachment"] = str(attachment.id)
    return formdata, refused


def _sent(formdata, question) -> bool:
    """Whether the post carries ``question``: a form leaves out a question it does not send,
    rather than repeating an answer its editor never saw. Unticked boxes send nothing: a multiple
    choice counts as sent when its version is (the page showed it)."""
    name = field_name(question.id)
    if question.type == "multiple_choice" and VERSION + question.id in formdata:
        return True
    return any(key == name or key.startswith(name + "-") for key in formdata)


def read_section(ctx, section, answers, formdata, files) -> SectionSave:
    """The posted form, checked: valid answers are to be saved, others come back with messages.
    Messages for questions that do not apply under the posted answers are dropped."""
    formdata, refused = _store_uploads(ctx, section, formdata, files)
    attachments = section_attachments(ctx, section)
    form = section_form(section, current_locale(), answers, formdata=formdata, attachments=attachments)
    form.validate()
    values, errors = form.answers(section)
    values = {qid: value for qid, value in values.items() if _sent(formdata, ctx.questionnaire.questions[qid])}
    merged = {**answers, **values}
    errors = {qid: e for qid, e in errors.items() if ctx.questionnaire.applies(ctx.questionnaire.questions[qid], merged)}
    for qid, messages in refused.items():  # the law list was saved; only the files were refused
        form[field_name(qid)].errors.extend(messages)
        errors.setdefault(qid, []).extend(messages)
    # An unticked box sends nothing: no mark means "not confidential" only for a question the page
    # showed (its version was posted); a post that leaves a question out leaves its mark alone.
    marks = {qid: marked for qid, marked in form.confidential_marks(section).items()
             if marked or VERSION + qid in formdata}
    return SectionSave(form, errors, attachments, values, marks)


def _write(ctx, section, save: SectionSave, formdata) -> None:
    values = save.values
    # The first save starts the response: from the State's last accepted answers when there are
    # any (an answer the editor changed meanwhile is then a conflict to settle), else from the form.
    response = ctx.response or prefill_response(ctx, current_user)
    if response is None:
        revision = ops.create_response(ctx.state, ctx.cycle, current_user, values,
                                       {qid for qid, marked in save.marks.items() if marked})
        answered = {qid for qid, value in values.items() if is_answered(value)}
        save.outcome = merge.SaveOutcome(revision, answered, {qid: int(qid in answered) for qid in values})
        save.response_id = revision.response_id
    else:
        save.outcome = merge.save_edits(response, current_user, values, loaded_versions(formdata, section),
                                        keep_theirs=settled_for_theirs(formdata, section), confidential=save.marks)
        save.response_id = response.id
    save.conflicts = {c.question_id: c for c in save.outcome.conflicts}
    ticked = set(save.form.confirm.data or ())
    if ticked:
        save.confirmed = _confirm(ctx, section, save.response_id, ticked)


def _confirm(ctx, section, response_id, ticked) -> int:
    """Record the confirmations of the warnings ticked, for the figures now stored."""
    answers = ops.answers_at(response_id)
    findings = findings_by_question(ctx.questionnaire, section.questions, answers, current_locale())
    response = db.session.get(Response, response_id)
    return ops.confirm_figures(response, current_user, [f for fs in findings.values() for f in fs], ticked)


def save_section(ctx, section, answers, formdata, files, page: str) -> SectionSave:
    """Read, merge and store the posted section in one transaction, committed here, which also
    drops the input stashed for ``page`` (the path of the section: what was posted supersedes
    it). The transaction is run again when the database fails in a way that may pass, and a
    first save that raced another one creating the response is merged into it on a second try.
    Raises ``ops.ResponseLocked`` when the response was submitted meanwhile, and the database's
    error when it still fails; nothing is stored then."""
    try:
        return retrying(lambda: _save_once(ctx, section, answers, formdata, files, page))
    except IntegrityError:
        ctx = load_context(current_user, ctx.cycle.id, ctx.state.code)
        return retrying(lambda: _save_once(ctx, section, answers, formdata, files, page))


def _save_once(ctx, section, answers, formdata, files, page) -> SectionSave:
    """One try, from reading the files (again, from their start) to the commit."""
    for upload in files.values():
        upload.stream.seek(0)
    stash.discard(current_user, page)
    save = read_section(ctx, section, answers, formdata, files)
    _write(ctx, section, save, formdata)
    db.session.commit()
    writes_done()
    return save
