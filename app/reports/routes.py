from flask import Blueprint, abort, current_app, request, stream_with_context
from werkzeug.utils import secure_filename

from app.auth.access import reviewer_required
from app.cycles.models import ReportingCycle
from app.database import utcnow
from app.extensions import db
from app.i18n import current_locale
from app.reports.archive import stream_zip
from app.reports.operations import blank_pdf, profile_filename, profile_pdf, responses_of_cycle

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


def _archive_files(responses, locales):
    for response in responses:
        for locale in locales:
            pdf, number = profile_pdf(response, locale)
            db.session.commit()
            yield profile_filename(response, number, locale), pdf


@bp.route("/cycles/<int:cycle_id>/profiles-<lang>.zip")
@reviewer_required
def profiles_archive(cycle_id, lang):
    """Every State's profile of the cycle in one language (or ``all``), as one ZIP streamed while
    the profiles are read from the cache or rendered."""
    cycle = db.get_or_404(ReportingCycle, cycle_id)
    languages = current_app.config["LANGUAGES"]
    if lang != "all" and lang not in languages:
        abort(404)
    files = _archive_files(responses_of_cycle(cycle.id), languages if lang == "all" else [lang])
    return current_app.response_class(
        stream_with_context(stream_zip(files, utcnow())), mimetype="application/zip",
        headers={"Content-Disposition": attachment(f"profiles-{cycle.name}-{lang}.zip")})
