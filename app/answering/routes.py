"""Filling in a State's questionnaire: overview, starting the cycle's response, sections (saved
by the Save button or by autosave, which posts the same form asking for JSON), submit. These
pages nest under /cycles/<id>/states/<code>/ (app/state_pages.py), which loads their context."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from app.answering import fields, page, saving
from app.answering.autosave import reply
from app.answering.collaboration import overview_extras
from app.answering.forms import ConfirmForm
from app.extensions import db
from app.i18n import current_locale
from app.questionnaires.checks import ERROR, blocking_findings, findings_by_question
from app.questionnaires.schema import localized
from app.responses import operations as ops
from app.responses.access import ResponseContext, can_edit, load_context, request_context
from app.responses.prefill import accepted_source, start_response
from app.responses.workflow import Action, may
from app.review.operations import submit_response
from app.stash import keeps_unsaved_input
from app.stash.pages import keep_posted_input, wants_json

bp = Blueprint("answering", __name__, template_folder="templates")


def _states(ctx) -> dict[str, ops.AnswerState]:
    return ops.current_states(ctx.response) if ctx.response else {}


def can_start(ctx: ResponseContext) -> bool:
    return ctx.response is None and ctx.cycle.is_open and may(current_user.role_enum, Action.CREATE)


def _prefill_source(ctx: ResponseContext):
    """The earlier cycle whose accepted answers would start this response, while it can be started."""
    source = accepted_source(ctx.state.code, ctx.cycle) if can_start(ctx) else None
    return source[2] if source else None


@bp.route("/")
@login_required
def overview():
    ctx = request_context()
    answers = ops.answers_at(ctx.response.id) if ctx.response else {}
    # Known before submitting: the required questions that apply and are still empty.
    missing = ops.missing_required(ctx.questionnaire, answers) if can_edit(ctx, current_user) else None
    refused = request.args.get("submit") == REFUSED and ctx.response is not None and missing is not None
    problems = _blocking(ctx, answers) if refused else ()
    return _render_overview(ctx, answers, missing=missing, problems=problems, refused=refused)


#: ``?submit=refused``: the overview after a refused submission lists why, at the top.
REFUSED = "refused"


def _blocking(ctx, answers) -> list:
    return blocking_findings(ctx.questionnaire, answers, set(ops.confirmations_of(ctx.response.id)),
                             current_locale())


def _render_overview(ctx, answers, missing, problems=(), refused=False):
    progress = ops.section_progress(ctx.questionnaire, answers)
    return render_template(
        "answering/overview.html", ctx=ctx, answers=answers, missing=missing, problems=problems,
        error_links=_refusal_links(ctx, missing or (), problems) if refused else (),
        progress=progress, overall=ops.overall_progress(progress), can_edit=can_edit(ctx, current_user),
        can_submit=can_edit(ctx, current_user) and ctx.response is not None and may(current_user.role_enum, Action.SUBMIT),
        confirm_form=ConfirmForm(), prefill_source=_prefill_source(ctx), **overview_extras(ctx, current_user),
    )


def _refusal_links(ctx, missing, problems) -> list[tuple[str, str]]:
    """Why a submission was refused, for the overview's error summary: each required question
    without an answer and each figure to correct or confirm, linked to its question."""
    def link(question):
        return url_for(".section", cycle_id=ctx.cycle.id, state_code=ctx.state.code,
                       section_id=question.section_id) + f"#q-{question.id}"

    def named(question):
        return f"{question.number} {localized(question.text, current_locale())}"

    return [(link(q), _("%(question)s: %(problem)s", question=named(q), problem=_("this required question has no answer.")))
            for q in missing] + \
        [(link(q), _("%(question)s: %(problem)s", question=named(q), problem=finding.message)) for q, finding in problems]


@bp.route("/start", methods=["POST"])
@login_required
def start():
    """Start the cycle's response, from the State's last accepted answers when there are any."""
    ctx = request_context()
    if not may(current_user.role_enum, Action.CREATE):
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if can_start(ctx):
        try:
            start_response(ctx, current_user)
            db.session.commit()
        except IntegrityError:  # someone else of the State started it a moment before
            db.session.rollback()
    return redirect(url_for(".overview", cycle_id=ctx.cycle.id, state_code=ctx.state.code))


def _section_of(ctx, section_id):
    section = ctx.questionnaire.section(section_id)
    if section is None:
        abort(404)
    return section


@bp.route("/sections/<section_id>", methods=["GET", "POST"])
@keeps_unsaved_input
@login_required
def section(section_id):
    ctx = request_context()
    section = _section_of(ctx, section_id)
    if request.method == "POST":
        return _save(ctx, section)
    if _prefill_source(ctx) is not None:  # the answers to start from are not on the page yet
        flash(_("Start this cycle's response first: it begins with the answers your State gave before."), "info")
        return redirect(url_for(".overview", cycle_id=ctx.cycle.id, state_code=ctx.state.code))
    return page.render_section(ctx, section, _states(ctx), with_stash=True)


def _save(ctx, section):
    if not can_edit(ctx, current_user):
        if not may(current_user.role_enum, Action.SAVE) or not ctx.cycle.is_open:
            abort(403)
        return _locked()
    try:
        save = saving.save_section(ctx, section, request.form, {} if wants_json() else request.files,
                                   page=request.path)
    except ops.ResponseLocked:
        db.session.rollback()
        return _locked()
    if wants_json():
        return reply(ctx, section, save)
    if save.conflicts or save.errors:
        return _render_problems(ctx, section, save)
    return _after_save(ctx, section, save)


def _locked():
    """The response was submitted meanwhile: the input is kept for when it is returned."""
    return keep_posted_input(_("The response was submitted while you were editing, so your changes were not saved. "
                               "They are kept: you will find them on this page if the response is returned for "
                               "clarification."), "locked", 409, "error")


def _render_problems(ctx, section, save):
    """After a save that left answers unsaved: those show as posted, beside the saved ones."""
    ctx = load_context(current_user, ctx.cycle.id, ctx.state.code)
    attention = set(save.errors) | set(save.conflicts)
    if save.conflicts:
        flash(saving.conflict_message(len(save.conflicts)), "error")
    if save.outcome.revision is not None:
        flash(_("Your other answers were saved."), "success")
    if save.errors:
        flash(_("Some answers could not be saved: see the messages beside them."), "error")
    unsaved = page.Unsaved(save.posted, attention, save.errors, save.conflicts, attachments=save.attachments)
    return page.render_section(ctx, section, _states(ctx), unsaved, status=409 if save.conflicts else 422)


def _open_findings(ctx, section, response_id, answers) -> list:
    """The section's table errors and the warnings not yet confirmed for their figures."""
    findings = [f for fs in findings_by_question(ctx.questionnaire, section.questions, answers,
                                                 current_locale()).values() for f in fs]
    if not findings:
        return []
    confirmed = ops.confirmations_of(response_id)
    return [f for f in findings if f.level == ERROR or f.fingerprint not in confirmed]


