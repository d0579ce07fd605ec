"""The secretariat's view across States at full size: 193 States x the full Protocol questionnaire
(questionnaires/tip-protocol), every State answering every question that applies to it, with
answers that differ from State to State. Reports the time to build the dashboard (and its SQL
statements), the page of answers by question, and full CSV and XLSX exports, all requested as the
secretariat, logged in through the login form and its two-factor step."""
import cProfile
import csv
import io
import os
import re
import time
import zipfile
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import pyotp
import sqlalchemy as sa

from app.analysis.dashboard import build_rows
from app.auth.operations import create_user
from app.cycles.operations import open_cycle
from app.database import utcnow
from app.demo.data import sample_answers
from app.extensions import db
from app.questionnaires.loader import load_definition
from app.questionnaires.models import QuestionnaireVersion
from app.questionnaires.operations import store_definition
from app.questionnaires.versions import questionnaire_for
from app.responses import operations as ops
from app.responses.models import AnswerChange, Response
from app.responses.workflow import Action
from app.states.models import State
from app.states.operations import sync_member_states

PROTOCOL = Path(__file__).parent.parent / "questionnaires" / "tip-protocol" / "questionnaire.yaml"
PASSWORD = "indigo lantern quarterly harbour 193"
REVIEWER = "secretariat@example.org"
#: Transaction control is not a query of the page.
TRANSACTION = re.compile(r"\s*(SAVEPOINT|RELEASE|ROLLBACK|BEGIN|COMMIT)", re.I)


def _questionnaire():
    store_definition(PROTOCOL, load_definition(PROTOCOL))
    version = db.session.scalar(db.select(QuestionnaireVersion).filter_by(code="tip-protocol"))
    return version, questionnaire_for(version)


def _reviewer():
    """The secretariat, enrolled in two-factor authentication as its role requires."""
    reviewer = create_user(REVIEWER, PASSWORD, "secretariat", name="Benchmark reviewer")
    reviewer.totp_secret, reviewer.totp_confirmed_at = pyotp.random_base32(32), utcnow()
    return reviewer


def _responses(cycle, questionnaire, reviewer) -> dict[str, dict]:
    """Every State submitted, two thirds of them accepted; their answers by State."""
    focal = create_user("focal@example.org", PASSWORD, "focal_point", "FRA")
    given = {}
    for number, state in enumerate(db.session.scalars(db.select(State).order_by(State.code))):
        given[state.code] = sample_answers(questionnaire, variant=number)
        ops.create_response(state, cycle, focal, given[state.code])
        response = db.session.scalar(db.select(Response).filter_by(state_code=state.code))
        ops.change_status(response, Action.SUBMIT, focal)
        if number % 3:
            ops.change_status(response, Action.ACCEPT, reviewer)
        db.session.commit()
    return given


def expected_csv_lines(questionnaire, given: dict[str, dict]) -> int:
    """Lines of the long-format CSV, counted from the answers given: one per chosen option, one
    per filled table cell, one per other answer."""

    def atoms(question, value) -> int:
        if question.type == "multiple_choice":
            return len(value)
        if question.type == "number_table":
            return sum(cell is not None for row in value.values() for cell in row.values())
        return 1

    return sum(atoms(questionnaire.questions[qid], value) for answers in given.values()
               for qid, value in answers.items())


def log_in(client, reviewer) -> None:
    """The real login: password, then the current code of the authenticator."""
    response = client.post("/login", data={"email": REVIEWER, "password": PASSWORD})
    assert response.status_code == 302 and response.location.startswith("/login/two-factor"), response.status
    response = client.post(response.location, data={"code": pyotp.TOTP(reviewer.totp_secret).now()})
    assert response.status_code == 302 and not response.location.startswith("/login"), response.location


@contextmanager
def _statements():
    executed = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if not TRANSACTION.match(statement):
            executed.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield executed
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)


def _timed(function, repeat: int = 3) -> tuple[float, object]:
    """The best of ``repeat`` runs, in milliseconds, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - started)
    return best * 1000, result


def _get(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return response


def _csv_records(body: bytes) -> int:
    assert body.startswith(b"\xef\xbb\xbf"), "the CSV starts with a UTF-8 byte order mark"
    return sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8-sig")))) - 1


def _xlsx_sheets(body: bytes) -> int:
    names = zipfile.ZipFile(io.BytesIO(body)).namelist()
    return sum(1 for name in names if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", name))


def run(app, out_dir):
    sync_member_states()
    version, questionnaire = _questionnaire()
    cycle = open_cycle("bench", version, date.today() - timedelta(days=30), date.today() + timedelta(days=60))
    reviewer = _reviewer()
    db.session.commit()
    started = time.perf_counter()
    given = _responses(cycle, questionnaire, reviewer)
    loading = time.perf_counter() - started
    answers = db.session.scalar(db.select(db.func.count()).select_from(AnswerChange))
    states = len(given)

    app.config["WTF_CSRF_ENABLED"] = False  # the benchmark posts the login form without a browser
    client = app.test_client()
    log_in(client, reviewer)
    build_ms, rows = _timed(lambda: build_rows(cycle, questionnaire, "en", utcnow().date()))
    assert len(rows) == states and all(row.answered == row.applicable for row in rows)
    if os.environ.get("BENCH_PROFILE"):
        cProfile.runctx("build_rows(cycle, questionnaire, 'en', utcnow().date())", globals(), locals(),
                        sort="cumulative")
    page_ms, page = _timed(lambda: _get(client, f"/analysis/?cycle={cycle.id}"))
    assert page.data.count(b"<tr data-state=") == states
    with _statements() as statements:
        _get(client, f"/analysis/?cycle={cycle.id}&sort=completion&order=desc")
    base = f"/analysis/cycles/{cycle.id}"
    questions_ms, questions = _timed(lambda: _get(client, f"{base}/questions?include=submitted"), 1)
    csv_ms, csv_body = _timed(lambda: _get(client, f"{base}/export.csv?include_submitted=y").data, 1)
    lines, expected = _csv_records(csv_body), expected_csv_lines(questionnaire, given)
    assert lines == expected, f"CSV: {lines} lines, {expected} expected"
    xlsx_ms, xlsx_body = _timed(lambda: _get(client, f"{base}/export.xlsx?include_submitted=y").data, 1)
    assert _xlsx_sheets(xlsx_body) >= len(questionnaire.sections)
    return [
        f"{states} States x {len(questionnaire.questions)} questions ({questionnaire.id} v{questionnaire.version}): "
        f"{answers} stored answers (loaded in {loading:.0f} s)",
        f"dashboard rows built: {build_ms:.0f} ms; dashboard page: {page_ms:.0f} ms ({len(page.data) // 1024} KB)",
        f"dashboard SQL statements: {len(statements)} (the login session's included)",
        f"answers by question, all {len(questionnaire.questions)} questions: {questions_ms:.0f} ms "
        f"({len(questions.data) // 1024} KB)",
        f"full CSV export: {csv_ms:.0f} ms, {lines} lines, {len(csv_body) // 1024} KB",
        f"full XLSX export: {xlsx_ms:.0f} ms, {_xlsx_sheets(xlsx_body)} sheets, {len(xlsx_body) // 1024} KB",
    ]
