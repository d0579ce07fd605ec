"""Sending e-mail in the recipient's language.

    from app import mail
    mail.send_template("someone@example.org", "mail/password_reset.txt", locale="fr", url=...)
    db.session.commit()   # the message leaves with the commit (a job), never without it

A mail template defines two blocks, ``subject`` and ``body`` (plain text, not autoescaped),
and is rendered with the recipient's language forced, whatever the sender's. Links in
messages come from ``external_url``, which also works from the command line when
``BASE_URL`` is set.

Where messages go (``MAIL_BACKEND``): ``smtp`` (the default when ``MAIL_SERVER`` is set),
``console`` (printed to stderr, the default in development and never in production) or
``memory`` (kept in ``outbox()``, for tests).
"""
import logging
import smtplib
import sys
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request
from flask_babel import force_locale

from app.jobs.queue import defer, task

log = logging.getLogger(__name__)


class MailError(RuntimeError):
    """A message could not be handed to the mail server."""


@dataclass(frozen=True)
class Message:
    to: str
    subject: str
    body: str


def render(template_name: str, locale: str | None = None, **context) -> tuple[str, str]:
    """The subject (one line) and body of a mail template, in ``locale``."""
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        template = current_app.jinja_env.get_template(template_name)
        blocks = template.new_context(context)
        subject = " ".join("".join(template.blocks["subject"](blocks)).split())
        body = "".join(template.blocks["body"](blocks)).strip() + "\n"
    return subject, body


def send_template(to: str, template_name: str, locale: str | None = None, **context) -> Message:
    """Render a mail template in the recipient's language and queue it: it leaves once the
    caller's transaction commits (a job, tried again when the server does not answer), and
    never if it rolls back. Call it before the commit."""
    subject, body = render(template_name, locale, **context)
    message = Message(to=to, subject=subject, body=body)
    defer("send_mail", to=message.to, subject=message.subject, body=message.body)
    return message


@task("send_mail", attempts=5)
def send_mail(to: str, subject: str, body: str) -> None:
    send(Message(to=to, subject=subject, body=body))


def send(message: Message) -> Message:
    """Hand ``message`` to the configured backend now (the ``send_mail`` job does)."""
    backend = _backend()
    BACKENDS[backend](message)
    log.info("mail_sent", extra={"fields": {"event": "mail_sent", "to": message.to,
                                            "subject": message.subject, "backend": backend}})
    return message


def external_url(endpoint: str, **values) -> str:
    """An absolute link for a message: under ``BASE_URL`` when set, else the request's host (or,
    outside a request, ``LOCAL_BASE_URL``: development only, production requires BASE_URL).
    Built from the URL map alone: no request is made up for it (its teardown would end the
    caller's transaction)."""
    base = current_app.config.get("BASE_URL") or (
        request.host_url if has_request_context() else current_app.config["LOCAL_BASE_URL"])
    parts = urlsplit(base)
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme)
    return adapter.build(endpoint, values, force_external=True)


def outbox() -> list[Message]:
    """Messages sent with the ``memory`` backend (tests)."""
    return current_app.extensions.setdefault("mail_outbox", [])


def _backend() -> str:
    config = current_app.config
    backend = config.get("MAIL_BACKEND") or ("smtp" if config.get("MAIL_SERVER") else "console")
    if backend == "console" and not config.get("MAIL_CONSOLE_ALLOWED", True):
        raise MailError("MAIL_SERVER is not configured; messages (which carry login links) are "
                        "never written to the log in production.")
    return backend


def _email_message(message: Message) -> EmailMessage:
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    email["To"] = message.to
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid()
    email.set_content(message.body)
    return email


def _send_smtp(message: Message) -> None:
    config = current_app.config
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    try:
        with smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]) as smtp:
            if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            smtp.send_message(_email_message(message))
    except (OSError, smtplib.SMTPException) as error:
        log.error("mail_failed", extra={"fields": {"event": "mail_failed", "to": message.to,
                                                   "error": str(error)}})
        raise MailError(str(error)) from error


def _print_to_console(message: Message) -> None:
    print(f"\n----- e-mail (not sent: MAIL_SERVER is not set) -----\n"
          f"To: {message.to}\nSubject: {message.subject}\n\n{message.body}"
          f"-----------------------------------------------------\n", file=sys.stderr, flush=True)


def _keep_in_memory(message: Message) -> None:
    outbox().append(message)


BACKENDS = {"smtp": _send_smtp, "console": _print_to_console, "memory": _keep_in_memory}
