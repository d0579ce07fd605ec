"""The secretariat's view across States: the dashboard, answers by question, a State against
the previous cycle, and exports. Every page here only reads; the two POSTs queue work (a
workbook, a deadline reminder)."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.utils import secure_filename

from app.analysis import comparison as compare_ops
from app.analysis import export_jobs
from app.analysis import summary
from app.analysis.dashboard import Filters, build_rows, filtered
from app.analysis.dataset import PUBLIC, decided_scope, state_answers
from app.analysis.derived import derived_distribution, input_questions
from app.analysis.distribution import answer_map, distribution
from app.analysis.exports import Export, csv_chunks
from app.analysis.sdg import sdg_chunks
from app.analysis.forms import PUBLIC as PUBLIC_DATA
from app.analysis.forms import ExportForm, ReminderForm, region_choices
from app.analysis.regions import geoscheme
from app.auth.access import reviewer_required
from app.cycles.models import ReportingCycle, cycle_questionnaire
from app.cycles.operations import current_cycle
from app.database import utcnow
from app.extensions import db
from app.i18n import current_locale, text_direction
from app.jobs import operations as jobs
from app.jobs.routes import job_page
from app.notifications.deadlines import remind_state
from app.responses.access import load_context
from app.security import query_integer
from app.states.models import State
from app.states.names import state_name

bp = Blueprint("analysis", __name__, url_prefix="/analysis", template_folder="templates")


def _cycle(cycle_id: int) -> ReportingCycle:
    return db.session.get(ReportingCycle, cycle_id) or abort(404)


def _cycle_names() -> list[tuple[int, str]]:
    """(id, name) of every cycle, newest first, without loading their definitions."""
    return list(db.session.execute(
        select(ReportingCycle.id, ReportingCycle.name).order_by(ReportingCycle.opens_on.desc(), ReportingCycle.id.desc())
    ))


def _region_states(region: str | None) -> tuple[str, ...] | None:
    if not geoscheme().region(region):
        return None
    return tuple(code for code in db.session.scalars(select(State.code)) if geoscheme().contains(region, code))


def _analysis_options():
    """The responses an analysis page counts: accepted and published, submitted ones on request,
    optionally in one region."""
    include_submitted = request.args.get("include") == "submitted"
    region = request.args.get("region") if geoscheme().region(request.args.get("region")) else None
    return decided_scope(include_submitted), include_submitted, region


@bp.route("/")
@reviewer_required
def dashboard():
    cycle_id = request.args.get("cycle", type=query_integer)
    cycle = _cycle(cycle_id) if cycle_id else current_cycle()
    if cycle is None:
        return render_template("analysis/dashboard.html", cycle=None)
    locale, today = current_locale(), utcnow().date()
    filters = Filters.parse(request.args)
    questionnaire = cycle_questionnaire(cycle)
    rows = build_rows(cycle, questionnaire, locale, today)
    shown, counts = filtered(rows, filters)
    return render_template("analysis/dashboard.html", cycle=cycle, cycles=_cycle_names(), rows=shown,
                           counts=counts, filters=filters, regions=region_choices(locale),
                           days_left=(cycle.closes_on - today).days,
                           overall=summary.status_bar(rows, _("All Member States")),
                           region_bars=summary.region_bars(rows, locale), concerns=summary.concerns(rows),
                           status_map=summary.status_map(rows, text_direction(locale) == "rtl", cycle.id),
                           at_risk_days=summary.AT_RISK_DAYS, at_risk_completion=summary.AT_RISK_COMPLETION,
                           reminder_form=ReminderForm(),
                           derived=_derived(cycle, questionnaire, filters.region, locale))


@bp.route("/cycles/<int:cycle_id>/states/<state_code>/reminder", methods=["POST"])
@reviewer_required
def send_reminder(cycle_id, state_code):
    """Remind one State's users of the deadline: e-mails queued as jobs, an audit entry."""
    cycle = _cycle(cycle_id)
    state = db.session.get(State, state_code) or abort(404)
    if not ReminderForm().validate_on_submit():
        abort(400)
    reminded = remind_state(cycle, state, current_user, utcnow().date())
    db.session.commit()
    name = state_name(state.alpha2, current_locale())
    if reminded is None:
        flash(_("%(state)s has already submitted its response: no reminder was sent.", state=name), "error")
    elif reminded == 0:
        flash(_("%(state)s has no user who could be reminded yet.", state=name), "error")
    else:
        flash(ngettext("A reminder was sent to %(num)d user of %(state)s.",
                       "A reminder was sent to %(num)d users of %(state)s.", reminded, state=name), "success")
    return redirect(url_for("analysis.dashboard", cycle=cycle.id), 303)


def _derived(cycle, questionnaire, region: str | None, locale: str) -> list:
    """The distribution of each derived classification over the accepted and published
    responses (of the region shown), in two queries whatever the number of States."""
    if not questionnaire.classifications:
        return []
    items = list(state_answers(cycle, questionnaire, decided_scope(), _region_states(region),
                               question_ids=input_questions(questionnaire)))
    return [derived_distribution(c, items, locale) for c in questionnaire.classifications]


