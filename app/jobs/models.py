from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.database import JSONType, UTCDateTime, utcnow
from app.extensions import db

ITEM_STATUSES = ("pending", "done", "failed")


class Job(db.Model):
    """Long work someone asked for (profiles, an archive, an export): what it is, who asked, and
    once finished its result. The queue carries its items to the workers; this row is what the
    pages show. At most one unfinished job per ``key``, so asking again (or reloading) finds
    the job already under way instead of starting a second one."""

    __tablename__ = "jobs"
    __table_args__ = (
        sa.Index("ix_jobs_unfinished_key", "key", unique=True,
                 sqlite_where=sa.text("finished_at IS NULL"), postgresql_where=sa.text("finished_at IS NULL")),
        sa.Index("ix_jobs_requested_by_id_created_at", "requested_by_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: What the job makes: ``profile``, ``profiles`` (an archive of them), ``xlsx``.
    kind: Mapped[str] = mapped_column(sa.String(20))
    #: What it makes, exactly (kind, cycle, language, audience...): equal keys, equal results.
    key: Mapped[str] = mapped_column(sa.String(300))
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    #: The secretariat and administrators may all follow it (cycle-wide documents).
    shared: Mapped[bool] = mapped_column(default=False)
    params: Mapped[dict] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Why the job as a whole failed (its items' errors are on the items).
    error: Mapped[str | None] = mapped_column(sa.Text)
    #: The file a finished job made, when it is not kept elsewhere (profiles are in their cache).
    result: Mapped[bytes | None] = deferred(mapped_column(sa.LargeBinary))
    result_name: Mapped[str | None] = mapped_column(sa.String(200))

    items: Mapped[list["JobItem"]] = relationship(back_populates="job", order_by="JobItem.id",
                                                  cascade="all, delete-orphan", passive_deletes=True)


class JobItem(db.Model):
    """One piece of a job that a worker does on its own (one profile in one language): items run
    in parallel on every worker, and a failed one is named on the job's page."""

    __tablename__ = "job_items"
    __table_args__ = (
        sa.CheckConstraint("status IN ('pending', 'done', 'failed')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(sa.ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    #: What a reader calls it: "FRA fr".
    label: Mapped[str] = mapped_column(sa.String(100))
    params: Mapped[dict] = mapped_column(JSONType)
    status: Mapped[str] = mapped_column(sa.String(10), default="pending")
    error: Mapped[str | None] = mapped_column(sa.Text)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    job: Mapped[Job] = relationship(back_populates="items")
