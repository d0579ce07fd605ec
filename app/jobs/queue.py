"""Tasks and where they run. A task is a plain function of JSON arguments, registered by name:

    @task("send_mail")
    def send_mail(to, subject, body): ...

    defer("send_mail", to=..., subject=..., body=...)   # inside the request's transaction

``defer`` puts the task in the caller's transaction: it runs once that transaction commits and
never if it rolls back. Where it runs depends on the database (``JOBS_BACKEND``):

- PostgreSQL: procrastinate's queue, in the same database (app/jobs/postgres.py); workers
  started with ``flask --app wsgi jobs worker`` run it, on any machine.
- SQLite (the embedded default, ``make run``): in this process, after the commit, on a
  background thread (app/jobs/inprocess.py); the tests run it at once (``JOBS_EAGER``).

Either way a task that raises is tried again with back-off, ``attempts`` times in all; after
the last failure its ``on_failure`` runs (in a transaction of its own) so that the page that
follows the work can name what failed. A task runs in an app context of its own, commits once
when it returns, and must be safe to run again: a worker killed in the middle runs it anew."""
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app

from app.database import write_transaction
from app.extensions import db

log = logging.getLogger(__name__)

#: How many times a task runs before it counts as failed.
ATTEMPTS = 3


@dataclass(frozen=True)
class Task:
    name: str
    run: Callable[..., None]
    attempts: int = ATTEMPTS
    #: Called with (error, **arguments) after the last attempt failed.
    on_failure: Callable[..., None] | None = None
    #: Jobs with the same lock never run at once (one render at a time per document).
    lock: Callable[..., str | None] | None = None
    #: The configuration key of a cron schedule on which workers run the task by themselves.
    cron: str | None = None


TASKS: dict[str, Task] = {}
_creating = threading.Lock()


def task(name: str, attempts: int = ATTEMPTS, on_failure=None, lock=None, cron=None):
    """Register the decorated function as the task ``name``."""

    def register(function):
        TASKS[name] = Task(name, function, attempts, on_failure, lock, cron)
        return function

    return register


def defer(name: str, **arguments) -> None:
    """Queue the task ``name`` in the current transaction (see the module's docstring)."""
    backend().defer(TASKS[name], arguments)


def backend():
    """This app's backend, made on first use (every task module is imported by then), once
    however many threads ask at the same moment."""
    found = current_app.extensions.get("jobs_backend")
    if found is not None:
        return found
    # Imported here: both backends import this module, for run_task.
    from app.jobs.inprocess import InProcessBackend
    from app.jobs.postgres import QueueBackend

    with _creating:
        if "jobs_backend" not in current_app.extensions:
            kind = current_app.config.get("JOBS_BACKEND") or (
                "queue" if db.engine.dialect.name == "postgresql" else "inprocess")
            current_app.extensions["jobs_backend"] = (
                QueueBackend if kind == "queue" else InProcessBackend)(current_app._get_current_object())
    return current_app.extensions["jobs_backend"]


def run_task(name: str, arguments: dict, attempt: int) -> None:
    """One attempt of a task in the current app context: commits when it returns; on an error
    rolls back and, after the last attempt, records the failure before raising it again."""
    found = TASKS[name]
    try:
        with write_transaction():  # on SQLite: the write lock first, never a stale read upgraded to a write
            found.run(**arguments)
            db.session.commit()
    except BaseException as error:
        db.session.rollback()
        log.warning("job_failed", extra={"fields": {"event": "job_failed", "task": name, "attempt": attempt + 1,
                                                    "error": f"{type(error).__name__}: {error}"}})
        if attempt + 1 >= found.attempts and found.on_failure is not None:
            with write_transaction():
                found.on_failure(error, **arguments)
                db.session.commit()
        raise
    finally:
        db.session.remove()


def backoff(attempt: int) -> float:
    """Seconds before the attempt after ``attempt`` (0 first): 2, 4, 8... times the base."""
    return current_app.config["JOBS_RETRY_SECONDS"] * 2 ** attempt
