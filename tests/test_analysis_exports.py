"""Exports never carry a formula, and public ones never carry unpublished or confidential data."""
import codecs
import csv
import io

import pytest
from openpyxl import load_workbook

from app.analysis.cells import neutralise
from app.analysis.regions import geoscheme
from tests import analysis_data, factories
from tests.helpers import job_file

LEAKS = ("CONFIDENTIAL-LAW", "UNPUBLISHED-")


@pytest.fixture
def synthetic(app):
    return analysis_data.build()


def _export(client, cycle_id: int, query: str = "") -> str:
    return analysis_data.export_text(client.get(f"/analysis/cycles/{cycle_id}/export.csv{query}"))


def _rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def _cells(data: bytes):
    for sheet in load_workbook(io.BytesIO(data)).worksheets:
        for row in sheet.iter_rows():
            yield from row


@pytest.mark.parametrize("text,written", [
    ("=1+1", "'=1+1"), ("+cmd", "'+cmd"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("  =1", "'  =1"),
    ("-12.5", "-12.5"), ("+3", "+3"), ("Act 12", "Act 12"), ("a=b", "a=b"), (12, 12),
])
def test_formula_like_text_is_neutralised_and_numbers_are_not(text, written):
    assert neutralise(text) == written


def test_csv_export_neutralises_formulas(client, login, synthetic):
    login(factories.user("secretariat"))
    rows = _rows(_export(client, synthetic.cycle.id))
    laws = {row["state"]: row["value"] for row in rows if row["question_id"] == "crim_law"}
    codes = synthetic.decided
    for index, text in analysis_data.FORMULA_TEXTS.items():
        assert laws[codes[index]] == "'" + text
    assert not [value for row in rows for value in row.values() if value and value[0] in "=+@\t\r"]


def test_xlsx_export_holds_no_formula(client, login, synthetic):
    login(factories.user("secretariat"))
    data = job_file(client, f"/analysis/cycles/{synthetic.cycle.id}/export.xlsx").data
    cells = list(_cells(data))
    assert not [cell for cell in cells if cell.data_type == "f"]
    texts = {cell.value for cell in cells if isinstance(cell.value, str)}
    for text in analysis_data.FORMULA_TEXTS.values():
        assert "'" + text.replace("\r", "\n") in texts  # XML reads a carriage return as a line feed


@pytest.mark.parametrize("url", [
    "/api/v1/cycles/{cycle}/answers.csv",
    "/api/v1/cycles/{cycle}/responses?per_page=100",
    "/api/v1/cycles/{cycle}/responses?per_page=100&page=2",
    "/api/v1/cycles/{cycle}/questions/crim_law/distribution",
])
def test_public_api_leaks_nothing_unpublished_or_confidential(client, synthetic, url):
    body = client.get(url.format(cycle=synthetic.cycle.id)).text
    for leak in LEAKS:
        assert leak not in body
    for code in synthetic.submitted + synthetic.drafts + [c for c in synthetic.decided if c not in synthetic.published]:
        assert f'"{code}"' not in body and f"\n{code}," not in body


def test_public_exports_leak_nothing_but_the_secretariats_carry_confidential_answers_marked(client, login, synthetic):
    login(factories.user("secretariat"))
    cycle = synthetic.cycle.id
    public_csv = _export(client, cycle, "?audience=public&include_submitted=y")
    public_rows = _rows(public_csv)
    assert {row["state"] for row in public_rows} == set(synthetic.published)
    assert {row["status"] for row in public_rows} == {"published"}
    assert {row["confidential"] for row in public_rows} == {"false"}
    public_xlsx = {str(cell.value) for cell in _cells(job_file(client, f"/analysis/cycles/{cycle}/export.xlsx?audience=public").data)}
    for leak in LEAKS:
        assert leak not in public_csv and not any(leak in value for value in public_xlsx)

    secretariat_rows = _rows(_export(client, cycle))
    confidential = [row for row in secretariat_rows if row["value"].startswith("CONFIDENTIAL-LAW")]
    assert len(confidential) == 3 and {row["confidential"] for row in confidential} == {"true"}
    assert not [row for row in secretariat_rows if row["value"].startswith("UNPUBLISHED")]


def test_xlsx_has_a_sheet_per_section_labels_in_the_language_and_a_description_of_every_column(
        client, login, synthetic):
    login(factories.user("secretariat"))
    workbook = load_workbook(io.BytesIO(job_file(
        client, f"/analysis/cycles/{synthetic.cycle.id}/export.xlsx?lang=fr&states=FRA&states=AFG").data))
    assert workbook.sheetnames[:2] == ["À propos", "Colonnes"]
    assert "Incrimination" in workbook.sheetnames and "Collecte de données" in workbook.sheetnames
    sheet = workbook["Incrimination"]
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["État", "Code ISO", "Statut", "Version"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == ["Afghanistan", "France"]  # the States chosen, by code
    assert "Oui" in rows[1] and any(str(value).startswith("Exploitation sexuelle") for value in rows[1])
    described = [row for row in workbook["Colonnes"].iter_rows(min_row=2, values_only=True)]
    for name in workbook.sheetnames[2:]:
        headers = [cell.value for cell in workbook[name][1]]
        assert [row[2] for row in described if row[0] == name] == headers
    table = [row for row in described if row[3] == "data_victims"]
    assert len(table) == 5 * 5 and table[0][4:6] == ("2021", "women")


def test_export_of_a_selection_of_states(client, login, synthetic):
    login(factories.user("secretariat"))
    codes = synthetic.decided[:3]
    text = _export(client, synthetic.cycle.id, "?" + "&".join(f"states={c}" for c in codes))
    assert {row["state"] for row in _rows(text)} == set(codes)
    states = {row["state"] for row in _rows(_export(client, synthetic.cycle.id, "?region=150"))}
    assert states and all(geoscheme().contains("150", code) for code in states)
    assert states == {code for code in synthetic.decided if geoscheme().contains("150", code)}
    assert client.get(f"/analysis/cycles/{synthetic.cycle.id}/export.csv?states=XXX").status_code == 400


def test_the_csv_download_starts_with_a_byte_order_mark_for_excel_and_the_api_csv_does_not(client, login, synthetic):
    """Excel on Windows reads a CSV without a byte order mark in the system's code page, which
    garbles Arabic and Chinese; programs reading the API get plain UTF-8."""
    login(factories.user("secretariat"))
    for lang, name in (("ar", "أفغانستان"), ("zh", "阿富汗"), ("ru", "Афганистан")):
        data = client.get(f"/analysis/cycles/{synthetic.cycle.id}/export.csv?lang={lang}&states=AFG").data
        assert data.startswith(codecs.BOM_UTF8) and data.count(codecs.BOM_UTF8) == 1
        rows = _rows(data.decode("utf-8-sig"))
        assert list(rows[0])[0] == "state" and {row["state_name"] for row in rows} == {name}
    api = client.get(f"/api/v1/cycles/{synthetic.cycle.id}/answers.csv").data
    assert api.startswith(b"state,")
    assert "UTF-8 with a byte order mark" in client.get(f"/analysis/cycles/{synthetic.cycle.id}/export").text