def _after_save(ctx, section, save):
    """Say what was saved; stay on the section while its tables have figures to correct or confirm."""
    saved = save.outcome.revision is not None
    if saved or not save.confirmed:
        flash(_("Your answers were saved.") if saved
              else _("All your answers are saved: nothing had changed since the last save."), "success")
    if save.confirmed:
        flash(ngettext("Your confirmation of %(num)d set of figures was recorded.",
                       "Your confirmations of %(num)d sets of figures were recorded.", save.confirmed), "success")
    attention = _open_findings(ctx, section, save.response_id, save.outcome.answers)
    if attention:
        flash(_("Some figures need your attention: see the messages beside the tables. "
                "You can correct them later; they must be resolved before the response is submitted."), "warning")
    wanted_next = request.form.get(fields.ACTION) == "next"
    target = page.next_section(ctx, section) if wanted_next and not attention else section
    if target is None:
        return redirect(url_for(".overview", cycle_id=ctx.cycle.id, state_code=ctx.state.code))
    return redirect(url_for(".section", cycle_id=ctx.cycle.id, state_code=ctx.state.code, section_id=target.id))


@bp.route("/question")
@login_required
def go_to_question():
    """"Go to question": a number as pages and PDFs show it ("9.5", also "9,5"), or a question's
    id, opens its section at the question."""
    ctx = request_context()
    wanted = (request.args.get("number") or "").strip().replace(",", ".").rstrip(".")
    question = _numbered(ctx.questionnaire, wanted)
    if question is None:
        flash(_("There is no question %(number)s in this questionnaire. Enter a number such as 2.3.",
                number=wanted[:20]) if wanted else _("Enter the number of a question, such as 2.3."), "error")
        return redirect(url_for(".overview", cycle_id=ctx.cycle.id, state_code=ctx.state.code))
    return redirect(url_for(".section", cycle_id=ctx.cycle.id, state_code=ctx.state.code,
                            section_id=question.section_id) + f"#q-{question.id}")


def _numbered(questionnaire, wanted: str):
    if not wanted:
        return None
    found = next((q for q in questionnaire.questions.values() if q.number == wanted), None)
    return found or questionnaire.questions.get(wanted)


@bp.route("/submit", methods=["POST"])
@login_required
def submit():
    ctx = request_context()
    if not may(current_user.role_enum, Action.SUBMIT):
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if ctx.response is None or not can_edit(ctx, current_user):
        flash(_("This response cannot be submitted in its current status."), "error")
        return redirect(url_for(".overview", cycle_id=ctx.cycle.id, state_code=ctx.state.code))
    answers = ops.answers_at(ctx.response.id)
    missing = ops.missing_required(ctx.questionnaire, answers)
    problems = _blocking(ctx, answers)
    if missing:
        flash(_("The response was not submitted: some required questions have no answer."), "error")
    if problems:
        flash(_("The response was not submitted: some figures must be corrected or confirmed."), "error")
    if missing or problems:  # back on the overview's own address, which lists why at the top
        return redirect(url_for(".overview", cycle_id=ctx.cycle.id, state_code=ctx.state.code, submit=REFUSED), 303)
    submit_response(ctx.response, current_user)
    db.session.commit()
    flash(_("The response was submitted to the secretariat."), "success")
    return redirect(url_for(".overview", cycle_id=ctx.cycle.id, state_code=ctx.state.code))
