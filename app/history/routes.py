"""A response's history: the timeline of revisions, any revision as it stood, the comparison of
any two revisions, and restoring an earlier one (which adds a revision: history is never rewritten)."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import HiddenField

from app.database import retrying
from app.extensions import db
from app.i18n import current_locale
from app.responses import operations as ops
from app.responses.access import can_edit, request_context_with_response
from app.responses.diff import by_section, compare_answers, mark_changes
from app.responses.models import Revision
from app.responses.prefill import prefill_of
from app.responses.workflow import Action, may
from app.security import query_integer

bp = Blueprint("history", __name__, template_folder="templates")

#: Revisions per page of the timeline.
PER_PAGE = 50
#: Changed questions named per revision on the timeline; the rest are counted.
NAMED_CHANGES = 8


class RestoreForm(FlaskForm):
    """Restore a revision: every answer, or only ``question``'s."""

    question = HiddenField()


def can_restore(ctx) -> bool:
    return can_edit(ctx, current_user) and may(current_user.role_enum, Action.RESTORE)


@bp.route("/history")
@login_required
def history():
    ctx = request_context_with_response()
    before = request.args.get("before", type=query_integer)
    revisions = ops.revisions_of(ctx.response.id, before=before, limit=PER_PAGE)
    changed = _changed_questions(ctx, [r.number for r in revisions])
    return render_template("history/history.html", ctx=ctx, revisions=revisions, changed=changed,
                           latest=ctx.response.revision_count, named=NAMED_CHANGES, per_page=PER_PAGE,
                           chosen=default_pair(ctx.response.id, ctx.response.revision_count),
                           can_restore=can_restore(ctx), restore_form=RestoreForm(), prefill=prefill_of(ctx.response))


def default_pair(response_id: int, latest: int) -> tuple[int, int]:
    """The revisions compared unless others are chosen: the latest that changed answers and the
    one before it. The newest two are often status changes only (submitted, then returned),
    whose comparison would be empty. Without such a revision: the latest and the one before."""
    changed = db.session.scalar(select(func.max(Revision.number)).where(
        Revision.response_id == response_id, Revision.number > 1, Revision.change_count > 0))
    b = changed or latest
    return max(b - 1, 1), b


def _changed_questions(ctx, numbers) -> dict[int, list]:
    """The questions each revision changed, in questionnaire order."""
    order = {qid: index for index, qid in enumerate(ctx.questionnaire.questions)}
    changed = ops.changed_questions(ctx.response.id, numbers)
    return {number: [ctx.questionnaire.questions[qid] for qid in sorted(ids, key=order.get) if qid in order]
            for number, ids in changed.items()}


@bp.route("/revisions/<int:number>")
@login_required
def revision(number):
    ctx = request_context_with_response()
    revision = ops.get_revision(ctx.response.id, number)
    if revision is None:
        abort(404)
    answers = ops.answers_at(ctx.response.id, number)
    return render_template("history/revision.html", ctx=ctx, revision=revision, answers=answers,
                           latest=ctx.response.revision_count, can_restore=can_restore(ctx),
                           restore_form=RestoreForm())


def _pair(response_id: int, latest: int) -> tuple[int, int]:
    """The revisions asked for (``a`` the older); without either, ``default_pair``; without ``a``,
    the one before ``b``."""
    a, b = (request.args.get(name, type=query_integer) for name in ("a", "b"))
    if a is None and b is None:
        return default_pair(response_id, latest)
    b = b or latest
    a = a or max(b - 1, 1)
    return (a, b) if a <= b else (b, a)


@bp.route("/compare")
@login_required
def compare():
    """Answers of revision ``a`` beside those of revision ``b``, question by question, and the
    confidentiality marks that differ."""
    ctx = request_context_with_response()
    a, b = _pair(ctx.response.id, ctx.response.revision_count)
    revisions = {r.number: r for r in ops.revisions_of(ctx.response.id, numbers=[a, b])}
    if a not in revisions or b not in revisions:
        abort(404)
    old, new = ops.answer_states_at(ctx.response.id, a), ops.answer_states_at(ctx.response.id, b)
    diffs = compare_answers(ctx.questionnaire, ops.values_of(old), ops.values_of(new), current_locale())
    return render_template("history/compare.html", ctx=ctx, a=revisions[a], b=revisions[b],
                           sections=by_section(ctx.questionnaire, diffs),
                           marks=mark_changes(ctx.questionnaire, ops.confidential_of(old), ops.confidential_of(new)),
                           latest=ctx.response.revision_count, can_restore=can_restore(ctx),
                           restore_form=RestoreForm())


@bp.route("/revisions/<int:number>/restore", methods=["POST"])
@login_required
def restore(number):
    ctx = request_context_with_response()
    if not may(current_user.role_enum, Action.RESTORE):
        abort(403)  # the secretariat reads a State's history but never writes its answers
    form = RestoreForm()
    question = ctx.questionnaire.questions.get(form.question.data) if form.question.data else None
    if ops.get_revision(ctx.response.id, number) is None or (form.question.data and question is None):
        abort(404)
    if not form.validate_on_submit():
        abort(400)
    if not can_restore(ctx):
        flash(_("Earlier answers can be restored only while the response can be edited."), "error")
        return redirect(url_for(".history", cycle_id=ctx.cycle.id, state_code=ctx.state.code))
    try:
        restored = retrying(lambda: _restore(ctx.response, number, question))
    except ops.ResponseLocked:
        db.session.rollback()
        flash(_("Earlier answers can be restored only while the response can be edited."), "error")
        return redirect(url_for(".history", cycle_id=ctx.cycle.id, state_code=ctx.state.code))
    flash(_restored_message(number, question, restored), "success" if restored else "info")
    return redirect(url_for(".history", cycle_id=ctx.cycle.id, state_code=ctx.state.code))


def _restore(response, number, question):
    restored = ops.restore_revision(response, current_user, number, question.id if question else None)
    db.session.commit()
    return restored


def _restored_message(number, question, restored) -> str:
    if restored is None:
        return _("The answers already are those of revision %(number)d: nothing was restored.", number=number)
    if question is not None:
        return _("The answer of revision %(number)d was restored, as revision %(new)d.", number=number,
                 new=restored.number)
    return _("The answers of revision %(number)d were restored, as revision %(new)d.", number=number,
             new=restored.number)
