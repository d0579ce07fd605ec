"""The read-only JSON API under /api/v1/. Anonymous callers see published data; a token
scoped to all data sees every status and confidential answers, marked as such."""
import math

from flask import Blueprint, current_app, g, jsonify, request, stream_with_context, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.analysis.dataset import PUBLIC, responses_in, state_answers, with_answers
from app.analysis.derived import derived_distribution, state_classes
from app.analysis.distribution import distribution
from app.analysis.exports import Export, csv_chunks
from app.analysis.sdg import sdg_chunks
from app.analysis.regions import geoscheme
from app.api import serialize
from app.api.access import authenticate, requested_language
from app.api.errors import ApiError, not_found, register_handlers
from app.api.openapi import openapi_document
from app.cycles.models import ReportingCycle, cycle_questionnaire
from app.extensions import db
from app.ratelimit import limiter, per_caller
from app.reports.key_facts import key_facts
from app.security import query_integer

bp = Blueprint("api", __name__, url_prefix="/api/v1")
register_handlers(bp)
limiter.shared_limit(lambda: current_app.config["API_RATE_LIMIT"], "api", key_func=per_caller)(bp)

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


@bp.before_request
def identify_caller():
    g.api_access = authenticate()


@bp.after_request
def no_caching_of_private_data(response):
    if g.get("api_access") and g.api_access.token is not None:
        response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _page() -> tuple[int, int]:
    page = request.args.get("page", 1, type=query_integer)
    per_page = request.args.get("per_page", DEFAULT_PAGE_SIZE, type=int)
    if page < 1 or not 1 <= per_page <= MAX_PAGE_SIZE:
        raise ApiError(400, "bad_page", _("Use page 1 or more and per_page from 1 to %(max)d.", max=MAX_PAGE_SIZE))
    return page, per_page


def _paginated(data: list, total: int, page: int, per_page: int, endpoint: str, **values) -> dict:
    pages = math.ceil(total / per_page) if total else 0
    args = {key: request.args.getlist(key) for key in request.args if key not in ("page", "per_page")}

    def link(number):
        return url_for(endpoint, **values, **args, page=number, per_page=per_page, _external=True)

    return {"data": data, "meta": {"page": page, "per_page": per_page, "total": total, "pages": pages},
            "links": {"self": link(page), "next": link(page + 1) if page < pages else None,
                      "prev": link(page - 1) if 1 < page <= pages + 1 else None}}


def _cycle(cycle_id: int) -> ReportingCycle:
    cycle = db.session.get(ReportingCycle, cycle_id)
    if cycle is None:
        raise ApiError(404, "not_found", _("There is no reporting cycle %(id)d.", id=cycle_id))
    return cycle


def _states() -> list[str] | None:
    """States asked for by ``state`` (repeatable ISO codes) and ``region`` (an M49 code)."""
    codes = [part.upper() for value in request.args.getlist("state") for part in value.split(",") if part]
    region = request.args.get("region")
    if region is None:
        return codes or None
    if geoscheme().region(region) is None:
        raise ApiError(400, "unknown_region", _("Unknown region %(region)s; use a UN M49 region code such as 150.",
                                                region=region))
    in_region = [code for code in geoscheme().paths if geoscheme().contains(region, code)]
    return [code for code in in_region if code in codes] if codes else in_region


@bp.route("/")
def index():
    return jsonify({"openapi": url_for(".openapi", _external=True), "cycles": url_for(".cycles", _external=True)})


@bp.route("/openapi.json")
def openapi():
    return jsonify(openapi_document(url_for(".index", _external=True).rstrip("/")))


@bp.route("/cycles")
def cycles():
    page, per_page = _page()
    total = db.session.scalar(select(func.count()).select_from(ReportingCycle))
    found = db.session.scalars(select(ReportingCycle).order_by(ReportingCycle.opens_on.desc(), ReportingCycle.id.desc())
                               .limit(per_page).offset((page - 1) * per_page))
    return jsonify(_paginated([serialize.cycle_json(cycle) for cycle in found], total, page, per_page, ".cycles"))


@bp.route("/cycles/<int:cycle_id>")
def cycle(cycle_id):
    found, locale = _cycle(cycle_id), requested_language()
    with force_locale(locale):  # built-in labels (yes, no, partly) come from the catalogs
        described = serialize.questionnaire_json(cycle_questionnaire(found), locale)
    return jsonify({**serialize.cycle_json(found), "questionnaire": described})


