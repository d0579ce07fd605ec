"""E-mail for notifications, sent only once the transaction that created them commits: a
rolled-back action never mails anyone. Messages are queued as plain data (no ORM objects:
the session cannot query after its commit) and rendered in each recipient's language."""
import logging
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

from app import mail
from app.extensions import db
from app.notifications.messages import Facts

log = logging.getLogger(__name__)
QUEUE = "notification_mails"


@dataclass(frozen=True)
class QueuedMail:
    to: str
    locale: str
    facts: Facts
    url: str | None


def queue_mail(queued: QueuedMail) -> None:
    db.session.info.setdefault(QUEUE, []).append(queued)


def link(notification_id: int) -> str | None:
    """The address that opens the notification; None from the command line without BASE_URL."""
    try:
        return mail.external_url("notifications.open", notification_id=notification_id)
    except RuntimeError:
        return None


def _send_queued(session) -> None:
    for queued in session.info.pop(QUEUE, []):
        try:
            mail.send_template(queued.to, "notifications/mail/notification.txt", queued.locale,
                               facts=queued.facts, url=queued.url)
        except mail.MailError:
            log.error("notification_mail_failed", extra={"fields": {"event": "notification_mail_failed",
                                                                    "to": queued.to}})


def _forget_queued(session, *args) -> None:
    session.info.pop(QUEUE, None)


def init_app(app) -> None:
    if not sa.event.contains(db.session, "after_commit", _send_queued):
        sa.event.listen(db.session, "after_commit", _send_queued)
        sa.event.listen(db.session, "after_rollback", _forget_queued)


def default_locale() -> str:
    return current_app.config["BABEL_DEFAULT_LOCALE"]
