"""E-mail for notifications: each message is rendered in its recipient's language when the
notification is made and queued as a job in the same transaction (app/mail.py), so it leaves
only once that transaction commits: a rolled-back action never mails anyone, a committed one
always does (the job is tried again while the mail server does not answer)."""
from dataclasses import dataclass

from flask import current_app

from app import mail
from app.notifications.messages import Facts


@dataclass(frozen=True)
class QueuedMail:
    to: str
    locale: str
    facts: Facts
    url: str | None


def queue_mail(queued: QueuedMail) -> None:
    mail.send_template(queued.to, "notifications/mail/notification.txt", queued.locale, facts=queued.facts,
                       url=queued.url)


def link(notification_id: int) -> str | None:
    """The address that opens the notification; None from the command line without BASE_URL."""
    try:
        return mail.external_url("notifications.open", notification_id=notification_id)
    except RuntimeError:
        return None


def default_locale() -> str:
    return current_app.config["BABEL_DEFAULT_LOCALE"]
