from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.cycles.models import ReportingCycle
from app.database import UTCDateTime, utcnow
from app.extensions import db
from app.states.models import State


class EditingPresence(db.Model):
    """Someone has a section of a response open for editing: the browser renews ``seen_at``
    every few seconds and the row counts only while that is recent. In the database, not in
    memory, so that every worker process sees the same people."""

    __tablename__ = "editing_presence"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey(User.id, ondelete="CASCADE"), primary_key=True)
    cycle_id: Mapped[int] = mapped_column(sa.ForeignKey(ReportingCycle.id, ondelete="CASCADE"), primary_key=True)
    state_code: Mapped[str] = mapped_column(sa.ForeignKey(State.code), primary_key=True)
    section_id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    #: The last heartbeat from the user's browser.
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    user: Mapped[User] = relationship()
