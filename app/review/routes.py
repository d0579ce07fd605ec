"""The secretariat's review of a submission: read it, return it with comments, or accept it."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.access import reviewer_required
from app.extensions import db
from app.i18n import current_locale
from app.reports.documents import render_published
from app.responses.access import load_context
from app.responses.authorship import last_changes
from app.responses.operations import answer_states_at, confidential_of, values_of
from app.responses.prefill import prefill_of
from app.responses.workflow import Status
from app.review import operations, page, queries
from app.review.forms import AcceptForm, PublishForm, ReturnForm

bp = Blueprint("review", __name__, url_prefix="/review", template_folder="templates")

#: Query parameters of the old list of States that the analysis dashboard understands.
DASHBOARD_PARAMETERS = ("cycle", "status", "region", "sort", "order")


@bp.route("/")
@reviewer_required
def dashboard():
    """The list of States moved to the analysis dashboard; old links and bookmarks still work."""
    kept = {name: request.args[name] for name in DASHBOARD_PARAMETERS if name in request.args}
    return redirect(url_for("analysis.dashboard", **kept))


def _submission(cycle_id, state_code):
    ctx = load_context(current_user, cycle_id, state_code)
    if ctx.response is None:
        abort(404)
    return ctx


@bp.route("/cycles/<int:cycle_id>/states/<state_code>")
@reviewer_required
def submission(cycle_id, state_code):
    ctx = _submission(cycle_id, state_code)
    return _render_submission(ctx, ReturnForm())


def _render_submission(ctx, form, status=200):
    """The response with every comment, marked and filtered (``?show=``) as app/review/page.py
    says, and the decision."""
    threads = queries.threads_for(ctx.response.id)
    by_question = queries.threads_by_question(threads)
    states = answer_states_at(ctx.response.id)
    answers = values_of(states)
    changes = queries.changes_since_previous_submission(ctx.questionnaire, ctx.response.id, current_locale())
    show = page.chosen_filter(request.args.get("show"))
    earlier = queries.earlier_accepted(ctx.state.code, ctx.cycle)
    sections = page.review_sections(ctx.questionnaire, answers, changes.questions, set(by_question) - {None}, show,
                                    earlier.questions if earlier else None, earlier.values if earlier else None)
    return render_template(
        "review/submission.html", ctx=ctx, answers=answers, form=form, accept_form=AcceptForm(),
        publish_form=PublishForm(), threads=threads, threads_by_question=by_question,
        last_changes=last_changes(ctx.response.id), changes=changes, prefill=prefill_of(ctx.response),
        confidential=confidential_of(states),
        sections=sections, totals=page.totals(sections), show=show, earlier=earlier,
        position=page.position(sections, request.args.get("section")),
        can_decide=ctx.response.status_enum is Status.SUBMITTED,
        can_publish=ctx.response.status_enum is Status.ACCEPTED,
    ), status


@bp.route("/cycles/<int:cycle_id>/states/<state_code>/return", methods=["POST"])
@reviewer_required
def return_submission(cycle_id, state_code):
    ctx = _submission(cycle_id, state_code)
    form = ReturnForm()
    if ctx.response.status_enum is not Status.SUBMITTED:
        flash(_("Only a submitted response can be returned."), "error")
        return redirect(url_for(".submission", cycle_id=cycle_id, state_code=ctx.state.code))
    if not form.validate():
        flash(_("Write a comment that tells the State what to clarify."), "error")
        return _render_submission(ctx, form, status=422)
    operations.return_response(ctx.response, current_user, form.comment.data)
    db.session.commit()
    flash(_("The response was returned to the State for clarification."), "success")
    return redirect(url_for(".submission", cycle_id=cycle_id, state_code=ctx.state.code))


def _decide(cycle_id, state_code, form, expected: Status, decide, refused: str, done: str):
    """Accept or publish: a decision with no form fields, taken only from the ``expected`` status."""
    ctx = _submission(cycle_id, state_code)
    if not form.validate_on_submit():
        abort(400)
    if ctx.response.status_enum is not expected:
        flash(refused, "error")
    else:
        decide(ctx.response, current_user)
        db.session.commit()
        flash(done, "success")
    return redirect(url_for(".submission", cycle_id=cycle_id, state_code=ctx.state.code))


@bp.route("/cycles/<int:cycle_id>/states/<state_code>/accept", methods=["POST"])
@reviewer_required
def accept_submission(cycle_id, state_code):
    return _decide(cycle_id, state_code, AcceptForm(), Status.SUBMITTED, operations.accept_response,
                   _("Only a submitted response can be accepted."), _("The response was accepted."))


def _publish_and_render(response, reviewer):
    """Publish, and queue the public profile in every language in the same transaction, so that
    readers of the public page find it made."""
    revision = operations.publish_response(response, reviewer)
    render_published(response, revision.number)
    return revision


@bp.route("/cycles/<int:cycle_id>/states/<state_code>/publish", methods=["POST"])
@reviewer_required
def publish_submission(cycle_id, state_code):
    """Publish an accepted response: its profile appears on the public page."""
    return _decide(cycle_id, state_code, PublishForm(), Status.ACCEPTED, _publish_and_render,
                   _("Only an accepted response can be published."), _("The country profile was published."))
