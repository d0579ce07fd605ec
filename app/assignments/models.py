from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.cycles.models import ReportingCycle
from app.database import UTCDateTime, utcnow
from app.extensions import db
from app.states.models import State


class SectionAssignment(db.Model):
    """A section of a State's questionnaire in one cycle, given to one of the State's users by
    its focal point. A section may have several assignees; a user several sections."""

    __tablename__ = "section_assignments"
    __table_args__ = (sa.UniqueConstraint("cycle_id", "state_code", "section_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(sa.ForeignKey(ReportingCycle.id, ondelete="CASCADE"))
    state_code: Mapped[str] = mapped_column(sa.ForeignKey(State.code))
    #: The section's stable id from the definition.
    section_id: Mapped[str] = mapped_column(sa.String(64))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey(User.id, ondelete="CASCADE"), index=True)
    assigned_by_id: Mapped[int] = mapped_column(sa.ForeignKey(User.id))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
