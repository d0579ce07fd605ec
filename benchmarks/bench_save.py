"""Saving one answer on a 150-question response: time per save, and the database bytes each save
adds. A revision stores only the answers it changed, so a one-answer save must add about one
answer's worth of bytes, whatever the size of the response.

SQLite: pages in use per table and index (dbstat, so free pages and the WAL do not count), and
the file size after a checkpoint. PostgreSQL (BENCH_DATABASE_URL): pg_total_relation_size of the
tables a save writes (indexes and TOAST included), after VACUUM so that the responses row, which
every save updates, counts once rather than once per dead version."""
import time
from datetime import date
from pathlib import Path

import sqlalchemy as sa
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
QUESTIONS = 150
SAVES = 500
#: What a save writes: its revision, its answer, the response's counter (with their indexes).
TABLES = ("answer_changes", "revisions", "responses")


def _definition(path, size=QUESTIONS):
    texts = lambda word: {language: f"{word} {language}" for language in LANGUAGES}  # noqa: E731
    questions = [{"id": f"q{i}", "type": "short_text", "text": texts(f"Question {i}")} for i in range(size)]
    path.write_text(yaml.safe_dump({"id": "bench", "version": 1, "title": texts("Bench"),
                                    "sections": [{"id": "s", "title": texts("S"), "questions": questions}]}))
    return store_definition(path, load_definition(path))


def _sqlite_sizes() -> dict[str, int]:
    """Bytes of the pages each table and index uses, and the whole file after a checkpoint."""
    db.session.commit()
    with db.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = dict(connection.exec_driver_sql("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name").all())
        file = Path(connection.exec_driver_sql("PRAGMA database_list").all()[0][2]).stat().st_size
    sizes = {name: size for name, size in pages.items() if any(table in name for table in TABLES)}
    return {**sizes, "all tables and indexes": sum(pages.values()), "database file": file}


def _postgresql_sizes() -> dict[str, int]:
    db.session.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql(f"VACUUM {', '.join(TABLES)}")
        sizes = {table: connection.scalar(sa.text("SELECT pg_total_relation_size(:t)"), {"t": table})
                 for table in TABLES}
        sizes["database"] = connection.scalar(sa.text("SELECT pg_database_size(current_database())"))
    return sizes


def _sizes() -> dict[str, int]:
    return _postgresql_sizes() if db.engine.dialect.name == "postgresql" else _sqlite_sizes()


def _response(out_dir):
    sync_member_states()
    _definition(out_dir / "bench-save.yaml")
    version = db.session.scalar(db.select(QuestionnaireVersion).filter_by(code="bench"))
    cycle = open_cycle("bench", version, date(2026, 1, 1), date(2026, 12, 31))
    user = create_user("bench@example.org", "a long enough password", "focal_point", "FRA")
    ops.create_response(db.session.get(State, "FRA"), cycle, user,
                        {f"q{i}": f"answer {i} of the State, a sentence of ordinary length" for i in range(QUESTIONS)})
    db.session.commit()
    return db.session.scalar(db.select(ops.Response)), user


def run(app, out_dir):
    response, user = _response(out_dir)
    before = _sizes()
    started = time.perf_counter()
    for n in range(SAVES):
        ops.save_answers(response, user, {f"q{n % QUESTIONS}": f"changed answer {n} of the State, as long as before"})
        db.session.commit()
    elapsed = time.perf_counter() - started
    after = _sizes()
    rows = db.session.scalar(db.select(db.func.count()).select_from(AnswerChange))
    lines = [f"{SAVES} one-answer saves on a {QUESTIONS}-question response ({db.engine.dialect.name}): "
             f"{elapsed / SAVES * 1000:.1f} ms each",
             f"answer rows stored: {rows} ({QUESTIONS} at creation + 1 per save)",
             "bytes added per one-answer save:"]
    lines += [f"  {name}: {(after[name] - before.get(name, 0)) / SAVES:,.0f}" for name in sorted(after)]
    return lines
