"""Saving one answer: time per save and database rows added, on a 150-question response."""
import time
from datetime import date

import yaml

from app.auth.operations import create_user
from app.cycles.operations import open_cycle
from app.extensions import db
from app.questionnaires.loader import load_definition
from app.questionnaires.models import QuestionnaireVersion
from app.questionnaires.operations import store_definition
from app.responses import operations as ops
from app.responses.models import AnswerChange
from app.states.models import State
from app.states.operations import sync_member_states

LANGUAGES = ("ar", "en", "es", "fr", "ru", "zh")


def _definition(path, size=150):
    texts = lambda word: {language: f"{word} {language}" for language in LANGUAGES}  # noqa: E731
    questions = [{"id": f"q{i}", "type": "short_text", "text": texts(f"Question {i}")} for i in range(size)]
    path.write_text(yaml.safe_dump({"id": "bench", "version": 1, "title": texts("Bench"),
                                    "sections": [{"id": "s", "title": texts("S"), "questions": questions}]}))
    return store_definition(path, load_definition(path))


def run(app, out_dir):
    sync_member_states()
    _definition(out_dir / "bench-save.yaml")
    version = db.session.scalar(db.select(QuestionnaireVersion).filter_by(code="bench"))
    cycle = open_cycle("bench", version, date(2026, 1, 1), date(2026, 12, 31))
    user = create_user("bench@example.org", "a long enough password", "focal_point", "FRA")
    ops.create_response(db.session.get(State, "FRA"), cycle, user, {f"q{i}": f"answer {i}" for i in range(150)})
    db.session.commit()
    response = db.session.scalar(db.select(ops.Response))
    saves = 200
    started = time.perf_counter()
    for n in range(saves):
        ops.save_answers(response, user, {f"q{n % 150}": f"changed {n}"})
        db.session.commit()
    elapsed = time.perf_counter() - started
    rows = db.session.scalar(db.select(db.func.count()).select_from(AnswerChange))
    return [f"{saves} one-answer saves on a 150-question response: {elapsed / saves * 1000:.1f} ms each",
            f"answer rows stored: {rows} (150 at creation + 1 per save)"]
