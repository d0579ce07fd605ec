"""The secretariat's review: every State's status, a submission, return or accept."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.access import reviewer_required
from app.cycles.models import ReportingCycle
from app.cycles.operations import current_cycle
from app.extensions import db
from app.i18n import current_locale
from app.responses.access import load_context
from app.responses.operations import answers_at, confidential_at
from app.responses.workflow import Status
from app.review import operations, queries
from app.review.forms import AcceptForm, PublishForm, return_form
from app.states.names import state_name

bp = Blueprint("review", __name__, url_prefix="/review", template_folder="templates")

STATUS_FILTERS = ("not_started",) + tuple(s.value for s in Status)


@bp.route("/")
@reviewer_required
def dashboard():
    cycle_id = request.args.get("cycle", type=int)
    cycle = db.session.get(ReportingCycle, cycle_id) if cycle_id else current_cycle()
    if cycle is None:
        return render_template("review/dashboard.html", cycle=None, rows=[], counts={}, status_filter=None)
    status_filter = request.args.get("status")
    status_filter = status_filter if status_filter in STATUS_FILTERS else None
    locale = current_locale()
    rows = [
        {"state": state, "name": state_name(state.alpha2, locale), "response": response,
         "status": response.status if response else "not_started"}
        for state, response in queries.states_with_status(cycle.id)
    ]
    counts = {status: sum(1 for row in rows if row["status"] == status) for status in STATUS_FILTERS}
    if status_filter:
        rows = [row for row in rows if row["status"] == status_filter]
    rows.sort(key=lambda row: row["name"])
    return render_template("review/dashboard.html", cycle=cycle, rows=rows, counts=counts,
                           status_filter=status_filter)


def _submission(cycle_id, state_code):
    ctx = load_context(current_user, cycle_id, state_code)
    if ctx.response is None:
        abort(404)
    return ctx


@bp.route("/cycles/<int:cycle_id>/states/<state_code>")
@reviewer_required
def submission(cycle_id, state_code):
    ctx = _submission(cycle_id, state_code)
    return _render_submission(ctx, return_form(ctx.questionnaire))


def _render_submission(ctx, form, status=200):
    comments = queries.comments_for(ctx.response.id)
    return render_template(
        "review/submission.html", ctx=ctx, answers=answers_at(ctx.response.id), form=form,
        accept_form=AcceptForm(), publish_form=PublishForm(), comments=comments,
        confidential=confidential_at(ctx.response.id),
        can_decide=ctx.response.status_enum is Status.SUBMITTED,
        can_publish=ctx.response.status_enum is Status.ACCEPTED,
    ), status


@bp.route("/cycles/<int:cycle_id>/states/<state_code>/return", methods=["POST"])
@reviewer_required
def return_submission(cycle_id, state_code):
    ctx = _submission(cycle_id, state_code)
    form = return_form(ctx.questionnaire, formdata=request.form)
    if ctx.response.status_enum is not Status.SUBMITTED:
        flash(_("Only a submitted response can be returned."), "error")
        return redirect(url_for(".submission", cycle_id=cycle_id, state_code=ctx.state.code))
    if not form.validate():
        flash(_("Write a comment that tells the State what to clarify."), "error")
        return _render_submission(ctx, form, status=422)
    operations.return_response(ctx.response, current_user, form.comment.data, form.question_comments())
    db.session.commit()
    flash(_("The response was returned to the State for clarification."), "success")
    return redirect(url_for(".submission", cycle_id=cycle_id, state_code=ctx.state.code))


@bp.route("/cycles/<int:cycle_id>/states/<state_code>/accept", methods=["POST"])
@reviewer_required
def accept_submission(cycle_id, state_code):
    ctx = _submission(cycle_id, state_code)
    if not AcceptForm().validate_on_submit():
        abort(400)
    if ctx.response.status_enum is not Status.SUBMITTED:
        flash(_("Only a submitted response can be accepted."), "error")
    else:
        operations.accept_response(ctx.response, current_user)
        db.session.commit()
        flash(_("The response was accepted."), "success")
    return redirect(url_for(".submission", cycle_id=cycle_id, state_code=ctx.state.code))


@bp.route("/cycles/<int:cycle_id>/states/<state_code>/publish", methods=["POST"])
@reviewer_required
def publish_submission(cycle_id, state_code):
    """Publish an accepted response: its profile appears on the public page."""
    ctx = _submission(cycle_id, state_code)
    if not PublishForm().validate_on_submit():
        abort(400)
    if ctx.response.status_enum is not Status.ACCEPTED:
        flash(_("Only an accepted response can be published."), "error")
    else:
        operations.publish_response(ctx.response, current_user)
        db.session.commit()
        flash(_("The country profile was published."), "success")
    return redirect(url_for(".submission", cycle_id=cycle_id, state_code=ctx.state.code))
