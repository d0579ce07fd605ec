"""API tokens: created with a random secret shown once, stored as a hash, revoked for good."""
import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import joinedload

from app.api.models import ApiToken, TokenScope
from app.auth.models import User
from app.database import utcnow, write_transaction
from app.extensions import db

#: Tokens start with this, so that a leaked one is easy to recognise (and to search for).
TOKEN_PREFIX = "tip_"
#: Characters of the token kept in clear to tell tokens apart in the list.
SHOWN_CHARACTERS = 12
#: The last use is rewritten at most this often: each rewrite is a write in a read-only API.
LAST_USE_RESOLUTION = timedelta(minutes=1)


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(name: str, scope: TokenScope, author: User, lifetime: timedelta = timedelta(days=365)
                 ) -> tuple[ApiToken, str]:
    """A new token and its secret: the only time the secret exists outside its holder's hands."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    token = ApiToken(name=name.strip(), token_hash=token_hash(secret), prefix=secret[:SHOWN_CHARACTERS],
                     scope=scope.value, created_by=author, created_at=now, expires_at=now + lifetime)
    db.session.add(token)
    db.session.flush()
    return token, secret


def revoke_token(token: ApiToken, by: User) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        token.revoked_by = by
        db.session.flush()


def active_token(secret: str) -> ApiToken | None:
    """The unrevoked, unexpired token with this secret, if any."""
    return db.session.scalar(select(ApiToken).where(
        ApiToken.token_hash == token_hash(secret), ApiToken.revoked_at.is_(None), ApiToken.expires_at > utcnow()))


def record_use(token: ApiToken) -> None:
    """Note that ``token`` opened the API now, in a transaction of its own (the API only reads,
    and a GET must not hold the write lock), at most once a minute."""
    now = utcnow()
    with write_transaction(), db.engine.begin() as connection:
        connection.execute(update(ApiToken.__table__).where(
            ApiToken.__table__.c.id == token.id,
            or_(ApiToken.__table__.c.last_used_at.is_(None),
                ApiToken.__table__.c.last_used_at < now - LAST_USE_RESOLUTION)).values(last_used_at=now))


def all_tokens() -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).options(
        joinedload(ApiToken.created_by), joinedload(ApiToken.revoked_by)).order_by(ApiToken.revoked_at.is_not(None),
                                                             ApiToken.created_at.desc())))
