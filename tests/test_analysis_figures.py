"""On a synthetic cycle of 100 States, the dashboard, the CSV, the XLSX and the API report the
same counts and shares, for the secretariat and for the public alike; the dashboard's count of
States per status and the completion of each State agree with them and with the data given."""
import csv
import io
import re
from collections import Counter

import pytest
from babel.numbers import format_percent
from openpyxl import load_workbook

from app.api.models import TokenScope
from app.analysis.regions import geoscheme
from app.api.tokens import create_token
from app.extensions import db
from app.states.names import member_state_codes
from tests import analysis_data, factories
from tests.helpers import job_file

DECIDED = {"yes": 85, "partly": 10, "no": 5}
WITH_SUBMITTED = {"yes": 85, "partly": 10, "no": 10}
#: Published States only, less the three whose answer is confidential.
PUBLIC = {"yes": 48, "partly": 6, "no": 3}


@pytest.fixture
def synthetic(app):
    return analysis_data.build()


def bearer(scope: TokenScope) -> dict:
    secret = create_token("tests", scope, factories.user("secretariat"))[1]
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def page_counts(html: str) -> dict[str, tuple[int, str]]:
    """(count, share as shown) per answer value, from the distribution table of a question page."""
    rows = re.findall(r'<tr data-value="(\w+)">.*?class="number count">([\d,]+)<.*?class="number share">([^<]+)<',
                      html, re.S)
    return {value: (int(count.replace(",", "")), share.strip()) for value, count, share in rows}


def export_counts(client, cycle, query: str = "", question: str = "crim_offence") -> Counter:
    """The counts of a CSV download of the analysis pages."""
    text = analysis_data.export_text(client.get(f"/analysis/cycles/{cycle.id}/export.csv{query}"))
    return csv_counts(text, question)


def csv_counts(text: str, question: str = "crim_offence") -> Counter:
    return Counter(row["value"] for row in csv.DictReader(io.StringIO(text)) if row["question_id"] == question)


def xlsx_counts(data: bytes, header: str = "Does your domestic law establish") -> Counter:
    sheets = load_workbook(io.BytesIO(data))
    rows = list(sheets["Criminalization"].iter_rows(values_only=True))
    column = next(n for n, title in enumerate(rows[0]) if title and title.startswith(header))
    labels = {"Yes": "yes", "Partly": "partly", "No": "no"}
    return Counter(labels[row[column]] for row in rows[1:] if row[column])


def api_counts(client, cycle, headers=None, query="") -> tuple[dict, dict]:
    data = client.get(f"/api/v1/cycles/{cycle.id}/questions/crim_offence/distribution{query}", headers=headers).json
    return {bar["value"]: bar["count"] for bar in data["bars"]}, data


def shares(counts: dict) -> dict[str, str]:
    answered = sum(counts.values())
    return {value: f"{round(100 * count / answered)}%" for value, count in counts.items()}


def test_secretariat_figures_agree_everywhere(client, login, synthetic):
    cycle = synthetic.cycle
    login(factories.user("secretariat"))
    page = client.get(f"/analysis/cycles/{cycle.id}/questions/crim_offence").text
    assert page_counts(page) == {value: (count, shares(DECIDED)[value]) for value, count in DECIDED.items()}
    assert "Answered by 100 of 100 States" in page
    assert export_counts(client, cycle) == DECIDED
    assert xlsx_counts(job_file(client, f"/analysis/cycles/{cycle.id}/export.xlsx?lang=en").data) == DECIDED
    counts, data = api_counts(client, cycle, bearer(TokenScope.ALL))
    assert counts == DECIDED and data["states_counted"] == 100 and data["states_answered"] == 100
    assert [bar["share"] for bar in data["bars"]] == [0.85, 0.1, 0.05]


def test_submitted_responses_count_only_on_request(client, login, synthetic):
    cycle = synthetic.cycle
    login(factories.user("secretariat"))
    page = client.get(f"/analysis/cycles/{cycle.id}/questions/crim_offence?include=submitted").text
    assert {value: count for value, (count, _) in page_counts(page).items()} == WITH_SUBMITTED
    assert export_counts(client, cycle, "?include_submitted=y") == WITH_SUBMITTED
    counts, data = api_counts(client, cycle, bearer(TokenScope.ALL), "?status=accepted,published,submitted")
    assert counts == WITH_SUBMITTED and data["states_counted"] == 105


def test_public_figures_agree_everywhere_and_leave_out_confidential_answers(client, login, synthetic):
    cycle = synthetic.cycle
    counts, data = api_counts(client, cycle)
    assert counts == PUBLIC and data["states_counted"] == 60 and data["states_answered"] == 57
    assert set(data["bars"][0]["states"]).isdisjoint(synthetic.confidential)
    assert api_counts(client, cycle, bearer(TokenScope.PUBLISHED))[0] == PUBLIC
    assert csv_counts(client.get(f"/api/v1/cycles/{cycle.id}/answers.csv").text) == PUBLIC
    login(factories.user("secretariat"))
    assert export_counts(client, cycle, "?audience=public") == PUBLIC
    assert xlsx_counts(job_file(client, f"/analysis/cycles/{cycle.id}/export.xlsx?audience=public&lang=en").data) == PUBLIC