@bp.route("/cycles/<int:cycle_id>/questions")
@reviewer_required
def questions(cycle_id):
    cycle = _cycle(cycle_id)
    questionnaire = cycle_questionnaire(cycle)
    scope, include_submitted, region = _analysis_options()
    items = list(state_answers(cycle, questionnaire, scope, _region_states(region)))
    locale = current_locale()
    distributions = {qid: distribution(question, items, locale) for qid, question in questionnaire.questions.items()}
    return render_template("analysis/questions.html", cycle=cycle, questionnaire=questionnaire,
                           distributions=distributions, counted=len(items), include_submitted=include_submitted,
                           region=region, regions=region_choices(locale))


@bp.route("/cycles/<int:cycle_id>/questions/<question_id>")
@reviewer_required
def question(cycle_id, question_id):
    cycle = _cycle(cycle_id)
    questionnaire = cycle_questionnaire(cycle)
    asked = questionnaire.questions.get(question_id) or abort(404)
    scope, include_submitted, region = _analysis_options()
    items = list(state_answers(cycle, questionnaire, scope, _region_states(region), question_ids=[question_id]))
    locale = current_locale()
    result = distribution(asked, items, locale)
    answers_map = answer_map(result, locale, text_direction(locale) == "rtl", _("Answers by Member State"),
                             _("Not counted or not answered"))
    return render_template("analysis/question.html", cycle=cycle, questionnaire=questionnaire,
                           question=asked, result=result, answers_map=answers_map,
                           include_submitted=include_submitted,
                           region=region, regions=region_choices(locale))


@bp.route("/cycles/<int:cycle_id>/states/<state_code>/comparison")
@login_required
def comparison(cycle_id, state_code):
    """A State's answers beside the previous cycle's: the secretariat for any State, a State's
    own users for their State only (``load_context`` answers 404 otherwise). Only the questions
    whose answer changed, unless ``?show=all``."""
    ctx = load_context(current_user, cycle_id, state_code)
    return render_template("analysis/comparison.html", ctx=ctx, show_all=request.args.get("show") == "all",
                           comparison=compare_ops.compare(ctx, current_locale()))


@bp.route("/cycles/<int:cycle_id>/export")
@reviewer_required
def export(cycle_id):
    cycle = _cycle(cycle_id)
    return render_template("analysis/export.html", cycle=cycle,
                           form=ExportForm.for_locale(current_locale(), request.args))


def _export(cycle_id: int) -> tuple[Export, str]:
    cycle = _cycle(cycle_id)
    form = ExportForm.for_locale(current_locale(), request.args)
    if not form.validate():
        abort(400)
    public = form.audience.data == PUBLIC_DATA
    scope = PUBLIC if public else decided_scope(form.include_submitted.data)
    export = Export(cycle, cycle_questionnaire(cycle), scope, form.selected_states(),
                    form.lang.data)
    name = secure_filename(f"tip-{cycle.name}-{'public' if public else 'secretariat'}-{utcnow():%Y%m%d}")
    return export, name


@bp.route("/cycles/<int:cycle_id>/export.csv")
@reviewer_required
def export_csv(cycle_id):
    export, name = _export(cycle_id)
    return current_app.response_class(
        stream_with_context(chunk.encode("utf-8") for chunk in csv_chunks(export, byte_order_mark=True)),
        mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


@bp.route("/cycles/<int:cycle_id>/sdg-16-2-2.csv")
@reviewer_required
def export_sdg(cycle_id):
    """Detected victims by year, sex, age and form (SDG indicator 16.2.2), streamed like the CSV
    export: it reads only the victim tables, a batch of States at a time."""
    export, name = _export(cycle_id)
    return current_app.response_class(
        stream_with_context(chunk.encode("utf-8") for chunk in sdg_chunks(export, byte_order_mark=True)),
        mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{name}-sdg-16-2-2.csv"'},
    )


def _export_params(cycle_id: int) -> tuple[dict, str]:
    """The choices of the export form, as the plain data a job carries, and the file's name."""
    cycle = _cycle(cycle_id)
    form = ExportForm.for_locale(current_locale(), request.args)
    if not form.validate():
        abort(400)
    public = form.audience.data == PUBLIC_DATA
    states = form.selected_states()
    params = {"cycle_id": cycle.id, "public": public, "include_submitted": bool(form.include_submitted.data),
              "states": list(states) if states is not None else None, "lang": form.lang.data}
    return params, secure_filename(f"tip-{cycle.name}-{'public' if public else 'secretariat'}-{utcnow():%Y%m%d}")


@bp.route("/cycles/<int:cycle_id>/export.xlsx")
@reviewer_required
def export_xlsx(cycle_id):
    """How the workbook of these choices stands, with its file once written; only reads."""
    params, _name = _export_params(cycle_id)
    job = jobs.latest(export_jobs.export_key(params))
    return job_page(_("Export the answers"), job, request.full_path, _("Prepare the file"),
                    job and url_for("jobs.file", job_id=job.id))


@bp.route("/cycles/<int:cycle_id>/export.xlsx", methods=["POST"])
@reviewer_required
def prepare_xlsx(cycle_id):
    """Queue the workbook (a job worker writes it), then show how it stands."""
    params, name = _export_params(cycle_id)
    export_jobs.request_export(params, name, current_user)
    db.session.commit()
    return redirect(request.full_path, 303)
