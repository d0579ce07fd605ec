from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.attachments.filetypes import FILE_TYPES
from app.auth.models import User
from app.cycles.models import ReportingCycle
from app.database import UTCDateTime, utcnow
from app.extensions import db
from app.states.models import State

_MEDIA_TYPES = ", ".join(f"'{media_type}'" for media_type in sorted({t.media_type for t in FILE_TYPES}))


class Attachment(db.Model):
    """A file a State uploaded in one reporting cycle, e.g. the text of a law cited in a law
    list. Never deleted or changed: earlier revisions keep pointing at it."""

    __tablename__ = "attachments"
    __table_args__ = (
        sa.CheckConstraint("size > 0", name="size_positive"),
        sa.CheckConstraint("length(sha256) = 64", name="sha256_length"),
        sa.CheckConstraint(f"media_type IN ({_MEDIA_TYPES})", name="media_type_allowed"),
        sa.Index("ix_attachments_state_cycle", "state_code", "cycle_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    state_code: Mapped[str] = mapped_column(sa.ForeignKey(State.code))
    cycle_id: Mapped[int] = mapped_column(sa.ForeignKey(ReportingCycle.id))
    #: SHA-256 of the content, hex: the file's name under the upload folder (identical files are stored once).
    sha256: Mapped[str] = mapped_column(sa.String(64))
    #: Size in bytes.
    size: Mapped[int]
    #: The type found by reading the content, never the one the browser claimed.
    media_type: Mapped[str] = mapped_column(sa.String(100))
    #: The uploaded file's name, cleaned for display and downloads.
    filename: Mapped[str] = mapped_column(sa.String(255))
    uploaded_by_id: Mapped[int] = mapped_column(sa.ForeignKey(User.id))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<Attachment {self.id} {self.state_code} {self.media_type}>"
