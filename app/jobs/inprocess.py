"""Tasks run in this process (SQLite, the embedded default): each task deferred in a transaction
is handed, once that transaction commits, to a background thread (one, so that rendering never
takes both cores from the pages), or run at once with ``JOBS_EAGER`` (tests). A rolled-back
transaction drops its tasks. Tasks waiting in memory are lost if the process stops: the queue
on PostgreSQL keeps them (app/jobs/postgres.py)."""
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa
from flask import Flask

from app.database import utcnow
from app.extensions import db
from app.jobs.queue import TASKS, Task, backend, backoff, run_task

log = logging.getLogger(__name__)
PENDING = "jobs_pending"


class InProcessBackend:
    def __init__(self, app: Flask):
        self.app = app
        self.eager = app.config["JOBS_EAGER"]
        self.executor = None if self.eager else ThreadPoolExecutor(1, thread_name_prefix="jobs")
        #: Jobs left unfinished by an earlier process were lost with it.
        self.started_at = utcnow()
        listen()

    def defer(self, task: Task, arguments: dict) -> None:
        db.session.info.setdefault(PENDING, []).append((task.name, arguments))

    def submit(self, name: str, arguments: dict) -> None:
        if self.executor is not None:
            self.executor.submit(self.run, name, arguments)
            return
        # A thread of its own even when eager: the task needs a session of its own, and the
        # committing session cannot run SQL from its after_commit hook.
        thread = threading.Thread(target=self.run, args=(name, arguments))
        thread.start()
        thread.join()

    def run(self, name: str, arguments: dict) -> None:
        """Every attempt of the task, with back-off between them; the last error is logged."""
        for attempt in range(TASKS[name].attempts):
            with self.app.app_context():
                try:
                    run_task(name, arguments, attempt)
                    return
                except Exception:
                    if attempt + 1 >= TASKS[name].attempts:
                        log.exception("The job %s failed for good", name)
                        return
                    pause = backoff(attempt)
            time.sleep(pause)

    def reachable(self, connection=None) -> bool:
        return self.executor is None or not self.executor._shutdown

    def abandoned(self, created_at) -> bool:
        return created_at < self.started_at


def _submit_pending(session) -> None:
    pending = session.info.pop(PENDING, [])
    if pending:
        for name, arguments in pending:
            backend().submit(name, arguments)


def _drop_pending(session, *args) -> None:
    session.info.pop(PENDING, None)


def listen() -> None:
    if not sa.event.contains(db.session, "after_commit", _submit_pending):
        sa.event.listen(db.session, "after_commit", _submit_pending)
        sa.event.listen(db.session, "after_rollback", _drop_pending)
