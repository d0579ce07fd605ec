"""The front of a country profile (issue 17): the cover names the publisher and carries the UN
designations disclaimer, the "At a glance" page gives the key facts, every question number is
accounted for (printed, or named as not applicable), and sources are endnotes per section.
Profiles of the shipped questionnaire, asked for over HTTP and made by the job, read back with
pdftotext."""
import re
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest
from flask_babel import force_locale

from app.demo.data import sample_answers
from app.extensions import db
from app.questionnaires.loader import load_definition
from app.questionnaires.models import QuestionnaireVersion
from app.questionnaires.operations import store_definition
from app.questionnaires.scope import Scope, scoped
from app.reports.glance import at_a_glance
from app.reports.operations import profile_source
from app.reports.render import scale_latin_runs
from app.reports.source import ProfileSource
from app.responses.operations import change_status
from app.responses.workflow import Action
from tests import factories
from tests.helpers import made_by_job, overview_url, pdf_fonts, pdf_text, section_url

SHIPPED = Path(__file__).resolve().parent.parent / "questionnaires" / "tip-protocol" / "questionnaire.yaml"
DISCLAIMER = {
    "en": "The designations employed and the presentation of material in this publication do not imply the "
          "expression of any opinion whatsoever on the part of the Secretariat of the United Nations concerning "
          "the legal status of any country, territory, city or area, or of its authorities, or concerning the "
          "delimitation of its frontiers or boundaries.",
    "zh": "本出版物所采用的名称及其材料的编写方式并不意味着联合国秘书处对于任何国家、领土、城市或地区或其当局的法律地位，"
          "或对于其边界或界线的划分，表示任何意见。",
    "ar": "ليس في التسميات المستخدمة في هذا المنشور، ولا في طريقة عرض مادته، ما يتضمن التعبير عن أي رأي كان من جانب "
          "الأمانة العامة للأمم المتحدة بشأن المركز القانوني لأي بلد أو إقليم أو مدينة أو منطقة، أو لسلطات أي منها، أو "
          "بشأن تعيين حدودها أو تخومها.",
}
PUBLISHER = {"en": "United Nations Office on Drugs and Crime", "zh": "联合国毒品和犯罪问题办公室",
             "ar": "مكتب الأمم المتحدة المعني بالمخدرات والجريمة"}
#: (heading, a fact's label, a chart's title) of the "At a glance" page.
GLANCE = {
    "en": ("At a glance", "Trafficking in persons is a criminal offence", "Persons convicted, by year"),
    "zh": ("概览", "贩运人口被定为刑事犯罪", "按年份分列的被定罪人数"),
    "ar": ("لمحة عامة", "الاتجار بالأشخاص جريمة جنائية", "الأشخاص المدانون، حسب السنة"),
}


def _flat(text: str) -> str:
    """Text without spaces, line breaks and the bidi marks pdftotext puts around numbers."""
    return re.sub(r"[\s\u200e\u200f\u202a-\u202e]", "", text)


@pytest.fixture
def shipped(client, login):
    """France's accepted response to the shipped questionnaire, answered as the demo answers it
    but with no reservation (so that the questions about reservations do not apply)."""
    store_definition(SHIPPED, load_definition(SHIPPED))
    version = db.session.scalar(db.select(QuestionnaireVersion).filter_by(code="tip-protocol"))
    cycle = factories.cycle(version=version)
    questionnaire = load_definition(SHIPPED)
    answers = sample_answers(questionnaire) | {"rat_reservations": "no"}
    answers = {qid: value for qid, value in answers.items()
               if questionnaire.applies(questionnaire.questions[qid], answers)}
    response = factories.response("FRA", cycle, answers, "accepted")
    login(factories.user("secretariat"))
    return cycle, questionnaire, response


def _profile(client, cycle, lang: str) -> bytes:
    return made_by_job(client, overview_url(cycle) + f"profile.pdf?lang={lang}").data


