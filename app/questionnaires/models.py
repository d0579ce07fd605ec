from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.database import JSONType, UTCDateTime, utcnow
from app.extensions import db


class QuestionnaireVersion(db.Model):
    """One version of a questionnaire definition, stored whole and never changed once loaded:
    responses point at the exact version their answers were given to."""

    __tablename__ = "questionnaire_versions"
    __table_args__ = (
        sa.UniqueConstraint("code", "version"),
        sa.CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The definition's stable id, e.g. ``tip-protocol``.
    code: Mapped[str] = mapped_column(sa.String(64))
    version: Mapped[int]
    #: The canonical JSON of the definition (all languages).
    definition: Mapped[dict] = mapped_column(JSONType, deferred=True)
    #: SHA-256 of the canonical JSON, to tell a re-load of the same file from a changed one.
    checksum: Mapped[str] = mapped_column(sa.String(64))
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<QuestionnaireVersion {self.code} v{self.version}>"
