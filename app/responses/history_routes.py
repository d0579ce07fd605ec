"""A response's history: the timeline of revisions, any revision as it stood, the comparison of
any two revisions, and restoring an earlier one (which adds a revision: history is never rewritten)."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import HiddenField

from app.extensions import db
from app.i18n import current_locale
from app.responses import operations as ops
from app.responses.access import load_context
from app.responses.diff import by_section, compare_answers
from app.responses.routes import bp, can_edit
from app.responses.saving import TRANSIENT_ERRORS
from app.responses.workflow import Action, may

#: Revisions per page of the timeline.
PER_PAGE = 50
#: Changed questions named per revision on the timeline; the rest are counted.
NAMED_CHANGES = 8


class RestoreForm(FlaskForm):
    """Restore a revision: every answer, or only ``question``'s."""

    question = HiddenField()


def _context_with_response(cycle_id, state_code):
    ctx = load_context(current_user, cycle_id, state_code)
    if ctx.response is None:
        abort(404)
    return ctx


def can_restore(ctx) -> bool:
    return can_edit(ctx) and may(current_user.role_enum, Action.RESTORE)


@bp.route("/history")
@login_required
def history(cycle_id, state_code):
    ctx = _context_with_response(cycle_id, state_code)
    before = request.args.get("before", type=int)
    revisions = ops.revisions_of(ctx.response.id, before=before, limit=PER_PAGE)
    changed = _changed_questions(ctx, [r.number for r in revisions])
    return render_template("responses/history.html", ctx=ctx, revisions=revisions, changed=changed,
                           latest=ctx.response.revision_count, named=NAMED_CHANGES, per_page=PER_PAGE,
                           can_restore=can_restore(ctx), restore_form=RestoreForm())


def _changed_questions(ctx, numbers) -> dict[int, list]:
    """The questions each revision changed, in questionnaire order."""
    order = {qid: index for index, qid in enumerate(ctx.questionnaire.questions)}
    changed = ops.changed_questions(ctx.response.id, numbers)
    return {number: [ctx.questionnaire.questions[qid] for qid in sorted(ids, key=order.get) if qid in order]
            for number, ids in changed.items()}


@bp.route("/revisions/<int:number>")
@login_required
def revision(cycle_id, state_code, number):
    ctx = _context_with_response(cycle_id, state_code)
    revision = ops.get_revision(ctx.response.id, number)
    if revision is None:
        abort(404)
    answers = ops.answers_at(ctx.response.id, number)
    return render_template("responses/revision.html", ctx=ctx, revision=revision, answers=answers,
                           latest=ctx.response.revision_count, can_restore=can_restore(ctx),
                           restore_form=RestoreForm())


def _pair(latest: int) -> tuple[int, int]:
    """The revisions asked for (``a`` the older), defaulting to the latest and the one before."""
    b = request.args.get("b", type=int) or latest
    a = request.args.get("a", type=int) or max(b - 1, 1)
    return (a, b) if a <= b else (b, a)


@bp.route("/compare")
@login_required
def compare(cycle_id, state_code):
    """Answers of revision ``a`` beside those of revision ``b``, question by question."""
    ctx = _context_with_response(cycle_id, state_code)
    a, b = _pair(ctx.response.revision_count)
    revisions = {r.number: r for r in ops.revisions_of(ctx.response.id, numbers=[a, b])}
    if a not in revisions or b not in revisions:
        abort(404)
    diffs = compare_answers(ctx.questionnaire, ops.answers_at(ctx.response.id, a),
                            ops.answers_at(ctx.response.id, b), current_locale())
    return render_template("responses/compare.html", ctx=ctx, a=revisions[a], b=revisions[b],
                           sections=by_section(ctx.questionnaire, diffs),
                           latest=ctx.response.revision_count, can_restore=can_restore(ctx),
                           restore_form=RestoreForm())


@bp.route("/revisions/<int:number>/restore", methods=["POST"])
@login_required
def restore(cycle_id, state_code, number):
    ctx = _context_with_response(cycle_id, state_code)
    form = RestoreForm()
    question = ctx.questionnaire.questions.get(form.question.data) if form.question.data else None
    if ops.get_revision(ctx.response.id, number) is None or (form.question.data and question is None):
        abort(404)
    if not form.validate_on_submit():
        abort(400)
    if not can_restore(ctx):
        flash(_("Earlier answers can be restored only while the response can be edited."), "error")
        return redirect(url_for(".history", cycle_id=cycle_id, state_code=ctx.state.code))
    try:
        restored = ops.restore_revision(ctx.response, current_user, number, question.id if question else None)
        db.session.commit()
    except TRANSIENT_ERRORS:
        db.session.rollback()
        flash(_("The platform was too busy to restore the answers just now. Nothing was changed: please try again."),
              "error")
        return redirect(request.referrer or url_for(".history", cycle_id=cycle_id, state_code=ctx.state.code))
    except ops.ResponseLocked:
        db.session.rollback()
        flash(_("Earlier answers can be restored only while the response can be edited."), "error")
        return redirect(url_for(".history", cycle_id=cycle_id, state_code=ctx.state.code))
    flash(_restored_message(number, question, restored), "success" if restored else "info")
    return redirect(url_for(".history", cycle_id=cycle_id, state_code=ctx.state.code))


def _restored_message(number, question, restored) -> str:
    if restored is None:
        return _("The answers already are those of revision %(number)d: nothing was restored.", number=number)
    if question is not None:
        return _("The answer of revision %(number)d was restored, as revision %(new)d.", number=number,
                 new=restored.number)
    return _("The answers of revision %(number)d were restored, as revision %(new)d.", number=number,
             new=restored.number)
