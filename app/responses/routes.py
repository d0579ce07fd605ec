"""Filling in a State's questionnaire: overview, sections, submit, history."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.i18n import current_locale
from app.responses import operations as ops
from app.responses.access import ResponseContext, load_context
from app.responses.forms import ConfirmForm, section_form
from app.responses.workflow import EDITABLE, Action, may
from app.review.queries import comments_for

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
    ctx = load_context(current_user, cycle_id, state_code)
    return _render_overview(ctx, _answers(ctx), missing=None)


def _render_overview(ctx, answers, missing, status=200):
    comments = comments_for(ctx.response.id) if ctx.response else []
    return render_template(
        "responses/overview.html", ctx=ctx, answers=answers, missing=missing, comments=comments,
        progress=ops.section_progress(ctx.questionnaire, answers), can_edit=_can_edit(ctx),
        can_submit=_can_edit(ctx) and ctx.response is not None and may(current_user.role_enum, Action.SUBMIT),
        confirm_form=ConfirmForm(),
    ), status


@bp.route("/sections/<section_id>", methods=["GET", "POST"])
@login_required
def section(cycle_id, state_code, section_id):
    ctx = load_context(current_user, cycle_id, state_code)
    section = ctx.questionnaire.section(section_id)
    if section is None:
        abort(404)
    answers, confidential = _answers_and_marks(ctx)
    editable = _can_edit(ctx)
    if request.method == "POST":
        if not editable:
            abort(403)
        return _save_section(ctx, section, answers)
    form = section_form(section, current_locale(), answers, confidential=confidential)
    return _render_section(ctx, section, form, answers, editable, confidential=confidential)


def _render_section(ctx, section, form, answers, editable, status=200, confidential=frozenset()):
    comments = comments_for(ctx.response.id) if ctx.response else []
    return render_template(
        "responses/section.html", ctx=ctx, section=section, form=form, answers=answers, editable=editable,
        comments_by_question=_group_comments(comments), next_section=_next_section(ctx, section),
        confidential=confidential,
    ), status


def _group_comments(comments):
    grouped = {}
    for comment in comments:
        grouped.setdefault(comment.question_id, []).append(comment)
    return grouped


def _next_section(ctx, section):
    ids = [s.id for s in ctx.questionnaire.sections]
    index = ids.index(section.id)
    return ctx.questionnaire.sections[index + 1] if index + 1 < len(ids) else None


def _save_section(ctx, section, answers):
    form = section_form(section, current_locale(), answers, formdata=request.form)
    form.validate()
    values, errors = form.answers(section)
    marks = form.confidential_marks(section)
    merged = {**answers, **{qid: v for qid, v in values.items()}}
    errors = {qid: e for qid, e in errors.items() if ctx.questionnaire.applies(ctx.questionnaire.questions[qid], merged)}
    try:
        if ctx.response is None:
            ops.create_response(ctx.state, ctx.cycle, current_user, values,
                                {qid for qid, marked in marks.items() if marked})
            saved = True
        else:
            saved = ops.save_answers(ctx.response, current_user, values, confidential=marks) is not None
        db.session.commit()
    except (IntegrityError, ops.ResponseLocked):
        db.session.rollback()
        flash(_("Your answers could not be saved because the response changed at the same time. "
                "They are shown again below: please save again."), "error")
        return _render_section(load_context(current_user, ctx.cycle.id, ctx.state.code), section, form,
                               answers, True, status=409)
    if errors:
        flash(_("Some answers could not be saved: see the messages beside them. "
                "Your other answers were saved."), "error")
        return _render_section(load_context(current_user, ctx.cycle.id, ctx.state.code), section, form,
                               merged, True, status=422)
    flash(_("Your answers were saved.") if saved else _("There were no changes to save."), "success")
    target = _next_section(ctx, section) if request.form.get("action") == "next" else section
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
    if missing:
        flash(_("The response was not submitted: some required questions have no answer."), "error")
        return _render_overview(ctx, answers, missing=missing, status=422)
    ops.change_status(ctx.response, Action.SUBMIT, current_user)
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
