"""Filling in a State's questionnaire: overview, sections, submit, history."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from app.attachments.operations import UploadRejected, attachments_of, store_attachment
from app.cycles.prefill import open_response
from app.extensions import db
from app.i18n import current_locale
from app.questionnaires.checks import ERROR, blocking_findings, findings_by_question
from app.responses import operations as ops
from app.responses.access import ResponseContext, load_context
from app.responses.collaboration import overview_extras, section_extras
from app.responses.forms import ConfirmForm, field_name, law_uploads, section_form
from app.responses.models import Response
from app.responses.workflow import EDITABLE, Action, may
from app.review.operations import submit_response
from app.stash import keeps_unsaved_input
from app.stash import operations as stash

bp = Blueprint("responses", __name__, url_prefix="/cycles/<int:cycle_id>/states/<state_code>",
               template_folder="templates")


def _can_edit(ctx: ResponseContext) -> bool:
    """State users of this State, while the cycle is open and the response is editable."""
    if not may(current_user.role_enum, Action.SAVE) or not ctx.cycle.is_open:
        return False
    return ctx.response is None or ctx.response.status_enum in EDITABLE


def _answers(ctx: ResponseContext) -> dict:
    return ops.answers_at(ctx.response.id) if ctx.response else {}


def _answers_and_marks(ctx: ResponseContext) -> tuple[dict, set[str]]:
    """The current answers and the ids of those marked confidential, in one query."""
    states = ops.answer_states_at(ctx.response.id) if ctx.response else {}
    return ({qid: state.value for qid, state in states.items() if state.value is not None},
            {qid for qid, state in states.items() if state.confidential})


@bp.route("/")
@login_required
def overview(cycle_id, state_code):
    ctx = open_response(current_user, cycle_id, state_code)
    return _render_overview(ctx, _answers(ctx), missing=None)


def _render_overview(ctx, answers, missing, problems=(), status=200):
    return render_template(
        "responses/overview.html", ctx=ctx, answers=answers, missing=missing, problems=problems,
        progress=ops.section_progress(ctx.questionnaire, answers), can_edit=_can_edit(ctx),
        can_submit=_can_edit(ctx) and ctx.response is not None and may(current_user.role_enum, Action.SUBMIT),
        confirm_form=ConfirmForm(), **overview_extras(ctx, current_user),
    ), status


@bp.route("/sections/<section_id>", methods=["GET", "POST"])
@keeps_unsaved_input
@login_required
def section(cycle_id, state_code, section_id):
    ctx = open_response(current_user, cycle_id, state_code)
    section = ctx.questionnaire.section(section_id)
    if section is None:
        abort(404)
    answers, confidential = _answers_and_marks(ctx)
    editable = _can_edit(ctx)
    if request.method == "POST":
        if not editable:
            abort(403)
        return _save_section(ctx, section, answers)
    attachments = _attachments(ctx, section)
    form, unsaved = _form_with_unsaved_input(section, answers, attachments, confidential) if editable else \
        (section_form(section, current_locale(), answers, attachments=attachments, confidential=confidential), None)
    return _render_section(ctx, section, form, answers, editable, attachments, unsaved=unsaved,
                           confidential=confidential)


def _attachments(ctx, section) -> dict:
    """The State's uploads in this cycle, when the section has a law list to show them in."""
    if not any(question.type == "law_list" for question in section.questions):
        return {}
    return attachments_of(ctx.state.code, ctx.cycle.id)


def _form_with_unsaved_input(section, answers, attachments, confidential):
    """The form filled from the saved answers, or from the input stashed for this page (by the
    language switcher) when that differs from them; and the stash when it is shown."""
    saved = section_form(section, current_locale(), answers, attachments=attachments, confidential=confidential)
    unsaved = stash.find(current_user, request.path)
    if unsaved is None:
        return saved, None
    restored = section_form(section, current_locale(), answers, formdata=unsaved.formdata, attachments=attachments,
                            confidential=confidential)
    if _input_of(restored) != _input_of(saved):
        return restored, unsaved
    stash.discard(current_user, request.path)
    db.session.commit()
    return saved, None


def _input_of(form):
    """What the form holds, with every kind of "empty" (None, "", []) alike."""
    return {name: value or None for name, value in form.data.items() if name != "csrf_token"}


def _render_section(ctx, section, form, answers, editable, attachments, status=200, unsaved=None,
                    confidential=frozenset()):
    findings = findings_by_question(ctx.questionnaire, section.questions, answers, current_locale())
    confirmations = ops.confirmations_of(ctx.response.id) if findings and ctx.response else {}
    return render_template(
        "responses/section.html", ctx=ctx, section=section, form=form, answers=answers, editable=editable,
        next_section=_next_section(ctx, section), **section_extras(ctx, current_user),
        findings=findings, confirmations=confirmations, attachments=attachments, unsaved=unsaved,
        confidential=confidential,
    ), status


def _next_section(ctx, section):
    ids = [s.id for s in ctx.questionnaire.sections]
    index = ids.index(section.id)
    return ctx.questionnaire.sections[index + 1] if index + 1 < len(ids) else None


def _store_uploads(ctx, section):
    """Keep each file chosen in a law list; the form data then carries the new attachment ids.
    Returns (form data, messages about refused files by question id)."""
    formdata, refused = request.form.copy(), {}
    for question_id, entry, upload in law_uploads(section, request.files):
        try:
            attachment = store_attachment(ctx.state.code, ctx.cycle.id, current_user, upload.filename, upload.stream)
        except UploadRejected as error:
            refused.setdefault(question_id, []).append(_("Law %(n)d: %(problem)s", n=entry + 1, problem=str(error)))
            continue
        formdata[f"{field_name(question_id)}-{entry}-attachment"] = str(attachment.id)
    return formdata, refused


