"""API tokens: created with a random secret shown once, stored as a hash, revoked for good."""
import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.api.models import ApiToken, TokenScope
from app.auth.models import User
from app.database import utcnow
from app.extensions import db

#: Tokens start with this, so that a leaked one is easy to recognise (and to search for).
TOKEN_PREFIX = "tip_"
#: Characters of the token kept in clear to tell tokens apart in the list.
SHOWN_CHARACTERS = 12


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(name: str, scope: TokenScope, author: User) -> tuple[ApiToken, str]:
    """A new token and its secret: the only time the secret exists outside its holder's hands."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(name=name.strip(), token_hash=token_hash(secret), prefix=secret[:SHOWN_CHARACTERS],
                     scope=scope.value, created_by=author)
    db.session.add(token)
    db.session.flush()
    return token, secret


def revoke_token(token: ApiToken, by: User) -> None:
    if token.is_active:
        token.revoked_at = utcnow()
        token.revoked_by = by
        db.session.flush()


def active_token(secret: str) -> ApiToken | None:
    """The unrevoked token with this secret, if any."""
    return db.session.scalar(
        select(ApiToken).where(ApiToken.token_hash == token_hash(secret), ApiToken.revoked_at.is_(None))
    )


def all_tokens() -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).options(
        joinedload(ApiToken.created_by), joinedload(ApiToken.revoked_by)).order_by(ApiToken.revoked_at.is_not(None),
                                                             ApiToken.created_at.desc())))
