from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.database import UTCDateTime, utcnow
from app.extensions import db
from app.responses.models import Revision

AUDIENCES = ("internal", "public")


class ProfilePdf(db.Model):
    """A rendered country profile, kept so that downloading it again is immediate: one per
    (response, revision, language, audience), replaced when the template version changes; the
    oldest make way when the cache outgrows ``PROFILE_CACHE_MB``."""

    __tablename__ = "profile_pdfs"
    __table_args__ = (
        sa.ForeignKeyConstraint(["response_id", "revision_number"], [Revision.response_id, Revision.number],
                                ondelete="CASCADE"),
        sa.UniqueConstraint("response_id", "revision_number", "locale", "audience"),
        sa.Index("ix_profile_pdfs_created_at", "created_at"),
        sa.CheckConstraint("audience IN ('internal', 'public')", name="audience_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int]
    revision_number: Mapped[int]
    locale: Mapped[str] = mapped_column(sa.String(8))
    #: ``public`` leaves out confidential answers; ``internal`` (secretariat, the State) shows them.
    audience: Mapped[str] = mapped_column(sa.String(10))
    #: Digest of the templates, stylesheet, code and catalog that produced the PDF.
    template_version: Mapped[str] = mapped_column(sa.String(64))
    pdf: Mapped[bytes] = mapped_column(sa.LargeBinary)
    #: Length of ``pdf``, summed to keep the cache within its bound without reading the PDFs.
    size_bytes: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