def test_cover_and_glance_carry_disclaimer_publisher_and_key_facts(client, shipped):
    profiles = {lang: _profile(client, shipped[0], lang) for lang in GLANCE}
    for lang, pdf in profiles.items():
        pages = pdf_text(pdf).split("\f")
        cover, glance = _flat(pages[0]), _flat(pages[1])
        assert _flat(PUBLISHER[lang]) in cover, lang
        assert _flat(DISCLAIMER[lang]) in cover, lang
        for words in GLANCE[lang]:
            assert _flat(words) in glance, (lang, words)
    english = pdf_text(profiles["en"]).split("\f")[1]
    # Each fact with its answer; each bar with its figure (the demo's: 299 victims in 2021).
    assert re.search(r"Trafficking in Persons Protocol\s+Ratified", english)
    assert re.search(r"Party since\s+\d{4}", english)
    assert re.search(r"2021\s+299", english) and re.search(r"Women\s+\d+", english)


def _numbers_accounted_for(text: str) -> dict[int, set[int]]:
    """The question numbers of each section that the profile prints, or names as not applicable."""
    seen: dict[int, set[int]] = {}

    def add(number: str):
        section, index = number.split(".")
        seen.setdefault(int(section), set()).add(int(index))

    for line in text.splitlines():
        heading = re.match(r"\s*(\d+\.\d+)\s", line)
        if heading:
            add(heading.group(1))
        listed = re.search(r"Questions? ([\d., and–]+): not applicable", line)
        if listed:
            span = re.fullmatch(r"(\d+)\.(\d+)–\1\.(\d+)", listed.group(1))
            if span:
                for index in range(int(span.group(2)), int(span.group(3)) + 1):
                    add(f"{span.group(1)}.{index}")
            else:
                for number in re.findall(r"\d+\.\d+", listed.group(1)):
                    add(number)
    return seen


def test_no_number_skipped_without_a_not_applicable_line_and_sources_as_endnotes(client, shipped):
    questionnaire = shipped[1]
    text = pdf_text(_profile(client, shipped[0], "en"))
    assert "not applicable, given the answers above" in text
    seen = _numbers_accounted_for(text)
    for number, section in enumerate(questionnaire.sections, start=1):
        assert seen.get(number) == set(range(1, len(section.questions) + 1)), number
    # Sources: one list at the end of each section, not a line under each answer.
    assert "Sources:" not in text
    sections = len(questionnaire.sections)
    assert len(re.findall(r"^\s*Sources\s*$", text, flags=re.MULTILINE)) == sections
    assert re.search(r"^\s*1\.1\s+Working Group report 2009, para\. 3", text, flags=re.MULTILINE)


def test_key_facts_leave_out_what_a_public_reader_may_not_see(app, shipped):
    """The secretariat sees every fact; a public reader none the State marked confidential, and no
    chart of a withheld table."""
    _, _, response = shipped
    with app.test_request_context(), force_locale("fr"):
        source = profile_source(response, "fr", response.revision_count, public=False)
        internal = at_a_glance(source)
        hidden = replace(source, public=True, confidential=frozenset({"crim_offence", "data_convicted_sex_age"}))
        public = at_a_glance(hidden)
    labels = lambda facts: [item["label"] for group in facts["groups"] for item in group["items"]]  # noqa: E731
    assert "La traite des personnes est une infraction pénale" in labels(internal)
    # The questions that the withheld answer shows go too: here, all of criminalization.
    assert [group["title"] for group in internal["groups"]] == ["Ratification", "Incrimination", "Coordination"]
    assert [group["title"] for group in public["groups"]] == ["Ratification", "Coordination"]
    assert labels(public) == [label for label in labels(internal) if label in labels(public)]
    assert [chart["id"] for chart in internal["charts"]] == ["victims-by-year", "victims-by-sex-age",
                                                             "convictions-by-year"]
    assert [chart["id"] for chart in public["charts"]] == ["victims-by-year", "victims-by-sex-age"]
    victims = internal["charts"][0]["bars"]
    assert victims[0]["label"] == "2021" and max(bar["share"] for bar in victims) == 1
    assert internal["charts"][1]["title"] == "Victimes détectées, 2021–2025, par sexe et âge"


