"""Accounts of the benchmarks: every account must use two-factor authentication, so the ones a
benchmark makes are enrolled with the demo secret (accepted outside production), and its logins
give the current code after the password, as a person would."""
import pyotp

from app.auth.twofactor import DEMO_SECRET
from app.database import utcnow


def enrolled(user):
    user.totp_secret, user.totp_confirmed_at = DEMO_SECRET, utcnow()
    return user


def current_code() -> str:
    """The code of the demo secret now (each account takes a code once)."""
    return pyotp.TOTP(DEMO_SECRET).now()
