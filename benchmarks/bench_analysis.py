"""The secretariat's view across States at full size: 193 States x a 150-question questionnaire
with every kind of question. Reports the time to build the dashboard (and its SQL statements),
the page of answers by question, and full CSV and XLSX exports."""
import cProfile
import os
import time
from contextlib import contextmanager
from datetime import date, timedelta

import sqlalchemy as sa
import yaml

from app.analysis.dashboard import build_rows
from app.auth.operations import create_user
from app.cycles.operations import open_cycle
from app.database import utcnow
from app.extensions import db
from app.questionnaires.loader import load_definition
from app.questionnaires.models import QuestionnaireVersion
from app.questionnaires.operations import store_definition
from app.questionnaires.registry import questionnaire_for
from app.responses import operations as ops
from app.responses.models import AnswerChange, Response
from app.responses.workflow import Action
from app.states.models import State
from app.states.operations import sync_member_states

LANGUAGES = ("ar", "en", "es", "fr", "ru", "zh")
PASSWORD = "a long enough benchmark password"
#: The mix of question types, repeated: 15 per section, 10 sections.
KINDS = ("yes_no_partly", "short_text", "single_choice", "multiple_choice", "integer", "yes_no", "long_text",
         "decimal", "date", "year", "number_table", "yes_no_partly", "short_text", "single_choice", "integer")
OPTIONS = ("a", "b", "c", "d")
YEARS = ("2019", "2020", "2021", "2022", "2023")
LONG_TEXT = "The national action plan covers prevention, protection and prosecution. " * 8


def _texts(word: str) -> dict:
    return {language: f"{word} ({language})" for language in LANGUAGES}


def _question(section: int, index: int, kind: str) -> dict:
    question = {"id": f"s{section}_q{index}", "type": kind, "text": _texts(f"Question {section}.{index}")}
    if kind in ("single_choice", "multiple_choice"):
        question["options"] = [{"value": value, "label": _texts(f"Option {value}")} for value in OPTIONS]
    if kind == "number_table":
        question["rows"] = list(YEARS)
        question["columns"] = [{"id": "women", "label": _texts("Women")}, {"id": "men", "label": _texts("Men")},
                               {"id": "total", "label": _texts("Total"), "total_of": ["women", "men"]}]
    if index == 1:  # a follow-up, shown when the section's first question is yes or partly
        question["show_if"] = {"question": f"s{section}_q0", "in": ["yes", "partly"]}
    return question


def _definition(path) -> None:
    sections = [{"id": f"s{s}", "title": _texts(f"Section {s}"),
                 "questions": [_question(s, i, kind) for i, kind in enumerate(KINDS)]} for s in range(10)]
    path.write_text(yaml.safe_dump({"id": "bench-analysis", "version": 1, "title": _texts("Benchmark"),
                                    "sections": sections}, allow_unicode=True), encoding="utf-8")
    store_definition(path, load_definition(path))


def _value(question, state: int):
    kind = question.type
    values = {
        "yes_no_partly": ("yes", "yes", "partly", "no")[state % 4], "yes_no": ("yes", "no")[state % 2],
        "single_choice": OPTIONS[state % 4], "multiple_choice": list(OPTIONS[: 1 + state % 4]),
        "short_text": f"Act {state} of 2019, article {state % 40}", "long_text": LONG_TEXT, "integer": state * 3,
        "decimal": f"{state}.25", "date": "2019-06-30", "year": 2000 + state % 20,
    }
    if kind == "number_table":
        return {year: {"women": state + n, "men": n, "total": state + 2 * n} for n, year in enumerate(YEARS)}
    return values[kind]


def _responses(cycle, questionnaire) -> None:
    focal = create_user("focal@example.org", PASSWORD, "focal_point", "FRA")
    reviewer = create_user("bench@example.org", PASSWORD, "secretariat")
    questions = list(questionnaire.questions.values())
    for number, state in enumerate(db.session.scalars(db.select(State).order_by(State.code))):
        ops.create_response(state, cycle, focal, {q.id: _value(q, number) for q in questions})
        response = db.session.scalar(db.select(Response).filter_by(state_code=state.code))
        ops.change_status(response, Action.SUBMIT, focal)  # every State in the export...
        if number % 3:  # ...two thirds of them accepted
            ops.change_status(response, Action.ACCEPT, reviewer)
        db.session.commit()


@contextmanager
def _statements():
    executed = []

    def record(conn, cursor, statement, parameters, context, executemany):
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


def run(app, out_dir):
    sync_member_states()
    _definition(out_dir / "bench-analysis.yaml")
    version = db.session.scalar(db.select(QuestionnaireVersion).filter_by(code="bench-analysis"))
    cycle = open_cycle("bench", version, date.today() - timedelta(days=30), date.today() + timedelta(days=60))
    questionnaire = questionnaire_for(version)
    started = time.perf_counter()
    _responses(cycle, questionnaire)
    loading = time.perf_counter() - started
    answers = db.session.scalar(db.select(db.func.count()).select_from(AnswerChange))

    app.config["WTF_CSRF_ENABLED"] = False  # the benchmark logs in without a browser
    client = app.test_client()
    client.post("/login", data={"email": "bench@example.org", "password": PASSWORD})
    build_ms = _timed(lambda: build_rows(cycle, questionnaire, "en", utcnow().date()))[0]
    if os.environ.get("BENCH_PROFILE"):
        cProfile.runctx("build_rows(cycle, questionnaire, 'en', utcnow().date())", globals(), locals(),
                        sort="cumulative")
    page_ms, page = _timed(lambda: client.get(f"/analysis/?cycle={cycle.id}"))
    with _statements() as statements:
        client.get(f"/analysis/?cycle={cycle.id}&sort=completion&order=desc")
    questions_ms = _timed(lambda: client.get(f"/analysis/cycles/{cycle.id}/questions?include=submitted"), 1)[0]
    csv_ms, csv_body = _timed(lambda: client.get(f"/analysis/cycles/{cycle.id}/export.csv?include_submitted=y").data, 1)
    xlsx_ms, xlsx_body = _timed(lambda: client.get(f"/analysis/cycles/{cycle.id}/export.xlsx?include_submitted=y").data, 1)
    lines = csv_body.count(b"\n") - 1
    return [
        f"193 States x {len(questionnaire.questions)} questions: {answers} stored answers (loaded in {loading:.0f} s)",
        f"dashboard rows built: {build_ms:.0f} ms; dashboard page: {page_ms:.0f} ms ({page.status_code}, "
        f"{len(page.data) // 1024} KB)",
        f"dashboard SQL statements: {len(statements)} (login session included)",
        f"answers by question, all {len(questionnaire.questions)} questions: {questions_ms:.0f} ms",
        f"full CSV export: {csv_ms:.0f} ms, {lines} lines, {len(csv_body) // 1024} KB",
        f"full XLSX export: {xlsx_ms:.0f} ms, {len(xlsx_body) // 1024} KB",
    ]
