from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import UTCDateTime, utcnow
from app.extensions import db
from app.questionnaires.models import QuestionnaireVersion


class ReportingCycle(db.Model):
    """A round of reporting: which questionnaire version States answer, and by when."""

    __tablename__ = "reporting_cycles"
    __table_args__ = (sa.CheckConstraint("closes_on >= opens_on", name="dates_ordered"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Short name shown to users, e.g. ``2026``.
    name: Mapped[str] = mapped_column(sa.String(100), unique=True)
    questionnaire_version_id: Mapped[int] = mapped_column(sa.ForeignKey(QuestionnaireVersion.id))
    opens_on: Mapped[date]
    #: The deadline for submissions.
    closes_on: Mapped[date]
    #: Whether States may still save and submit.
    is_open: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    questionnaire_version: Mapped[QuestionnaireVersion] = relationship()

    def __repr__(self) -> str:
        return f"<ReportingCycle {self.name}>"
