"""What a cycle asks is set when it is opened: its reference period (the years the tables ask
for, and that texts name) and its question set (every question, or the core set)."""
import json
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from app.cycles.models import ReportingCycle, cycle_questionnaire
from app.extensions import db
from app.questionnaires.loader import canonical, from_canonical, load_definition
from app.questionnaires.models import QuestionnaireVersion
from app.questionnaires.operations import store_definition
from app.questionnaires.scope import Scope, scoped
from app.reports.operations import profile_data
from app.reports.render import render_profile_pdf
from app.responses import operations as ops
from app.responses.models import Response
from app.responses.workflow import Action
from app.states.models import State
from tests import factories
from tests.conftest import count_queries
from tests.helpers import overview_url, pdf_text, section_url
from app.questionnaires.texts import LANGUAGES
from tests.test_questionnaire_definitions import problems_of, question, texts

V3 = Path(__file__).parent.parent / "questionnaires" / "tip-protocol" / "questionnaire.yaml"
#: "Since 2021?" in each language, with the cycle's years as placeholders.
SINCE = {"en": "From {first_year} to {last_year}, any campaign?", "fr": "De {first_year} à {last_year}, une campagne ?",
         "es": "Entre {first_year} y {last_year}, ¿alguna campaña?", "ru": "Кампании в {first_year}–{last_year} годах?",
         "zh": "{first_year}年至{last_year}年期间是否开展过宣传活动？", "ar": "هل نُظمت حملات في الفترة من {first_year} إلى {last_year}؟"}
PERIOD = {"first_year": "2021", "last_year": "2025", "question_set": "full"}


def _definition() -> dict:
    counts = question("counts", "number_table", rows="reference_years", columns=[{"id": "a"}, {"id": "b"}],
                      set="core")
    return {"id": "scoped", "version": 1, "title": texts("Title"), "sections": [
        {"id": "one", "title": texts("One"), "intro": {**SINCE}, "questions": [
            question("campaign", "yes_no", text=SINCE, required=True, set="core"),
            question("campaign_kind", "short_text", required=True, set="core",
                     show_if={"question": "campaign", "in": ["yes"]}),
            question("campaign_budget", "short_text", required=True),
            counts]},
        {"id": "two", "title": texts("Two"), "questions": [question("extra", "yes_no", required=True)]},
    ]}


def _version(tmp_path, data=None) -> QuestionnaireVersion:
    path = tmp_path / "scoped.yaml"
    path.write_text(yaml.safe_dump(data or _definition(), allow_unicode=True), encoding="utf-8")
    store_definition(path, load_definition(path))
    db.session.commit()
    return db.session.scalar(db.select(QuestionnaireVersion).filter_by(code="scoped"))


