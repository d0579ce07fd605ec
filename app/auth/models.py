import enum
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import UTCDateTime, utcnow
from app.extensions import db
from app.states.models import State


class Role(str, enum.Enum):
    FOCAL_POINT = "focal_point"
    CONTRIBUTOR = "contributor"
    SECRETARIAT = "secretariat"
    ADMIN = "admin"

    @property
    def is_state_bound(self) -> bool:
        return self in STATE_ROLES


STATE_ROLES = frozenset({Role.FOCAL_POINT, Role.CONTRIBUTOR})
REVIEW_ROLES = frozenset({Role.SECRETARIAT, Role.ADMIN})


def _sql_list(roles) -> str:
    return ", ".join(f"'{role.value}'" for role in sorted(roles, key=lambda r: r.value))


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        sa.CheckConstraint(f"role IN ({_sql_list(Role)})", name="role_known"),
        # State roles belong to exactly one State; the secretariat and admins to none.
        sa.CheckConstraint(
            f"(role IN ({_sql_list(STATE_ROLES)})) = (state_code IS NOT NULL)",
            name="state_matches_role",
        ),
        sa.CheckConstraint("email = lower(email)", name="email_lowercase"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Login name, stored in lower case.
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    #: Argon2id hash (PHC string).
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(sa.String(20))
    state_code: Mapped[str | None] = mapped_column(sa.ForeignKey(State.code), index=True)
    is_active: Mapped[bool] = mapped_column(default=True)
    #: Preferred interface language; None means "ask the browser".
    locale: Mapped[str | None] = mapped_column(sa.String(5))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    state: Mapped[State | None] = relationship(lazy="joined")

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def is_reviewer(self) -> bool:
        return self.role_enum in REVIEW_ROLES

    @property
    def can_submit(self) -> bool:
        return self.role_enum is Role.FOCAL_POINT

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"
