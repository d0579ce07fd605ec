"""The plain data of the public pages: a State's country page (key facts, then each section's
answers, then downloads) and the list of published profiles, searched and filtered."""
from dataclasses import dataclass

from app.analysis.regions import geoscheme
from app.i18n import collation_key, text_direction
from app.public.charts import figure_text, year_chart
from app.reports.key_facts import key_facts
from app.reports.operations import profile_source
from app.reports.profile import build_profile
from app.responses.models import Response
from app.states.names import state_name


def _with_charts(facts: list[dict], locale: str) -> list[dict]:
    """Figures over years get a chart and their figures as the reader's language writes them."""
    rtl = text_direction(locale) == "rtl"
    for fact in facts:
        for answer in fact["answers"]:
            if answer["kind"] == "years":
                answer["chart"] = year_chart(f"chart-{answer['question']}", fact["label"], answer["years"], locale, rtl)
                answer["figures"] = [{"year": year["year"], "total": figure_text(year["total"], locale)}
                                     for year in answer["years"]]
    return facts


def _html_sections(sections: list[dict]) -> list[dict]:
    """The profile's sections for a page: tables are read as tables (the PDF's chart images of
    them are files of the PDF's own)."""
    for section in sections:
        for question in section["questions"]:
            if question["kind"] == "table":
                question["chart"] = None
    return sections


def country_page(response: Response, number: int, locale: str) -> dict:
    """Everything the country page shows of revision ``number`` (the published one), as the
    public sees it: without the answers the State marked confidential. Call inside
    ``force_locale(locale)``."""
    source = profile_source(response, locale, number, public=True)
    profile = build_profile(source)
    return {
        "profile": {**profile, "sections": _html_sections(profile["sections"])},
        "facts": _with_charts(key_facts(source.questionnaire, source.readable_answers, locale), locale),
        "cycle_id": response.cycle_id,
        "revision_date": source.revision_date,
    }


@dataclass(frozen=True)
class Listing:
    """One published profile in the list."""

    code: str
    name: str
    regions: tuple[str, ...]
    cycle_id: int
    cycle_name: str


def listings(rows, locale: str, search: str = "", region: str | None = None) -> list[Listing]:
    """Each State's latest published profile, sorted by name as ``locale`` collates; those whose
    name holds ``search`` (ignoring case) and that lie in ``region`` (an M49 code)."""
    latest = {}
    for response, _number in sorted(rows, key=lambda row: (row[0].cycle.opens_on, row[0].cycle.id)):
        latest[response.state_code] = response
    wanted = search.strip().casefold()
    found = [Listing(response.state_code, state_name(response.state.alpha2, locale),
                     geoscheme().path_names(response.state_code, locale), response.cycle_id, response.cycle.name)
             for response in latest.values() if region is None or geoscheme().contains(region, response.state_code)]
    found = [item for item in found if not wanted or wanted in item.name.casefold() or wanted == item.code.casefold()]
    key = collation_key(locale)
    return sorted(found, key=lambda item: key(item.name))