def test_multiple_choice_shares_are_of_the_states_that_answered(client, login, synthetic):
    login(factories.user("secretariat"))
    page = client.get(f"/analysis/cycles/{synthetic.cycle.id}/questions/crim_forms").text
    counts = page_counts(page)
    # 95 States answered yes or partly; every one chose sexual exploitation, the odd ones forced labour too.
    assert counts["sexual"] == (95, "100%")
    assert counts["forced_labour"] == (47, "49%")
    assert counts["organs"] == (0, "0%")
    export = export_counts(client, synthetic.cycle, question="crim_forms")
    assert export == {"sexual": 95, "forced_labour": 47}


def test_table_totals_by_year_across_states(client, login, synthetic):
    login(factories.user("secretariat"))
    page = client.get(f"/analysis/cycles/{synthetic.cycle.id}/questions/data_victims").text
    row_2024 = re.search(r'<tr data-row="2024">(.*?)</tr>', page, re.S).group(1)
    # women, men, girls, boys, the table's own total column (not filled in), the computed total
    assert re.findall(r"<td[^>]*>([\d,]*)</td>", row_2024)[:6] == ["100", "200", "", "", "", "300"]
    row_2023 = re.search(r'<tr data-row="2023">(.*?)</tr>', page, re.S).group(1)
    assert re.findall(r"<td[^>]*>([\d,]*)</td>", row_2023)[:6] == ["150", "", "", "", "", "150"]
    assert "Totals by year" in page
    head = re.search(r'<table class="data-table number-table table-totals">.*?<thead>(.*?)</thead>', page, re.S).group(1)
    headers = re.findall(r"<th[^>]*>([^<]*)</th>", head)
    assert headers[0] == "Year" and headers[-4:] == ["Total", "Computed total", "States reporting", "States without figures"]
    assert "<td" not in head and len(set(headers)) == len(headers)
    data = client.get(f"/api/v1/cycles/{synthetic.cycle.id}/questions/data_victims/distribution",
                      headers=bearer(TokenScope.ALL)).json
    by_year = {row["id"]: row for row in data["table"]["rows"]}
    assert by_year["2024"]["total"] == 300 and by_year["2024"]["cells"]["men"] == 200
    assert len(by_year["2023"]["states_reporting"]) == 50


def test_numbers_are_summarised(client, login, synthetic):
    login(factories.user("secretariat"))
    page = client.get(f"/analysis/cycles/{synthetic.cycle.id}/questions/prot_shelter_places").text
    # 70 States (index % 10 < 7) gave 10 + index places: from 10 to 106.
    figures = dict(re.findall(r'<th scope="row">(\w+)</th><td class="number">([\d,.]+)</td>', page))
    assert figures["States"] == "70" and figures["Lowest"] == "10" and figures["Highest"] == "106"


def dashboard_counts(html: str) -> dict[str, int]:
    return {status: int(count.replace(",", "")) for status, count in re.findall(r'data-status="(\w+)">([\d,]+)<', html)}


def dashboard_row(html: str, code: str) -> str:
    return re.search(rf'<tr data-state="{code}">(.*?)</tr>', html, re.S).group(1)


def status_of(synthetic, code: str) -> str:
    for status, codes in (("published", synthetic.published), ("accepted", synthetic.decided),
                          ("submitted", synthetic.submitted), ("draft", synthetic.drafts)):
        if code in codes:
            return status
    return "not_started"


def test_dashboard_status_counts_and_completion_agree_with_the_data_the_exports_and_the_api(
        client, login, synthetic):
    cycle = synthetic.cycle
    login(factories.user("secretariat"))
    page = client.get(f"/analysis/?cycle={cycle.id}").text
    assert dashboard_counts(page) == analysis_data.STATUS_COUNTS
    assert len(re.findall(r'<tr data-state="', page)) == 193
    headers = bearer(TokenScope.ALL)
    for status in ("submitted", "accepted", "published"):
        listing = client.get(f"/api/v1/cycles/{cycle.id}/responses?status={status}&per_page=1", headers=headers).json
        assert listing["meta"]["total"] == analysis_data.STATUS_COUNTS[status], status
    europe = Counter(status_of(synthetic, code) for code in member_state_codes() if geoscheme().contains("150", code))
    assert dashboard_counts(client.get(f"/analysis/?cycle={cycle.id}&region=150").text) == {
        status: europe[status] for status in analysis_data.STATUS_COUNTS}

    for code, values in synthetic.answers.items():
        answered, applicable = analysis_data.completion(values)
        row = dashboard_row(page, code)
        assert f"{answered} of {applicable}" in row, code
        assert format_percent(answered / applicable, locale="en") in row, code
    assert "—" in dashboard_row(page, member_state_codes()[-1])  # not started: no completion
    export = analysis_data.export_text(client.get(f"/analysis/cycles/{cycle.id}/export.csv"))
    answered = {(row["state"], row["question_id"]) for row in csv.DictReader(io.StringIO(export))}
    exported = Counter(state for state, _ in answered)
    assert exported == {code: analysis_data.completion(synthetic.answers[code])[0] for code in synthetic.decided}


def test_answers_by_question_open_with_an_index_of_the_sections(client, login, synthetic):
    login(factories.user("secretariat"))
    page = client.get(f"/analysis/cycles/{synthetic.cycle.id}/questions").text
    index = re.search(r'<nav class="section-index" id="sections"[^>]*>(.*?)</nav>', page, re.S).group(1)
    links = re.findall(r'<a href="#(s-\w+)">([^<]+)</a>', index)
    assert [title for _, title in links] == ["Status of ratification", "Criminalization",
                                             "Protection and assistance of victims",
                                             "Data collection"]
    assert all(f'<section class="analysis-section" id="{anchor}"' in page for anchor, _ in links)
    assert "4 questions" in index and page.count('<a href="#sections">Back to all sections</a>') == 4
