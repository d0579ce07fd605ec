"""Published country profiles, no login: the list (searched, filtered by region), each State's
page, and its PDF in each language."""
import re

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.analysis.forms import region_choices
from app.analysis.regions import geoscheme
from app.extensions import db
from app.i18n import current_locale, text_direction
from app.jobs.routes import job_page
from app.tilemap import member_names, tile_map
from app.public import pages, queries
from app.reports import documents
from app.reports.routes import pdf_response

bp = Blueprint("public", __name__, url_prefix="/profiles", template_folder="templates")


#: An ISO 3166-1 alpha-3 code, as the address of a country page gives it.
STATE_CODE = re.compile(r"[A-Za-z]{3}")
#: The longest search the list reads (names are shorter).
MAX_SEARCH = 100


@bp.route("/")
def index():
    """Every State's latest published profile, searched by name and filtered by region with a
    GET form (it works without JavaScript)."""
    locale = current_locale()
    search = request.args.get("q", "")[:MAX_SEARCH]
    region = request.args.get("region") or None
    unknown_region = region is not None and geoscheme().region(region) is None
    rows = queries.published_responses()
    found = pages.listings(rows, locale, search, None if unknown_region else region)
    return render_template("public/profiles.html", profiles=found, search=search,
                           region=None if unknown_region else region, unknown_region=unknown_region,
                           regions=region_choices(locale), published=len({row[0].state_code for row in rows}),
                           # The map is the overview: a search or a region shows the list alone.
                           published_map=None if search or region else _published_map(
                               {row[0].state_code for row in rows}, locale),
                           all_cycles=queries.all_cycles())


def _published_map(codes: set[str], locale: str):
    """The tile map of the States with a published profile, each tile leading to its page."""
    return tile_map({code: "published" for code in codes}, [("published", _("Published profile"))],
                    member_names(locale), rtl=text_direction(locale) == "rtl",
                    caption=_("Member States with a published country profile"),
                    missing_label=_("No published profile"),
                    links={code: url_for("public.country", state_code=code) for code in codes})


@bp.route("/<state_code>")
def country(state_code):
    """The State's latest published profile as a page in the reader's language; a State that
    has published nothing, or a code that is none, is not found."""
    if not STATE_CODE.fullmatch(state_code):
        abort(404)
    if state_code != state_code.upper():
        return redirect(url_for(".country", state_code=state_code.upper()), 301)
    found = queries.latest_published(state_code)
    if found is None:
        abort(404)
    response, number = found
    return render_template("public/country.html", state_code=response.state_code,
                           **pages.country_page(response, number, current_locale()))


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
