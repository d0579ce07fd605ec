"""Password hashing with Argon2id. argon2-cffi's defaults follow RFC 9106's recommendation;
``ARGON2_PARAMETERS`` may change them (the test suite uses cheap ones), and hashes made with
other parameters are upgraded at the next login."""
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context


@lru_cache(maxsize=4)
def _hasher_for(parameters: tuple) -> PasswordHasher:
    return PasswordHasher(**dict(parameters))


def _hasher() -> PasswordHasher:
    parameters = current_app.config.get("ARGON2_PARAMETERS") if has_app_context() else None
    return _hasher_for(tuple(sorted((parameters or {}).items())))


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


@lru_cache(maxsize=4)
def _dummy_hash(hasher: PasswordHasher) -> str:
    return hasher.hash("no such account")


def verify_dummy(password: str) -> None:
    """Spend the time of a real verification when the account does not exist, so the response
    time does not tell whether an e-mail address has an account."""
    verify_password(_dummy_hash(_hasher()), password)