@bp.route("/cycles/<int:cycle_id>/responses")
def responses(cycle_id):
    found, scope, locale = _cycle(cycle_id), g.api_access.scope(), requested_language()
    page, per_page = _page()
    questionnaire = cycle_questionnaire(found)
    rows = responses_in(found, scope.statuses, _states())
    shown = with_answers(rows[(page - 1) * per_page: page * per_page], questionnaire, scope)
    data = [serialize.response_json(item, questionnaire, locale) for item in shown]
    return jsonify(_paginated(data, len(rows), page, per_page, ".responses", cycle_id=cycle_id))


@bp.route("/cycles/<int:cycle_id>/responses/<state_code>")
def response(cycle_id, state_code):
    found, scope = _cycle(cycle_id), g.api_access.scope()
    questionnaire = cycle_questionnaire(found)
    items = list(state_answers(found, questionnaire, scope, [state_code.upper()]))
    if not items:
        raise ApiError(404, "not_found", _("%(state)s has no response in this cycle with status %(statuses)s.",
                                           state=state_code.upper(), statuses=", ".join(scope.statuses)))
    locale = requested_language()
    with force_locale(locale):  # choice labels of the key facts come from the catalogs
        facts = key_facts(questionnaire, {qid: answer.value for qid, answer in items[0].answers.items()}, locale)
    return jsonify({**serialize.response_json(items[0], questionnaire, locale), "key_facts": facts})


@bp.route("/cycles/<int:cycle_id>/questions/<question_id>/distribution")
def question_distribution(cycle_id, question_id):
    found, scope, locale = _cycle(cycle_id), g.api_access.scope(), requested_language()
    questionnaire = cycle_questionnaire(found)
    question = questionnaire.questions.get(question_id)
    if question is None:
        raise ApiError(404, "not_found", _("The questionnaire of this cycle has no question %(id)s.", id=question_id))
    items = list(state_answers(found, questionnaire, scope, _states(), question_ids=[question_id]))
    with force_locale(locale):
        result = distribution(question, items, locale)
    return jsonify(serialize.distribution_json(result, scope.statuses))


@bp.route("/cycles/<int:cycle_id>/classifications/<classification_id>/distribution")
def classification_distribution(cycle_id, classification_id):
    """How many States fall in each class of a derived classification (003 §4's indicator)."""
    found, scope, locale = _cycle(cycle_id), g.api_access.scope(), requested_language()
    questionnaire = cycle_questionnaire(found)
    classification = next((c for c in questionnaire.classifications if c.id == classification_id), None)
    if classification is None:
        raise ApiError(404, "not_found", _("The questionnaire of this cycle has no classification %(id)s.",
                                           id=classification_id))
    items = list(state_answers(found, questionnaire, scope, _states(), question_ids=classification.questions()))
    result = derived_distribution(classification, items, locale)
    classes = [state_classes(questionnaire, item)[classification.id] for item in items]
    states = [[item.response.state_code for item, cls in zip(items, classes) if cls == each.id]
              for each in result.classes]
    return jsonify(serialize.derived_json(result, scope.statuses, states))


@bp.route("/cycles/<int:cycle_id>/answers.csv")
@limiter.limit(lambda: current_app.config["API_CSV_RATE_LIMIT"], key_func=per_caller, override_defaults=False)
def answers_csv(cycle_id):
    found, scope, locale = _cycle(cycle_id), g.api_access.scope(), requested_language()
    export = Export(found, cycle_questionnaire(found), scope, _states(), locale)
    return current_app.response_class(stream_with_context(chunk.encode("utf-8") for chunk in csv_chunks(export)),
                                      mimetype="text/csv")


@bp.route("/cycles/<int:cycle_id>/sdg-16-2-2.csv")
@limiter.limit(lambda: current_app.config["API_CSV_RATE_LIMIT"], key_func=per_caller, override_defaults=False)
def sdg_csv(cycle_id):
    """Detected victims by year, sex, age and form (SDG 16.2.2): open data, so published
    responses without confidential answers, whatever the token."""
    found = _cycle(cycle_id)
    export = Export(found, cycle_questionnaire(found), PUBLIC, _states(), requested_language())
    return current_app.response_class(stream_with_context(chunk.encode("utf-8") for chunk in sdg_chunks(export)),
                                      mimetype="text/csv")


@bp.route("/<path:anything>")
def unknown(anything):
    """Any other address under /api/v1/ answers in JSON too. Only GET: other methods get the
    router's 405, so OPTIONS advertises only what works (app/api/errors.py answers in JSON)."""
    raise not_found()
