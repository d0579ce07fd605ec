"""E-mail: SMTP when configured, the console otherwise, never the log in production."""
import pytest

from app import mail
from app.auth.models import User
from app.extensions import db
from tests import factories


class FakeSMTP:
    """Stands in for smtplib.SMTP and records what the app does with it."""

    sent = []

    def __init__(self, host, port, timeout):
        self.calls = [("connect", host, port)]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        FakeSMTP.sent.append(self.calls)

    def starttls(self):
        self.calls.append(("starttls",))

    def login(self, username, password):
        self.calls.append(("login", username, password))

    def send_message(self, message):
        self.calls.append(("send", message["From"], message["To"], message["Subject"], message.get_content()))


def test_smtp_delivery_with_starttls_and_login(app, monkeypatch):
    monkeypatch.setattr(mail.smtplib, "SMTP", FakeSMTP)
    for key, value in {"MAIL_BACKEND": None, "MAIL_SERVER": "smtp.example.org", "MAIL_PORT": 587,
                       "MAIL_USERNAME": "platform", "MAIL_PASSWORD": "s3cret",
                       "MAIL_DEFAULT_SENDER": "TIP <tip@example.org>"}.items():
        monkeypatch.setitem(app.config, key, value)
    FakeSMTP.sent.clear()
    with app.test_request_context():
        mail.send(mail.Message(to="focal@example.org", subject="Objet", body="Bonjour\n"))
    calls = FakeSMTP.sent[0]
    assert calls[:3] == [("connect", "smtp.example.org", 587), ("starttls",), ("login", "platform", "s3cret")]
    assert calls[3] == ("send", "TIP <tip@example.org>", "focal@example.org", "Objet", "Bonjour\n")


def test_without_a_server_messages_go_to_the_console(app, monkeypatch, capsys):
    monkeypatch.setitem(app.config, "MAIL_BACKEND", None)
    with app.test_request_context():
        mail.send(mail.Message(to="focal@example.org", subject="Subject line", body="Body text\n"))
    err = capsys.readouterr().err
    assert "To: focal@example.org" in err and "Subject line" in err and "Body text" in err


def test_production_never_writes_messages_to_the_log(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_BACKEND", None)
    monkeypatch.setitem(app.config, "MAIL_CONSOLE_ALLOWED", False)
    with app.test_request_context(), pytest.raises(mail.MailError, match="MAIL_SERVER"):
        mail.send(mail.Message(to="focal@example.org", subject="s", body="b"))


@pytest.mark.parametrize("locale,greeting", [("ar", "مرحبًا،"), ("zh", "您好！"), ("es", "Buenos días:"), ("en", "Hello,")])
def test_templates_render_in_the_recipients_language_whatever_the_senders(app, locale, greeting):
    user = factories.user("focal_point", locale=locale)
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        subject, body = mail.render("mail/password_reset.txt", user.locale, user=user, hours=1, url="http://x/y")
    assert body.startswith(greeting) and "http://x/y" in body and "\n" not in subject


def test_links_use_base_url_outside_requests(app, monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", "https://tip.example.org/platform")
    with app.app_context():
        assert mail.external_url("signin.reset_request") == "https://tip.example.org/platform/password/forgot"


def test_a_message_leaves_with_the_commit_and_never_after_a_rollback(app, outbox):
    """send_template queues a job in the caller's transaction (run at once here, JOBS_EAGER)."""
    user = User(email="someone@example.org", locale="fr", name="")
    with app.test_request_context():
        mail.send_template(user.email, "mail/password_reset.txt", user.locale, user=user, hours=1, url="u")
        assert outbox == []
        db.session.rollback()
    assert outbox == []
    with app.test_request_context():
        mail.send_template(user.email, "mail/password_reset.txt", user.locale, user=user, hours=1, url="u")
        db.session.commit()
    assert outbox[-1].to == "someone@example.org"