class _Inputs(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.names: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        name = dict(attrs).get("name")
        if tag in ("input", "textarea", "select") and name:
            self.names.append(name)


def _rows(html: str, field: str) -> list[str]:
    """The year rows of a table as its inputs name them, in order."""
    rows = [name.split("-")[1] for name in _Inputs(html).names if name.startswith(f"q_{field}-")]
    rows = [row for row in rows if row != "*"]  # the mark of the whole table
    return list(dict.fromkeys(rows))


def test_a_cycle_opened_for_2022_to_2026_asks_for_and_prints_those_years(client, login, tmp_path, app):
    version = _version(tmp_path)
    login(factories.user("secretariat"))
    opened = client.post("/cycles/", data={"name": "2027", "version": version.id, "opens_on": "2027-01-15",
                                           "closes_on": "2027-06-30", "first_year": "2022", "last_year": "2026",
                                           "question_set": "full"})
    assert opened.status_code == 302
    cycle = db.session.scalar(db.select(ReportingCycle))
    assert (cycle.first_year, cycle.last_year, cycle.question_set) == (2022, 2026, "full")
    assert "2022–2026" in client.get("/cycles/").text

    login(factories.user("focal_point", "FRA"))
    page = client.get(section_url(cycle, "one")).text
    assert _rows(page, "counts") == ["2022", "2023", "2024", "2025", "2026"]
    assert "From 2022 to 2026, any campaign?" in page and "{first_year}" not in page
    saved = client.post(section_url(cycle, "one"), data={"q_counts-2026-a": "7", "q_counts-2022-b": "3",
                                                         "q_campaign": "no"})
    assert saved.status_code == 302
    response = db.session.scalar(db.select(Response).filter_by(cycle_id=cycle.id))
    assert ops.answers_at(response.id)["counts"] == {"2022": {"b": 3}, "2026": {"a": 7}}
    again = client.get(section_url(cycle, "one")).text
    assert 'value="7"' in again

    with app.test_request_context():
        data = profile_data(response, "fr", 1)
        pdf = pdf_text(render_profile_pdf(data))
    table = next(q for s in data["sections"] for q in s["questions"] if q["id"] == "counts")["table"]
    assert [row["label"] for row in table["rows"]][:5] == ["2022", "2023", "2024", "2025", "2026"]
    assert "De 2022 à 2026, une campagne ?" in pdf and "2026" in pdf
    assert "Période de référence" in pdf


@pytest.mark.parametrize("locale", LANGUAGES)
def test_texts_name_the_cycles_years_in_every_language(app, tmp_path, locale):
    questionnaire = scoped(load_definition(_write(tmp_path, _definition())), Scope(2019, 2023))
    text = questionnaire.questions["campaign"].text[locale]
    assert "2019" in text and "2023" in text and "{" not in text
    assert "2019" in questionnaire.sections[0].intro[locale]


def _write(tmp_path, data) -> Path:
    path = tmp_path / "written.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_the_form_refuses_a_backwards_period_and_a_core_set_the_version_lacks(client, login):
    login(factories.user("secretariat"))
    fixture = factories.questionnaire_version()
    base = {"name": "2027", "version": fixture.id, "opens_on": "2027-01-15", "closes_on": "2027-06-30"}
    backwards = client.post("/cycles/", data={**base, "first_year": "2026", "last_year": "2022",
                                              "question_set": "full"})
    assert "The last year must be the first year or later" in backwards.text
    core = client.post("/cycles/", data={**base, "first_year": "2022", "last_year": "2026", "question_set": "core"})
    assert "marks no question as core" in core.text
    not_a_year = client.post("/cycles/", data={**base, "first_year": "soon", "last_year": "2022",
                                               "question_set": "full"})
    assert not_a_year.status_code == 200 and "field__error" in not_a_year.text
    assert db.session.scalar(db.select(db.func.count()).select_from(ReportingCycle)) == 0


def test_the_command_line_opens_a_cycle_with_its_period_and_set(runner, tmp_path):
    _version(tmp_path)
    result = runner.invoke(args=["cycles", "open", "--name", "2027", "--questionnaire", "scoped",
                                 "--deadline", "2027-06-30", "--first-year", "2022", "--last-year", "2026", "--core"])
    assert result.exit_code == 0, result.output
    assert "years 2022-2026, core questionnaire" in result.output
    cycle = db.session.scalar(db.select(ReportingCycle))
    assert (cycle.first_year, cycle.last_year, cycle.question_set) == (2022, 2026, "core")
    backwards = runner.invoke(args=["cycles", "open", "--name", "2028", "--questionnaire", "scoped",
                                    "--deadline", "2028-06-30", "--first-year", "2026", "--last-year", "2022"])
    assert backwards.exit_code != 0 and "reference period" in backwards.output


def test_a_core_set_cycle_asks_and_checks_only_core_questions(client, login, tmp_path):
    cycle = factories.cycle(name="core", version=_version(tmp_path), question_set="core")
    login(factories.user("focal_point", "FRA"))
    overview = client.get(overview_url(cycle)).text
    assert "Core set: only the questions marked as core" in overview
    assert section_url(cycle, "two") not in overview
    assert client.get(section_url(cycle, "two")).status_code == 404
    page = client.get(section_url(cycle, "one")).text
    assert "q_campaign" in _Inputs(page).names and "q_campaign_budget" not in _Inputs(page).names
    # Numbered as asked: the core table is 1.3 here (1.4 in the full questionnaire).
    assert cycle_questionnaire(cycle).questions["counts"].number == "1.3"
    client.post(section_url(cycle, "one"), data={"q_campaign": "yes"})
    missing = client.post(overview_url(cycle) + "submit", data={})
    assert missing.status_code == 303 and missing.location.endswith("/?submit=refused")
    missing = client.get(missing.location)
    assert "campaign_kind" in missing.text and "campaign_budget" not in missing.text
    client.post(section_url(cycle, "one"), data={"q_campaign": "yes", "q_campaign_kind": "Radio"})
    submitted = client.post(overview_url(cycle) + "submit", data={})
    assert submitted.status_code == 302
    assert db.session.scalar(db.select(Response.status).filter_by(cycle_id=cycle.id)) == "submitted"

    described = client.get(f"/api/v1/cycles/{cycle.id}").json
    assert described["question_set"] == "core"
    assert described["reference_period"] == {"first_year": 2021, "last_year": 2025}
    assert [q["id"] for s in described["questionnaire"]["sections"] for q in s["questions"]] == [
        "campaign", "campaign_kind", "counts"]

    blank = pdf_text(client.get(f"/cycles/{cycle.id}/questionnaire.pdf?lang=es").data)
    assert "Conjunto básico" in blank and "Entre 2021 y 2025" in blank
    assert "campaign_budget (es)" not in blank and "extra (es)" not in blank

    full = factories.cycle(name="full", version=cycle.questionnaire_version)
    login(factories.user("secretariat"))
    dashboard = client.get(f"/analysis/?cycle={cycle.id}", headers={"Accept-Language": "fr"}).text
    assert "Ensemble de base : uniquement les questions désignées comme essentielles" in dashboard
    login(factories.user("focal_point", "FRA"))
    assert "Full questionnaire: every question" in client.get(overview_url(full)).text
    assert "q_campaign_budget" in _Inputs(client.get(section_url(full, "one")).text).names


def test_prefill_keeps_the_years_both_periods_share(client, login, tmp_path):
    version = _version(tmp_path)
    focal, reviewer = factories.user("focal_point", "FRA"), factories.user("secretariat")
    earlier = factories.cycle(name="2025", version=version, is_open=False)
    earlier.opens_on, earlier.closes_on = date(2025, 1, 1), date(2025, 6, 30)
    revision = ops.create_response(db.session.get(State, "FRA"), earlier, focal, {
        "campaign": "yes", "counts": {"2021": {"a": 1}, "2024": {"a": 4, "b": 5}}})
    response = db.session.get(Response, revision.response_id)
    ops.change_status(response, Action.SUBMIT, focal)
    ops.change_status(response, Action.ACCEPT, reviewer)
    db.session.commit()
    later = factories.cycle(name="2027", version=version, first_year=2022, last_year=2026)

    login(focal)
    client.post(overview_url(later) + "start")
    started = db.session.scalar(db.select(Response).filter_by(cycle_id=later.id))
    assert ops.answers_at(started.id) == {"campaign": "yes", "counts": {"2024": {"a": 4, "b": 5}}}
    # The review sets 2025's answer beside 2027's and compares the years both periods share.
    client.post(section_url(later, "one"), data={"q_campaign_kind": "Radio", "q_campaign_budget": "10",
                                                 "q_extra": "no"})
    client.post(section_url(later, "two"), data={"q_extra": "no"})
    assert client.post(overview_url(later) + "submit").status_code == 302
    login(reviewer)
    page = client.get(f"/review/cycles/{later.id}/states/FRA?section=one").text
    counts = page[page.index('id="q-counts"'):]
    assert "Accepted in 2025" in counts and 'review-answers__same">Same<' in counts[:counts.index("</section>")]


def test_a_section_page_costs_the_same_statements_whatever_the_period(client, login, tmp_path):
    version = _version(tmp_path)
    default = factories.cycle(name="default", version=version)
    later = factories.cycle(name="later", version=version, first_year=2022, last_year=2031)
    login(factories.user("focal_point", "FRA"))
    counts = []
    for cycle in (default, later, default):
        client.get(section_url(cycle, "one"))  # the first view of a scope builds it
        with count_queries() as statements:
            page = client.get(section_url(cycle, "one"))
        counts.append(len(statements))
    assert len(set(counts)) == 1, counts
    assert _rows(page.text, "counts") == [str(year) for year in range(2021, 2026)]
    assert cycle_questionnaire(later) is cycle_questionnaire(later)  # built once per process


def test_the_loader_checks_sets_placeholders_and_core_parents(tmp_path):
    data = _definition()
    one = data["sections"][0]["questions"]
    one[0]["set"] = "main"
    one[1]["text"] = {**SINCE, "en": "Since {year}?"}
    one[3]["text"] = {**SINCE, "fr": "Depuis {first_year} ?"}
    data["sections"][1]["questions"].append(question("extra_detail", "yes_no", set="core",
                                                     show_if={"question": "extra", "in": ["yes"]}))
    problems = "\n".join(problems_of(tmp_path, data))
    assert "set must be one of core, extended" in problems
    assert "unknown placeholder {year}" in problems
    assert "must use the same placeholders in every language" in problems
    assert "a core question's show_if must refer to a core question; extra is extended" in problems


def test_the_stored_definition_keeps_reference_years_and_the_core_set(tmp_path):
    written = load_definition(_write(tmp_path, _definition()))
    stored = canonical(written)
    counts = next(q for q in stored["sections"][0]["questions"] if q["id"] == "counts")
    assert counts["rows"] == "reference_years" and counts["set"] == "core"
    assert "set" not in next(q for q in stored["sections"][0]["questions"] if q["id"] == "campaign_budget")
    again = from_canonical(stored)
    assert again.questions["counts"].year_rows and again.questions["counts"].core
    assert canonical(again) == stored


@pytest.mark.slow
def test_version_3_has_a_core_set_of_at_most_80_questions_with_its_tables_on_the_reference_period():
    questionnaire = load_definition(V3)
    core = [q for q in questionnaire.questions.values() if q.core]
    assert 0 < len(core) <= 80
    assert {"crim_offence", "data_victims_sex_age", "coop_mla_sent_outcomes"} <= {q.id for q in core}
    tables = [q for q in questionnaire.questions.values() if q.answer_type.name == "number_table"]
    assert tables and all(q.year_rows for q in tables)
    scoped_core = scoped(questionnaire, Scope(2022, 2026, "core"))
    assert len(scoped_core.questions) == len(core)
    assert all(q.condition is None or q.condition.question in scoped_core.questions
               for q in scoped_core.questions.values())
    later = scoped(questionnaire, Scope(2022, 2026))
    texts = [text for q in later.questions.values() for text in (q.text, *(o.label for o in q.options if o.label))
             if "2022" in text["en"]] + [later.section("data").intro]
    assert len(texts) >= 8
    for text in texts:  # every language names the cycle's years, none a fixed period
        assert all("2022" in text[language] and "2026" in text[language] for language in LANGUAGES), text
    every_text = json.dumps(canonical(later), ensure_ascii=False)
    assert "{first_year}" not in every_text and "five years" not in every_text and "2021 to 2025" not in every_text


def test_a_table_that_lists_its_years_keeps_them_in_any_period(client, login):
    """Version 2 lists its years: a cycle on it shows them whatever its reference period."""
    cycle = factories.cycle(name="listed", first_year=2022, last_year=2026)
    login(factories.user("focal_point", "FRA"))
    page = client.get(section_url(cycle, "data")).text
    assert _rows(page, "data_victims") == ["2021", "2022", "2023", "2024", "2025"]
    assert client.post(section_url(cycle, "data"), data={"q_data_victims-2021-women": "4"}).status_code == 302
    response = db.session.scalar(db.select(Response).filter_by(cycle_id=cycle.id))
    assert ops.answers_at(response.id)["data_victims"]["2021"]["women"] == 4
