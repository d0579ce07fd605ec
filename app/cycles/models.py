from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import UTCDateTime, utcnow
from app.extensions import db
from app.questionnaires.models import QuestionnaireVersion
from app.questionnaires.schema import Questionnaire
from app.questionnaires.scope import QUESTION_SETS, Scope, scoped
from app.questionnaires.versions import questionnaire_of
from app.questionnaires.types.number_table import DEFAULT_PERIOD


class ReportingCycle(db.Model):
    """A round of reporting: which questionnaire version States answer, and by when."""

    __tablename__ = "reporting_cycles"
    __table_args__ = (
        sa.CheckConstraint("closes_on >= opens_on", name="dates_ordered"),
        sa.CheckConstraint("last_year >= first_year AND first_year >= 1900 AND last_year - first_year < 20",
                           name="reference_period"),
        sa.CheckConstraint(f"question_set IN {QUESTION_SETS!r}", name="question_set"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Short name shown to users, e.g. ``2026``.
    name: Mapped[str] = mapped_column(sa.String(100), unique=True)
    questionnaire_version_id: Mapped[int] = mapped_column(sa.ForeignKey(QuestionnaireVersion.id))
    opens_on: Mapped[date]
    #: The deadline for submissions.
    closes_on: Mapped[date]
    #: Whether States may still save and submit.
    is_open: Mapped[bool] = mapped_column(default=True)
    #: The reference period: the calendar years the tables ask figures for (one row each) and
    #: that texts name as ``{first_year}`` and ``{last_year}``.
    first_year: Mapped[int] = mapped_column(default=DEFAULT_PERIOD[0])
    last_year: Mapped[int] = mapped_column(default=DEFAULT_PERIOD[1])
    #: "full": every question; "core": only those the definition marks ``set: core``.
    question_set: Mapped[str] = mapped_column(sa.String(10), default="full")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    questionnaire_version: Mapped[QuestionnaireVersion] = relationship()

    @property
    def scope(self) -> Scope:
        return Scope(self.first_year, self.last_year, self.question_set)

    @property
    def core_only(self) -> bool:
        return self.question_set == "core"

    def __repr__(self) -> str:
        return f"<ReportingCycle {self.name}>"


def cycle_questionnaire(cycle: ReportingCycle, checksum: str | None = None) -> Questionnaire:
    """The questionnaire as ``cycle`` asks it (its years, its question set), parsed once per
    process; ``checksum``: the version's, when the query read it without the version."""
    checksum = checksum or cycle.questionnaire_version.checksum
    return scoped(questionnaire_of(cycle.questionnaire_version_id, checksum), cycle.scope)
