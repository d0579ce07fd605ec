"""The messages the accounts feature sends, each in the recipient's language."""
import logging

from flask import current_app
from flask_babel import lazy_gettext as _l

from app import mail
from app.auth.models import User
from app.database import utcnow

log = logging.getLogger(__name__)

SECURITY_CHANGES = {
    "password_changed": _l("The password of your account was changed."),
    "two_factor_enabled": _l("Two-factor authentication was turned on for your account."),
    "two_factor_disabled": _l("Two-factor authentication was turned off for your account."),
    "recovery_codes_replaced": _l("New recovery codes were generated for your account; the old ones no longer work."),
}


def password_reset_message(user: User, token: str) -> mail.Message:
    """The reset link's message, rendered (also for an address without an account, whose
    message is never sent, so that both requests do the same work)."""
    hours = int(current_app.config["PASSWORD_RESET_TTL"].total_seconds() // 3600)
    return mail.prepare(user.email, "mail/password_reset.txt", user.locale, user=user, hours=hours,
                        url=mail.external_url("signin.reset_password", token=token))


def notify_security_change(user: User, change: str) -> None:
    """Tell the owner that something protecting the account changed (ASVS 2.2.3). A failure to
    send is logged, never shown: the change itself has been made."""
    try:
        mail.send_template(user.email, "mail/security_notice.txt", user.locale, user=user,
                           change=SECURITY_CHANGES[change], when=utcnow(),
                           url=mail.external_url("signin.reset_request"))
    except mail.MailError:
        log.exception("The security notice could not be sent")