def _write_answers(ctx, section, values, marks, merged, ticked) -> tuple[Response, bool, int]:
    """Store the changed answers and confidentiality marks, then the confirmations of the warnings
    ticked for the figures now stored. Returns (the response, whether answers changed, how many
    confirmations were added)."""
    if ctx.response is None:
        revision = ops.create_response(ctx.state, ctx.cycle, current_user, values,
                                       {qid for qid, marked in marks.items() if marked})
        response, saved = db.session.get(Response, revision.response_id), True
    else:
        response = ctx.response
        saved = ops.save_answers(response, current_user, values, confidential=marks) is not None
    if not ticked:
        return response, saved, 0
    findings = findings_by_question(ctx.questionnaire, section.questions, merged, current_locale())
    return response, saved, ops.confirm_figures(response, current_user, [f for fs in findings.values() for f in fs],
                                                ticked)


def _save_section(ctx, section, answers):
    formdata, refused = _store_uploads(ctx, section)
    attachments = _attachments(ctx, section)
    form = section_form(section, current_locale(), answers, formdata=formdata, attachments=attachments)
    form.validate()
    values, errors = form.answers(section)
    stash.discard(current_user, request.path)  # what was posted supersedes any stashed input
    marks = form.confidential_marks(section)
    merged = {**answers, **values}
    errors = {qid: e for qid, e in errors.items() if ctx.questionnaire.applies(ctx.questionnaire.questions[qid], merged)}
    for qid, messages in refused.items():  # the law list was saved; only the files were refused
        form[field_name(qid)].errors.extend(messages)
        errors.setdefault(qid, []).extend(messages)
    try:
        response, saved, confirmed = _write_answers(ctx, section, values, marks, merged,
                                                    set(form.confirm.data or ()))
        db.session.commit()
    except (IntegrityError, ops.ResponseLocked):
        db.session.rollback()
        flash(_("Your answers could not be saved because the response changed at the same time. "
                "They are shown again below: please save again."), "error")
        return _render_section(load_context(current_user, ctx.cycle.id, ctx.state.code), section, form,
                               answers, True, attachments, status=409)
    if errors:
        flash(_("Some answers could not be saved: see the messages beside them. "
                "Your other answers were saved."), "error")
        return _render_section(load_context(current_user, ctx.cycle.id, ctx.state.code), section, form,
                               merged, True, attachments, status=422)
    return _after_save(ctx, section, response.id, merged, saved, confirmed)


def _open_findings(ctx, section, response_id, answers) -> list:
    """The section's table errors and the warnings not yet confirmed for their figures."""
    findings = [f for fs in findings_by_question(ctx.questionnaire, section.questions, answers,
                                                 current_locale()).values() for f in fs]
    if not findings:
        return []
    confirmed = ops.confirmations_of(response_id)
    return [f for f in findings if f.level == ERROR or f.fingerprint not in confirmed]


def _after_save(ctx, section, response_id, answers, saved, confirmed):
    """Say what was saved; stay on the section while its tables have figures to correct or confirm."""
    if saved or not confirmed:
        flash(_("Your answers were saved.") if saved else _("There were no changes to save."), "success")
    if confirmed:
        flash(ngettext("Your confirmation of %(num)d set of figures was recorded.",
                       "Your confirmations of %(num)d sets of figures were recorded.", confirmed), "success")
    attention = _open_findings(ctx, section, response_id, answers)
    if attention:
        flash(_("Some figures need your attention: see the messages beside the tables. "
                "You can correct them later; they must be resolved before the response is submitted."), "warning")
    target = _next_section(ctx, section) if request.form.get("action") == "next" and not attention else section
    if target is None:
        return redirect(url_for(".overview", cycle_id=ctx.cycle.id, state_code=ctx.state.code))
    return redirect(url_for(".section", cycle_id=ctx.cycle.id, state_code=ctx.state.code, section_id=target.id))


@bp.route("/submit", methods=["POST"])
@login_required
def submit(cycle_id, state_code):
    ctx = load_context(current_user, cycle_id, state_code)
    if not may(current_user.role_enum, Action.SUBMIT):
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if ctx.response is None or not _can_edit(ctx):
        flash(_("This response cannot be submitted in its current status."), "error")
        return redirect(url_for(".overview", cycle_id=cycle_id, state_code=ctx.state.code))
    answers = _answers(ctx)
    missing = ops.missing_required(ctx.questionnaire, answers)
    problems = blocking_findings(ctx.questionnaire, answers, set(ops.confirmations_of(ctx.response.id)),
                                 current_locale())
    if missing:
        flash(_("The response was not submitted: some required questions have no answer."), "error")
    if problems:
        flash(_("The response was not submitted: some figures must be corrected or confirmed."), "error")
    if missing or problems:
        return _render_overview(ctx, answers, missing=missing, problems=problems, status=422)
    submit_response(ctx.response, current_user)
    db.session.commit()
    flash(_("The response was submitted to the secretariat."), "success")
    return redirect(url_for(".overview", cycle_id=cycle_id, state_code=ctx.state.code))


@bp.route("/history")
@login_required
def history(cycle_id, state_code):
    ctx = load_context(current_user, cycle_id, state_code)
    if ctx.response is None:
        abort(404)
    return render_template("responses/history.html", ctx=ctx, revisions=ops.revisions_of(ctx.response.id))


@bp.route("/revisions/<int:number>")
@login_required
def revision(cycle_id, state_code, number):
    ctx = load_context(current_user, cycle_id, state_code)
    revision = ops.get_revision(ctx.response.id, number) if ctx.response else None
    if revision is None:
        abort(404)
    answers = ops.answers_at(ctx.response.id, number)
    return render_template("responses/revision.html", ctx=ctx, revision=revision, answers=answers)
