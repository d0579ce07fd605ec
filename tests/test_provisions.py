"""Provisions beside the questions, and the secretariat's list of questions by provision."""
import re

import pytest

from app.extensions import db
from app.questionnaires.provisions import expand, paragraph
from tests import factories
from tests.helpers import section_url

LISTING = "/questionnaires/test-questionnaire/1/"


@pytest.mark.parametrize("citation,expected", [
    ("Protocol art. 6(3)(a)", "Protocol art. 6"),
    ("Protocol art. 5", "Protocol art. 5"),
    ("000 §13(c)", "000 §13"),
    ("001 §9", "001 §9"),
    ("003 §21", "003 §21"),
    ("004 rec. 27", "004 rec. 27"),
    ("Convention art. 23", "Convention art. 23"),
    ("Convention art. 11(1)", "Convention art. 11"),
    ("Protocol art. 51", "Protocol art. 51"),
    ("Model Law art. 3", None),
    ("", None),
])
def test_citations_point_to_their_paragraph(citation, expected):
    assert paragraph(citation) == expected


def test_ranges_of_required_paragraphs():
    assert expand("004 rec. 12-14") == ["004 rec. 12", "004 rec. 13", "004 rec. 14"]
    assert expand("Protocol art. 5-6") == ["Protocol art. 5", "Protocol art. 6"]
    assert expand("000 §7") == ["000 §7"]


def _disclosures(page: str) -> list[str]:
    return re.findall(r'<details class="provision"[^>]*>.*?</details>', page, re.S)


def test_each_provision_is_explained_beside_its_question_collapsed(client, login, cycle):
    login(factories.user("focal_point", "FRA"))
    (disclosure,) = _disclosures(client.get(section_url(cycle, "criminalization")).text)
    assert disclosure.startswith('<details class="provision">')  # collapsed until opened
    assert "<summary>About this provision</summary>" in disclosure
    assert '<abbr class="citation" title="Protocol to Prevent, Suppress and Punish Trafficking' in disclosure
    assert ">Protocol, art. 5(1)</abbr>" in disclosure
    assert "<strong>Mandatory</strong> — States Parties shall take this measure." in disclosure
    assert "when committed intentionally" in disclosure
    assert "All questions on this provision" not in disclosure  # the listing is for the secretariat
    # Follow-ups that assess the same provision do not repeat it; other questions have their own.
    protection = _disclosures(client.get(section_url(cycle, "protection")).text)
    assert [re.search(r"<strong>(.*?)</strong>", d)[1] for d in protection] == [
        "Shall consider or endeavour", "Recommendation"]


def test_the_provision_is_shown_in_the_users_language(client, login, cycle):
    user = factories.user("focal_point", "FRA")
    user.locale = "ar"
    db.session.commit()
    login(user)
    (disclosure,) = _disclosures(client.get(section_url(cycle, "protection")).text)[:1]
    assert "حول هذا الحكم" in disclosure
    assert "السكن اللائق" in disclosure  # the summary, from the definition
    assert ">البروتوكول، المادة 6، الفقرة 3 (أ)</abbr></bdi>" in disclosure


def test_the_secretariat_lists_questions_by_provision_and_obligation(client, login, cycle):
    login(factories.user("secretariat"))
    index = client.get("/questionnaires/")
    assert index.status_code == 200 and LISTING in index.text
    everything = client.get(LISTING).text
    assert everything.count('class="question question--readonly question--listed"') == 16
    article_5 = client.get(LISTING, query_string={"provision": "Protocol art. 5"}).text
    listed = re.findall(r'<span class="code">(\w+)</span>', article_5)
    assert listed == ["crim_offence", "crim_law", "crim_laws", "crim_forms", "crim_in_force", "crim_max_penalty"]
    considered = client.get(LISTING, query_string={"obligation": "consider"}).text
    assert re.findall(r'<span class="code">(\w+)</span>', considered) == ["prot_shelter", "prot_shelter_places"]
    both = client.get(LISTING, query_string={"provision": "Protocol art. 5", "obligation": "consider"}).text
    assert "No question matches these filters." in both
    cited = client.get(LISTING, query_string={"provision": "000 §18"}).text
    assert re.findall(r'<span class="code">(\w+)</span>', cited) == ["data_victims", "data_assisted", "data_body"]
    section = client.get(section_url(cycle, "criminalization")).text
    assert f'href="{LISTING}?provision=Protocol+art.+5"' in section


def test_the_listing_is_in_the_users_language(client, login):
    user = factories.user("secretariat")
    user.locale = "zh"
    db.session.commit()
    login(user)
    page = client.get(LISTING, query_string={"obligation": "mandatory"}).text
    assert "贵国国内法是否将议定书第3条所界定的人口贩运规定为刑事犯罪？" in page
    assert "强制性" in page


@pytest.mark.parametrize("role", ["focal_point", "contributor"])
def test_the_listing_is_for_the_secretariat_only(client, login, role):
    login(factories.user(role, "FRA"))
    assert client.get("/questionnaires/").status_code == 403
    assert client.get(LISTING).status_code == 403


def test_an_unknown_version_is_not_found(client, login):
    login(factories.user("admin"))
    assert client.get("/questionnaires/test-questionnaire/9/").status_code == 404
