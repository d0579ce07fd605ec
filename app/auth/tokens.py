"""Single-use, expiring tokens for links sent by e-mail. The link carries 256 random bits; the
database keeps only their SHA-256, and a token is spent by one conditional UPDATE so that two
requests racing with the same link cannot both succeed."""
import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete, select, update

from app.auth.models import AccountToken, TokenPurpose, User
from app.database import utcnow
from app.extensions import db


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User, purpose: TokenPurpose, lifetime: timedelta, created_by: User | None = None) -> str:
    """A new token for ``user``; earlier unused tokens of the same purpose stop working."""
    revoke_tokens(user, purpose)
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(AccountToken(user=user, purpose=purpose.value, token_hash=token_hash(token),
                                created_by=created_by, created_at=now, expires_at=now + lifetime))
    db.session.flush()
    return token


def find_token(token: str, purpose: TokenPurpose) -> AccountToken | None:
    """The unused, unexpired token record behind a link, or None."""
    return db.session.scalar(select(AccountToken).where(
        AccountToken.token_hash == token_hash(token), AccountToken.purpose == purpose.value,
        AccountToken.used_at.is_(None), AccountToken.expires_at > utcnow()))


def spend_token(record: AccountToken) -> bool:
    """Mark the token used; False when another request spent it (or it expired) meanwhile."""
    spent = db.session.execute(
        update(AccountToken)
        .where(AccountToken.id == record.id, AccountToken.used_at.is_(None), AccountToken.expires_at > utcnow())
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(record)
    return spent.rowcount == 1


def revoke_tokens(user: User, purpose: TokenPurpose) -> None:
    db.session.execute(delete(AccountToken).where(
        AccountToken.user_id == user.id, AccountToken.purpose == purpose.value, AccountToken.used_at.is_(None)))