def test_latin_runs_of_an_arabic_profile_are_marked_for_the_naskh_size(client, login, cycle):
    """Latin words in an Arabic profile are set in their own span (the stylesheet sizes it to the
    Naskh around it); character references, attributes and the head are left alone; other
    languages are not touched."""
    html = scale_latin_runs('<head><title>Profile</title></head><body><p title="Act">قانون Penal Code, art. 5 '
                            '&amp; UNODC 2024.</p></body>')
    assert html == ('<head><title>Profile</title></head><body><p title="Act">قانون <span class="latin">Penal '
                    'Code, art. 5</span> &amp; <span class="latin">UNODC 2024</span>.</p></body>')
    login(factories.user("focal_point", "FRA"))
    client.post(section_url(cycle, "data"), data={"q_data_body": "Ministry of Interior"})
    pdf = _profile(client, cycle, "ar")
    assert "Ministry of Interior" in pdf_text(pdf)  # the span does not split the words
    assert "Noto-Naskh-Arabic" in pdf_fonts(pdf) and "+Noto-Sans " in pdf_fonts(pdf)


def _charts(app, questionnaire, answers: dict) -> list[tuple[str, list[tuple[str, str]]]]:
    """The charts of the "At a glance" page of a response with ``answers``: (id, [(label, figure)])."""
    source = ProfileSource(questionnaire=questionnaire, answers=answers, locale="en", state_name="France",
                           state_code="FRA", cycle_name="2026", status="accepted", revision_number=1,
                           revision_date=datetime(2026, 5, 1, tzinfo=timezone.utc))
    with app.test_request_context(), force_locale("en"):
        facts = at_a_glance(source)
    assert facts["groups"] == []
    return [(chart["id"], [(bar["label"], bar["text"]) for bar in chart["bars"]]) for chart in facts["charts"]]


def test_a_total_given_alone_is_charted_and_an_empty_breakdown_is_not(app):
    answers = {"data_victims_sex_age": {"2022": {"total": 40}}}
    assert _charts(app, load_definition(SHIPPED), answers) == [("victims-by-year", [("2022", "40")])]


def test_a_year_marked_without_figures_is_no_bar_and_a_single_year_is_charted(app):
    """The bars are the answer type's totals by year (the API's), less the years without figures."""
    marked = {"data_convicted_sex_age": {"2021": {"men": 4, "total": 4}, "_marks": {"2022": "not_collected"}}}
    assert _charts(app, load_definition(SHIPPED), marked) == [("convictions-by-year", [("2021", "4")])]
    one_year = scoped(load_definition(SHIPPED), Scope(2024, 2024))
    answers = {"data_victims_sex_age": {"2024": {"girls": 7, "total": 7}}}
    assert _charts(app, one_year, answers) == [("victims-by-year", [("2024", "7")]),
                                               ("victims-by-sex-age", [("Girls", "7")])]


@pytest.mark.parametrize("lang", ("en", "ar"))
def test_the_glance_page_says_what_the_public_page_and_the_api_say(client, shipped, lang):
    """The PDF and the API draw on one table of key facts (app/reports/key_facts.py): every answer
    the API gives is on the PDF's "At a glance" page (the page and the API are compared with each
    other in tests/test_public_pages.py)."""
    cycle, _questionnaire, response = shipped
    # Published without the route, which would render the profile in all six languages at once
    # (tests run jobs eagerly): this test reads one of them.
    change_status(response, Action.PUBLISH, factories.user("secretariat", email="publisher@example.org"))
    db.session.commit()
    api = client.get(f"/api/v1/cycles/{cycle.id}/responses/FRA?lang={lang}").get_json()
    answers = {a["question"]: a for fact in api["key_facts"] for a in fact["answers"]}
    shown = [answer for answer in answers.values() if answer["kind"] == "text"]
    assert len(shown) >= 10 and {"rat_convention_status", "crim_consent", "coord_plan_end"} <= set(answers)
    glance = _flat(pdf_text(made_by_job(client, f"/profiles/{cycle.id}/FRA/{lang}.pdf").data).split("\f")[1])
    for answer in shown:
        if lang == "ar" and answer.get("dir") == "ltr":
            continue  # pdftotext reorders a Latin run inside Arabic (test_latin_runs_of_an_arabic_profile...)
        assert _flat(answer["answer"]) in glance, (lang, answer["question"])
    victims = next(a for a in answers.values() if a["kind"] == "years" and a["question"] == "data_victims_sex_age")
    if lang == "en":
        for year in victims["years"]:
            assert f"{year['year']}{year['total']}" in glance  # each year with the same total
