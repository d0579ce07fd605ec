import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.database import UTCDateTime, utcnow
from app.extensions import db


class TokenScope(str, enum.Enum):
    #: Published responses without confidential answers: what anyone may see.
    PUBLISHED = "published"
    #: Every response in any status, confidential answers included (marked as such).
    ALL = "all"


_SCOPES = ", ".join(f"'{scope.value}'" for scope in TokenScope)


class ApiToken(db.Model):
    """A key to the read-only API, created and revoked by the secretariat. Only a hash of the
    token is stored: it is shown once, when created, and cannot be recovered afterwards."""

    __tablename__ = "api_tokens"
    __table_args__ = (
        sa.CheckConstraint(f"scope IN ({_SCOPES})", name="scope_known"),
        sa.CheckConstraint("(revoked_at IS NULL) = (revoked_by_id IS NULL)", name="revocation_complete"),
        sa.CheckConstraint("expires_at > created_at", name="expires_after_creation"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: What the token is for, e.g. "UNODC data portal".
    name: Mapped[str] = mapped_column(sa.String(100))
    #: SHA-256 of the token, hexadecimal: enough for a random 256-bit secret, and searchable.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: The token's first characters, so that its holder can recognise it in the list.
    prefix: Mapped[str] = mapped_column(sa.String(16))
    scope: Mapped[str] = mapped_column(sa.String(20))
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey(User.id))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The token stops working then: a forgotten token does not open the data for ever.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: When the token last opened the API (to the minute), so that unused ones can be revoked.
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When the token stopped working; it is kept so the list shows who revoked what.
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey(User.id))

    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= utcnow()

    @property
    def sees_everything(self) -> bool:
        return self.scope == TokenScope.ALL.value

    def __repr__(self) -> str:
        return f"<ApiToken {self.prefix}… {self.scope}>"
