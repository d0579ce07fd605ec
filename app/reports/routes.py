from flask import Blueprint, abort, current_app, redirect, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.utils import secure_filename

from app.auth.access import reviewer_required
from app.cycles.models import ReportingCycle
from app.extensions import db
from app.i18n import current_locale
from app.jobs import operations as jobs
from app.jobs.routes import job_page
from app.reports import documents
from app.reports.operations import blank_pdf

bp = Blueprint("reports", __name__, template_folder="templates")


def attachment(filename: str) -> str:
    """The Content-Disposition of a download. ASCII letters, digits and ``-_.`` only: names carry
    cycle names, which are free text, and a quote or a line break would break the header."""
    return f'attachment; filename="{secure_filename(filename)}"'


def pdf_response(pdf: bytes, filename: str):
    return pdf, 200, {"Content-Type": "application/pdf", "Content-Disposition": attachment(filename)}


def requested_locale() -> str:
    locale = request.args.get("lang") or current_locale()
    if locale not in current_app.config["LANGUAGES"]:
        abort(404)
    return locale


@bp.route("/cycles/<int:cycle_id>/questionnaire.pdf")
def blank_questionnaire(cycle_id):
    """The cycle's questionnaire, blank and printable, for drafting offline (no login: the
    questions are public)."""
    cycle = db.get_or_404(ReportingCycle, cycle_id)
    locale = requested_locale()
    return pdf_response(blank_pdf(cycle, locale), f"questionnaire-{cycle.name}-{locale}.pdf")


def _archive_languages(lang: str) -> list[str]:
    languages = current_app.config["LANGUAGES"]
    if lang != "all" and lang not in languages:
        abort(404)
    return list(languages) if lang == "all" else [lang]


@bp.route("/cycles/<int:cycle_id>/profiles-<lang>.zip")
@reviewer_required
def profiles_archive(cycle_id, lang):
    """How the archive of every State's profile of the cycle in one language (or ``all``) stands,
    with its file once made; only reads."""
    cycle = db.get_or_404(ReportingCycle, cycle_id)
    _archive_languages(lang)
    job = jobs.latest(documents.archive_key(cycle.id, lang))
    return job_page(_("Country profiles of %(cycle)s (%(lang)s)", cycle=cycle.name, lang=lang), job,
                    request.path, _("Prepare the archive"), job and url_for("jobs.file", job_id=job.id))


@bp.route("/cycles/<int:cycle_id>/profiles-<lang>.zip", methods=["POST"])
@reviewer_required
def prepare_archive(cycle_id, lang):
    """Queue every profile of the archive (the job already under way, if there is one)."""
    cycle = db.get_or_404(ReportingCycle, cycle_id)
    documents.request_archive(cycle.id, _archive_languages(lang), lang, current_user)
    db.session.commit()
    return redirect(url_for(".profiles_archive", cycle_id=cycle.id, lang=lang), 303)


def archive_file(job):
    """The ZIP of a finished archive job, streamed from the profile cache; 410 when some of its
    profiles have left the cache since (the secretariat prepares it again)."""
    entries = documents.archive_entries(job)
    if documents.missing_from_cache(entries):
        abort(410)
    name = f"profiles-{job.params.get('lang', 'all')}-{job.created_at:%Y%m%d-%H%M}.zip"
    return current_app.response_class(
        stream_with_context(documents.stream_archive(entries)), mimetype="application/zip",
        headers={"Content-Disposition": attachment(name)})
