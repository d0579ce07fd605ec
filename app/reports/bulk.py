"""Building many profiles at once in worker processes (WeasyPrint is CPU-bound Python: threads
would share one core). Each document has a time limit; a failure is reported and the rest go on.

Workers are forked from the process that holds the app, so they share its configuration; each
drops the database connections it inherited and opens its own. They take the documents one at a
time, the longest first: the last ones to finish are then short, and no worker idles while
another renders a long profile alone at the end."""
import multiprocessing
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from flask import Flask
from sqlalchemy import Text, cast, func, select

from app.extensions import db
from app.reports.operations import profile_filename, profile_pdf, published_revision_number
from app.responses.models import AnswerChange, Response, Revision
from app.responses.workflow import Action


class TimeLimitExceeded(BaseException):
    """Raised in a worker when a document takes too long. A BaseException, so that no
    ``except Exception`` inside the renderer can swallow it."""


@dataclass(frozen=True)
class Job:
    response_id: int
    state_code: str
    locale: str
    #: The published revision, confidential answers withheld; else the latest submitted one.
    public: bool = False


@dataclass(frozen=True)
class Outcome:
    job: Job
    path: str | None
    seconds: float
    error: str | None = None


#: How long a profile takes to lay out in a language, against English (the benchmark's
#: 150-question profile): shaping Arabic costs about a third more.
LANGUAGE_COST = {"ar": 1.35}


def _written(response_ids: list[int]) -> dict[int, int]:
    """How much each response has written (characters of its stored answers, revisions included):
    a measure of how long its profile takes to render."""
    rows = db.session.execute(select(AnswerChange.response_id, func.sum(func.length(cast(AnswerChange.value, Text))))
                              .where(AnswerChange.response_id.in_(response_ids)).group_by(AnswerChange.response_id))
    return {response_id: size or 0 for response_id, size in rows}


def jobs_for_cycle(cycle_id: int, locales: list[str], public: bool = False) -> list[Job]:
    """One job per language for each response of the cycle (each published one, if ``public``),
    the longest documents first."""
    query = select(Response.id, Response.state_code).where(Response.cycle_id == cycle_id)
    if public:
        query = query.where(Response.id.in_(select(Revision.response_id).where(
            Revision.kind == Action.PUBLISH.value)))
    rows = db.session.execute(query.order_by(Response.state_code)).all()
    written = _written([response_id for response_id, _ in rows])
    jobs = [Job(response_id, state_code, locale, public) for response_id, state_code in rows for locale in locales]
    return sorted(jobs, key=lambda job: -written.get(job.response_id, 0) * LANGUAGE_COST.get(job.locale, 1.0))


_app: Flask | None = None


def _start_worker(app: Flask) -> None:
    global _app
    _app = app
    with app.app_context():
        db.engine.dispose(close=False)


def _time_is_up(signum, frame):
    raise TimeLimitExceeded()


def _write_profile(job: Job, out_dir: Path) -> Path:
    response = db.session.get(Response, job.response_id)
    number = published_revision_number(response.id) if job.public else None
    pdf, number = profile_pdf(response, job.locale, number, public=job.public)
    db.session.commit()
    path = out_dir / profile_filename(response, number, job.locale)
    path.write_bytes(pdf)
    return path


def _build(job: Job, out_dir: Path, time_limit: float) -> Outcome:
    started = time.perf_counter()
    signal.signal(signal.SIGALRM, _time_is_up)
    signal.setitimer(signal.ITIMER_REAL, time_limit)
    try:
        with _app.app_context():
            try:
                path = _write_profile(job, out_dir)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
                db.session.rollback()
        return Outcome(job, str(path), time.perf_counter() - started)
    except TimeLimitExceeded:
        return Outcome(job, None, time.perf_counter() - started, f"took longer than {time_limit:g} s")
    except Exception as error:  # one document's failure must not stop the others
        return Outcome(job, None, time.perf_counter() - started, f"{type(error).__name__}: {error}")


def build_profiles(app: Flask, jobs: list[Job], out_dir: Path, workers: int,
                   time_limit: float) -> Iterator[Outcome]:
    """Outcomes in the order the documents finish."""
    out_dir.mkdir(parents=True, exist_ok=True)
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_start_worker, initargs=(app,)) as pool:
        yield from pool.imap_unordered(partial(_build, out_dir=out_dir, time_limit=time_limit), jobs)
