"""Published country profiles by State and cycle, one download per language; no login."""
from flask import Blueprint, abort, current_app, render_template

from app.extensions import db
from app.i18n import collation_key, current_locale
from app.public import queries
from app.reports.operations import profile_filename, profile_pdf
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


@bp.route("/<int:cycle_id>/<state_code>/<lang>.pdf")
def download(cycle_id, state_code, lang):
    """The published revision's profile; answers marked confidential are withheld."""
    if lang not in current_app.config["LANGUAGES"]:
        abort(404)
    found = queries.published_response(cycle_id, state_code)
    if found is None:
        abort(404)
    response, number = found
    pdf, _ = profile_pdf(response, lang, number, public=True)
    db.session.commit()
    return pdf_response(pdf, profile_filename(response, number, lang))
