"""Two-factor authentication with TOTP (RFC 6238, 30-second steps, 6 digits) and recovery codes.

A code is accepted for the current step and one step either side (clock drift), and only for a
step later than the last one accepted: the check-and-record is a single conditional UPDATE, so
a code seen by an onlooker or sent twice at once works at most once, across worker processes.
"""
import hashlib
import hmac
import io
import secrets
import time

import pyotp
import segno
from flask import current_app
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm.attributes import set_committed_value

from app.auth.models import RecoveryCode, User
from app.database import utcnow
from app.extensions import db

ISSUER = "TIP self-assessment"
STEP_SECONDS = 30
RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
#: The demo's secretariat and admin share this published secret; it is refused wherever
#: demo data is (the production configuration).
DEMO_SECRET = "TIPDEMOTWOFACTORSECRETFORTRYING2"


def start_enrolment(user: User) -> str:
    """The secret being enrolled: a new one unless enrolment already started."""
    if user.totp_secret is None or user.two_factor_enabled:
        user.totp_secret = pyotp.random_base32(32)
        user.totp_confirmed_at = None
        db.session.flush()
    return user.totp_secret


def provisioning_uri(user: User) -> str:
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The otpauth URI as an inline SVG QR code (no style attributes: fine under the CSP)."""
    buffer = io.BytesIO()
    segno.make(uri, error="m").save(buffer, kind="svg", scale=5, border=2, xmldecl=False, svgns=True,
                                    dark="#000", light="#fff", title="QR", nl=False)
    return buffer.getvalue().decode()


def _current_step() -> int:
    return int(time.time()) // STEP_SECONDS


def verify_code(user: User, code: str) -> bool:
    """Whether ``code`` is a valid, unused TOTP code of ``user``; records its step if so."""
    code = "".join(code.split())
    if not (user.totp_secret and code.isdigit() and len(code) == 6):
        return False
    if user.totp_secret == DEMO_SECRET and not current_app.config.get("DEMO_ALLOWED"):
        return False
    totp = pyotp.TOTP(user.totp_secret)
    now = _current_step()
    for step in (now - 1, now, now + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return _claim_step(user, step)
    return False


def _claim_step(user: User, step: int) -> bool:
    claimed = db.session.execute(
        update(User).where(User.id == user.id, or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step).execution_options(synchronize_session=False)
    ).rowcount == 1
    if claimed:
        set_committed_value(user, "totp_last_step", step)
    return claimed


def confirm_enrolment(user: User, code: str) -> bool:
    """Turn two-factor authentication on if ``code`` matches the secret being enrolled."""
    if user.two_factor_enabled or not verify_code(user, code):
        return False
    user.totp_confirmed_at = utcnow()
    db.session.flush()
    return True


def disable(user: User) -> None:
    user.totp_secret = None
    user.totp_confirmed_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.flush()


def _normalise(code: str) -> str:
    return "".join(character for character in code.lower() if character.isalnum())


def _code_hash(code: str) -> str:
    return hashlib.sha256(_normalise(code).encode()).hexdigest()


def new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes; the plain codes are returned once and never stored."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = ["".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10)) for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_code_hash(code)) for code in codes)
    db.session.flush()
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def use_recovery_code(user: User, code: str) -> bool:
    """Spend one recovery code; a code works once."""
    if len(_normalise(code)) != 10:
        return False
    spent = db.session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _code_hash(code),
               RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow()).execution_options(synchronize_session=False)
    )
    return spent.rowcount == 1


def remaining_recovery_codes(user: User) -> int:
    return db.session.scalar(select(func.count()).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)))


def check_second_factor(user: User, code: str) -> str | None:
    """``"totp"`` or ``"recovery_code"`` for whichever the user entered correctly, else None."""
    if verify_code(user, code):
        return "totp"
    if use_recovery_code(user, code):
        return "recovery_code"
    return None
