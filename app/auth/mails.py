"""The messages the accounts feature sends, each in the recipient's language."""

from flask import current_app
from flask_babel import lazy_gettext as _l

from app import mail
from app.auth.models import User
from app.database import utcnow

SECURITY_CHANGES = {
    "password_changed": _l("The password of your account was changed."),
    "two_factor_enabled": _l("Two-factor authentication was turned on for your account."),
    "two_factor_disabled": _l("Two-factor authentication was turned off for your account."),
    "recovery_codes_replaced": _l("New recovery codes were generated for your account; the old ones no longer work."),
}


def send_password_reset(user: User, token: str) -> None:
    """Queue the reset link in the transaction that stores its token (sent once it commits)."""
    hours = int(current_app.config["PASSWORD_RESET_TTL"].total_seconds() // 3600)
    mail.send_template(user.email, "mail/password_reset.txt", user.locale, user=user, hours=hours,
                       url=mail.external_url("signin.reset_password", token=token))


def notify_security_change(user: User, change: str) -> None:
    """Tell the owner that something protecting the account changed (ASVS 2.2.3): a job queued
    with the change, so it leaves exactly when the change is committed."""
    mail.send_template(user.email, "mail/security_notice.txt", user.locale, user=user,
                       change=SECURITY_CHANGES[change], when=utcnow(), url=mail.external_url("signin.reset_request"))
