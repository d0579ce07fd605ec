"""Published country profiles by State and cycle, one download per language; no login."""
from flask import Blueprint, abort, current_app, redirect, render_template, request
from flask_babel import gettext as _

from app.extensions import db
from app.i18n import collation_key, current_locale
from app.public import queries
from app.jobs.routes import job_page
from app.reports import documents
from app.reports.routes import pdf_response
from app.states.names import state_name

bp = Blueprint("public", __name__, url_prefix="/profiles", template_folder="templates")


def _by_cycle(rows, locale: str) -> list[dict]:
    cycles = {}
    for response, number in rows:
        entry = cycles.setdefault(response.cycle.id, {"cycle": response.cycle, "profiles": []})
        entry["profiles"].append({"state": response.state, "name": state_name(response.state.alpha2, locale),
                                  "revision": number})
    key = collation_key(locale)
    for entry in cycles.values():
        entry["profiles"].sort(key=lambda profile: key(profile["name"]))
    return sorted(cycles.values(), key=lambda entry: entry["cycle"].opens_on, reverse=True)


@bp.route("/")
def index():
    return render_template("public/profiles.html", cycles=_by_cycle(queries.published_responses(), current_locale()),
                           all_cycles=queries.all_cycles())


def _document(cycle_id: int, state_code: str, lang: str) -> documents.Document:
    if lang not in current_app.config["LANGUAGES"]:
        abort(404)
    found = queries.published_response(cycle_id, state_code)
    if found is None:
        abort(404)
    response, number = found
    return documents.document_of(response, lang, number, public=True)


@bp.route("/<int:cycle_id>/<state_code>/<lang>.pdf")
def download(cycle_id, state_code, lang):
    """The published revision's profile; answers marked confidential are withheld. Rendered when
    the response is published; if it has left the cache since, its page offers to make it."""
    document = _document(cycle_id, state_code, lang)
    pdf = documents.cached(document)
    if pdf is not None:
        return pdf_response(pdf, document.filename)
    return job_page(_("Country profile"), documents.latest_job(document), request.path, _("Prepare the profile"))


@bp.route("/<int:cycle_id>/<state_code>/<lang>.pdf", methods=["POST"])
def prepare(cycle_id, state_code, lang):
    """Queue the published profile (one job per document, whoever asks)."""
    documents.request_profile(_document(cycle_id, state_code, lang), None)
    db.session.commit()
    return redirect(request.path, 303)
