"""Jobs someone asked for: start one (or find the one already under way), follow its items,
finish it. Operations flush and never commit; the items go to the queue in the caller's
transaction (app/jobs/queue.py)."""
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from app.database import utcnow, write_transaction
from app.extensions import db
from app.jobs.models import Job, JobItem
from app.jobs.queue import backend, defer, task

#: What each kind of job does with one item: ``handler(job, params)``, raising on failure; it may
#: return attributes to set on the job (its file: ``result``, ``result_name``).
HANDLERS = {}


class PermanentFailure(Exception):
    """An item that would fail the same way again (too long, too large): not tried again."""


@dataclass(frozen=True)
class Progress:
    total: int
    done: int
    failed: list[tuple[str, str]]

    @property
    def finished(self) -> bool:
        return self.done + len(self.failed) == self.total


def handler(kind: str):
    def register(function):
        HANDLERS[kind] = function
        return function

    return register


def unfinished(key: str) -> Job | None:
    return db.session.scalar(select(Job).where(Job.key == key, Job.finished_at.is_(None)))


def latest(key: str) -> Job | None:
    return db.session.scalar(select(Job).where(Job.key == key).order_by(Job.id.desc()).limit(1))


def start(kind: str, key: str, user, items: list[tuple[str, dict]], params: dict | None = None,
          shared: bool = False, lock=None) -> tuple[Job, bool]:
    """(the job, whether it is new): the unfinished job of ``key`` when there is one, else a new
    job whose items are queued. ``lock(params)`` names what no two items may render at once."""
    found = unfinished(key)
    if found is not None and not backend().abandoned(found.created_at):
        return found, False
    if found is not None:
        _finish(found, "abandoned: the process that ran it stopped")
    job = Job(kind=kind, key=key, requested_by_id=user.id if user else None, shared=shared, params=params or {},
              items=[JobItem(label=label, params=item_params) for label, item_params in items])
    try:
        with db.session.begin_nested():
            db.session.add(job)
    except IntegrityError:  # another request started the same job meanwhile
        return unfinished(key), False
    for item in job.items:
        defer("job_item", item_id=item.id, lock_key=lock(item.params) if lock else None)
    if not job.items:
        job.finished_at = utcnow()
    return job, True


@task("forget_old_jobs", cron="JOBS_CLEANUP_CRON")
def forget_old_jobs(timestamp: int | None = None) -> None:
    """Workers drop jobs finished more than ``JOBS_KEEP_DAYS`` ago, with their files (an export
    is made again on request; profiles stay in their own cache)."""
    from flask import current_app

    horizon = utcnow() - timedelta(days=current_app.config["JOBS_KEEP_DAYS"])
    with write_transaction():
        db.session.execute(delete(Job).where(Job.finished_at < horizon))
        db.session.commit()


def requests_since(user, kind: str, hours: float) -> int:
    """Jobs of ``kind`` the user started in the last ``hours`` (for rate limits)."""
    return db.session.scalar(select(func.count()).select_from(Job).where(
        Job.requested_by_id == user.id, Job.kind == kind, Job.created_at > utcnow() - timedelta(hours=hours)))


def progress(job: Job) -> Progress:
    rows = db.session.execute(select(JobItem.status, JobItem.label, JobItem.error)
                              .where(JobItem.job_id == job.id).order_by(JobItem.id)).all()
    return Progress(total=len(rows), done=sum(1 for status, _, _ in rows if status == "done"),
                    failed=[(label, error or "") for status, label, error in rows if status == "failed"])


def visible(job: Job | None, user) -> bool:
    """Its requester follows a job; every reviewer follows a shared one."""
    return job is not None and (job.requested_by_id == user.id or (job.shared and user.is_reviewer))


def _finish(job: Job, error: str | None = None) -> None:
    job.finished_at = utcnow()
    job.error = error


def _item_ended(item: JobItem, status: str, error: str | None = None) -> None:
    """Record an item's end and, when it was the last, the job's: the job row is locked first,
    so two workers ending the last two items cannot both miss that the job is over."""
    db.session.scalar(select(Job.id).where(Job.id == item.job_id).with_for_update())
    item.status, item.error, item.finished_at = status, error, utcnow()
    db.session.flush()
    pending = db.session.scalar(select(func.count()).select_from(JobItem).where(
        JobItem.job_id == item.job_id, JobItem.status == "pending"))
    if pending == 0:
        _finish(item.job)


def _pending_item(item_id: int) -> JobItem | None:
    item = db.session.get(JobItem, item_id)
    return item if item is not None and item.status == "pending" else None


def _item_failed(error: BaseException, item_id: int, lock_key: str | None = None) -> None:
    item = _pending_item(item_id)
    if item is not None:
        _item_ended(item, "failed", _describe(error))


def _describe(error: BaseException) -> str:
    return str(error) if isinstance(error, PermanentFailure) else f"{type(error).__name__}: {error}"


@task("job_item", on_failure=_item_failed, lock=lambda item_id, lock_key=None: lock_key)
def run_item(item_id: int, lock_key: str | None = None) -> None:
    """One item of a job. Safe to run again: an item already ended is left alone, and what it
    makes is looked up before it is made (a profile in its cache).

    The handler reads (and renders) in a reading transaction, which on SQLite never holds the
    write lock meanwhile; what it returns (the job's file) and the item's end are written in a
    short transaction of their own."""
    item = _pending_item(item_id)
    if item is None:
        return
    status, error, outcome = "done", None, {}
    try:
        outcome = HANDLERS[item.job.kind](item.job, item.params) or {}
    except PermanentFailure as failure:
        status, error = "failed", _describe(failure)
    db.session.rollback()
    with write_transaction():
        item = _pending_item(item_id)
        if item is not None:
            for name, value in outcome.items():
                setattr(item.job, name, value)
            _item_ended(item, status, error)
        db.session.commit()
