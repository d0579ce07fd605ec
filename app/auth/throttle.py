"""Login throttling, stored in the database so that every worker process counts the same
failures. Keys: ``account:<e-mail>`` (existing or not, so a lock says nothing about whether an
account exists), ``address:<client IP>`` and ``device:<nonce>`` (a browser that logged in
before).

After ``threshold`` failures within an hour a key is locked for one minute, doubling with each
further failure up to ``LOGIN_LOCK_MAX``. Attempts on a locked key are refused without checking
the password and without extending the lock. How the owner of an account keeps access while
someone else keeps failing on it: see ``login_keys`` and docs/security.md.
"""
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import case, delete, exists, select, update
from sqlalchemy.exc import IntegrityError

from app.auth.models import LoginThrottle, User
from app.database import utcnow
from app.extensions import db

#: Failures older than this are forgotten when the next one is counted.
WINDOW = timedelta(hours=1)
FIRST_LOCK = timedelta(minutes=1)
DEVICE_COOKIE_AGE = timedelta(days=180)


@dataclass(frozen=True)
class Keys:
    account: str
    address: str
    device: str | None

    def all(self) -> list[str]:
        """The keys that lock this attempt: a known browser is exempt from the account lock."""
        return [self.device or self.account, self.address]

    def counted(self) -> list[str]:
        return [key for key in (self.account, self.address, self.device) if key]


def login_keys(email: str, user: User | None) -> Keys:
    """The throttling keys of a login attempt. A browser carrying a valid device cookie for
    this very account is throttled on its own key instead of the account's, so that a stranger
    failing on a focal point's address cannot lock the focal point out of their usual browser."""
    device = known_device(user)
    return Keys(account=f"account:{email.strip().lower()}", address=f"address:{request.remote_addr}",
                device=f"device:{device}" if device else None)


def _threshold(key: str) -> int:
    config = current_app.config
    per_address = key.startswith(("address:", "reset-address:"))
    return config["LOGIN_FAILURES_PER_ADDRESS"] if per_address else config["LOGIN_FAILURES_PER_ACCOUNT"]


def locked(keys: list[str]) -> bool:
    return db.session.scalar(select(exists().where(
        LoginThrottle.key.in_(keys), LoginThrottle.locked_until > utcnow()))) or False


def record_failure(keys: list[str]) -> list[str]:
    """Count a failed attempt on each key; return the keys this failure locked."""
    return [key for key in keys if _count_failure(key, utcnow())]


def _count_failure(key: str, now: datetime) -> bool:
    failures = db.session.scalar(
        update(LoginThrottle).where(LoginThrottle.key == key)
        .values(failures=case((LoginThrottle.last_failure_at < now - WINDOW, 1), else_=LoginThrottle.failures + 1),
                last_failure_at=now)
        .returning(LoginThrottle.failures)
        .execution_options(synchronize_session=False)
    )
    if failures is None:
        failures = _insert_first_failure(key, now)
    excess = failures - _threshold(key)
    if excess < 0:
        return False
    lock = min(FIRST_LOCK * 2 ** min(excess, 20), current_app.config["LOGIN_LOCK_MAX"])
    db.session.execute(update(LoginThrottle).where(LoginThrottle.key == key).values(locked_until=now + lock)
                       .execution_options(synchronize_session=False))
    return True


def _insert_first_failure(key: str, now: datetime) -> int:
    try:
        with db.session.begin_nested():
            db.session.add(LoginThrottle(key=key, failures=1, last_failure_at=now))
        return 1
    except IntegrityError:  # another process inserted it first: count on its row
        return db.session.scalar(
            update(LoginThrottle).where(LoginThrottle.key == key)
            .values(failures=LoginThrottle.failures + 1, last_failure_at=now)
            .returning(LoginThrottle.failures).execution_options(synchronize_session=False))


def clear(keys: list[str]) -> None:
    """Forget the failures of these keys (after a successful login or a password reset)."""
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.key.in_(keys)))


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="known-device")


def known_device(user: User | None) -> str | None:
    """The nonce of this browser's device cookie, if it was issued for ``user``."""
    cookie = request.cookies.get(current_app.config["DEVICE_COOKIE_NAME"])
    if user is None or not cookie:
        return None
    try:
        user_id, nonce = _serializer().loads(cookie, max_age=int(DEVICE_COOKIE_AGE.total_seconds()))
    except (BadSignature, ValueError, TypeError):
        return None
    return nonce if hmac.compare_digest(str(user_id), str(user.id)) else None


def remember_device(response, user: User) -> None:
    """After a successful login: mark this browser as one the user logs in from."""
    value = _serializer().dumps([user.id, secrets.token_urlsafe(16)])
    config = current_app.config
    response.set_cookie(config["DEVICE_COOKIE_NAME"], value, max_age=int(DEVICE_COOKIE_AGE.total_seconds()),
                        httponly=True, secure=config.get("SESSION_COOKIE_SECURE", False), samesite="Lax")
