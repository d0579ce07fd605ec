import enum
from datetime import datetime

import sqlalchemy as sa
from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
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
#: Every role must use two-factor authentication (ASVS 5.0 6.3.3): the secretariat sees every
#: State's answers, focal points and contributors their State's unpublished and confidential
#: ones. ``TWO_FACTOR_OPTIONAL_FOR_CONTRIBUTORS`` may exempt contributors, and no other role.
TWO_FACTOR_ROLES = frozenset(Role)
ROLE_LABELS = {
    Role.FOCAL_POINT: _l("national focal point"),
    Role.CONTRIBUTOR: _l("contributor"),
    Role.SECRETARIAT: _l("secretariat"),
    Role.ADMIN: _l("administrator"),
}
#: Marks columns and tables that ``backup create --without-secrets`` leaves out.
SECRET = {"secret": True}


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
    #: The ministry or agency a State user works for, shown beside their name to colleagues.
    organisation: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    #: Argon2id hash (PHC string); empty until an invited user chooses a password.
    password_hash: Mapped[str] = mapped_column(sa.String(255), info=SECRET)
    role: Mapped[str] = mapped_column(sa.String(20))
    state_code: Mapped[str | None] = mapped_column(sa.ForeignKey(State.code), index=True)
    is_active: Mapped[bool] = mapped_column(default=True)
    #: Preferred interface language; None means "ask the browser".
    locale: Mapped[str | None] = mapped_column(sa.String(5))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Random value that every session of this user carries; replacing it ends them all.
    session_token: Mapped[str | None] = mapped_column(sa.String(64), info=SECRET)
    #: Base32 TOTP secret; set when enrolment starts, in force once confirmed.
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64), info=SECRET)
    #: Left out of a backup without secrets along with the secret: two-factor authentication
    #: confirmed without a secret would lock its owner out.
    totp_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, info=SECRET)
    #: The last TOTP time step accepted, so that a code cannot be used twice.
    totp_last_step: Mapped[int | None] = mapped_column(info=SECRET)

    state: Mapped[State | None] = relationship()

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def is_reviewer(self) -> bool:
        return self.role_enum in REVIEW_ROLES

    @property
    def can_submit(self) -> bool:
        return self.role_enum is Role.FOCAL_POINT

    @property
    def role_label(self) -> str:
        return str(ROLE_LABELS[self.role_enum])

    @property
    def has_password(self) -> bool:
        return bool(self.password_hash)

    @property
    def two_factor_enabled(self) -> bool:
        return self.totp_confirmed_at is not None

    @property
    def two_factor_required(self) -> bool:
        if self.role_enum is Role.CONTRIBUTOR and has_app_context() \
                and current_app.config.get("TWO_FACTOR_OPTIONAL_FOR_CONTRIBUTORS"):
            return False
        return self.role_enum in TWO_FACTOR_ROLES

    def get_id(self) -> str:
        """Flask-Login's session id: the user id and the current session token."""
        return f"{self.id}:{self.session_token}"

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class TokenPurpose(str, enum.Enum):
    PASSWORD_RESET = "password_reset"
    INVITATION = "invitation"


class AccountToken(db.Model):
    """A single-use, expiring token sent by e-mail (password reset, invitation). Only its
    SHA-256 is stored: a copy of the database does not let anyone use a pending link."""

    __tablename__ = "account_tokens"
    __table_args__ = (
        sa.CheckConstraint(f"purpose IN ({_sql_list(TokenPurpose)})", name="purpose_known"),
        sa.CheckConstraint("expires_at > created_at", name="expires_after_creation"),
        {"info": SECRET},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey(User.id, ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(sa.String(20))
    #: SHA-256 (hex) of the token in the link.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: Who sent the invitation; None for a password reset.
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey(User.id))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: Set when the link is used; a used token never works again.
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])


class RecoveryCode(db.Model):
    """A two-factor recovery code, shown once, stored as SHA-256 (codes are random, 50 bits)."""

    __tablename__ = "recovery_codes"
    __table_args__ = (sa.UniqueConstraint("user_id", "code_hash"), {"info": SECRET})

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey(User.id, ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LoginThrottle(db.Model):
    """Failed attempts per key (an e-mail address, a client address, a known browser), in the
    database so that every worker process sees the same counts."""

    __tablename__ = "login_throttles"

    #: ``account:<e-mail>``, ``address:<IP>`` or ``device:<nonce>``.
    key: Mapped[str] = mapped_column(sa.String(300), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Attempts are refused until then, without checking the password.
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class IdentityLink(db.Model):
    """An account at the organisation's OpenID Connect provider, linked to one account here: by
    its first login (which made the account), or by the owner's password and code, never by a
    matching e-mail address alone."""

    __tablename__ = "identity_links"
    __table_args__ = (sa.UniqueConstraint("issuer", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey(User.id, ondelete="CASCADE"), unique=True)
    #: The provider (its ``iss``) and the person there (``sub``): together, who they are.
    issuer: Mapped[str] = mapped_column(sa.String(300))
    subject: Mapped[str] = mapped_column(sa.String(255))
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()
