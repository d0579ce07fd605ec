"""Logging in (password, then the second factor), logging out, and resetting a forgotten password.

Every failure message is the same whether or not the account exists."""
import time

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.audit import record_event
from app.auth import mails, throttle
from app.auth.forms import LoginForm, NewPasswordForm, ResetRequestForm, SecondFactorForm
from app.auth.models import TokenPurpose, User
from app.auth.operations import check_password, find_user_by_email, set_password
from app.auth import oidc
from app.auth.sessions import SIGNED_IN_WITH, end_all_sessions, end_session, start_session
from app.auth.tokens import find_token, issue_token, spend_token
from app.auth.twofactor import check_second_factor
from app.extensions import db
from app.jobs.queue import defer, task
from app.logs import log_security_event
from app.security import safe_next
from app.stash.pages import keep_for_page

bp = Blueprint("signin", __name__, template_folder="templates")

PENDING = "pending_login"
#: Time allowed between the password and the second factor.
PENDING_SECONDS = 300


def _refused(template: str, form, keys: throttle.Keys):
    log_security_event("login_refused_locked", keys=[key.partition(":")[0] for key in keys.all()])
    flash(_("Too many failed attempts. Wait a few minutes and try again, or reset your password."), "error")
    return render_template(template, form=form), 429


def _count_failure(keys: throttle.Keys, email: str) -> None:
    record_event("login_failed", details={"email": email})
    newly_locked = throttle.record_failure(keys.counted())
    if newly_locked:
        record_event("login_locked", details={"email": email, "keys": [k.partition(":")[0] for k in newly_locked]})
    db.session.commit()


def _complete_login(user: User, keys: throttle.Keys, next_url: str | None, second_factor: str | None):
    throttle.clear([key for key in (keys.account, keys.device) if key])
    start_session(user)
    record_event("login_succeeded", user=user, details={"second_factor": second_factor} if second_factor else None)
    db.session.commit()
    response = redirect(safe_next(next_url) or url_for("main.home"))
    throttle.remember_device(response, user)
    return response


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("signin/login.html", form=form)
    email = form.email.data.strip().lower()
    user = find_user_by_email(email)
    keys = throttle.login_keys(email, user)
    if throttle.locked(keys.all()):
        return _refused("signin/login.html", form, keys)
    if not check_password(user, form.password.data):
        _count_failure(keys, email)
        flash(_("The e-mail address or password is not correct."), "error")
        return render_template("signin/login.html", form=form)
    if user.two_factor_enabled:
        session[PENDING] = {"user_id": user.id, "at": int(time.time()), "next": request.args.get("next")}
        if user.locale:  # the second step already speaks the user's language
            session["lang"] = user.locale
        db.session.commit()  # a rehashed password
        return redirect(url_for("signin.second_factor"))
    return _complete_login(user, keys, request.args.get("next"), None)


def _pending_user() -> User | None:
    pending = session.get(PENDING)
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user = db.session.get(User, pending["user_id"])
    return user if user is not None and user.is_active and user.two_factor_enabled else None


@bp.route("/login/two-factor", methods=["GET", "POST"])
def second_factor():
    user = _pending_user()
    if user is None:
        session.pop(PENDING, None)
        flash(_("Please log in again."), "info")
        return redirect(url_for("signin.login"))
    form = SecondFactorForm()
    if not form.validate_on_submit():
        return render_template("signin/second_factor.html", form=form)
    keys = throttle.login_keys(user.email, user)
    if throttle.locked(keys.all()):
        return _refused("signin/second_factor.html", form, keys)
    method = check_second_factor(user, form.code.data)
    if method is None:
        _count_failure(keys, user.email)
        flash(_("The code is not correct, or was already used. Enter the current code from your app."), "error")
        return render_template("signin/second_factor.html", form=form)
    if method == "recovery_code":
        record_event("recovery_code_used", user=user)
    return _complete_login(user, keys, session.pop(PENDING)["next"], method)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Here, and at the organisation's identity provider when it signed the user in."""
    user = current_user._get_current_object()
    id_token = session.get("oidc_id_token") if session.get(SIGNED_IN_WITH) else None
    # Posted with a section page's form (no JavaScript): its unsaved answers wait for the next login.
    keep_for_page(safe_next(request.args.get("next")))
    end_all_sessions(user)
    record_event("logout", user=user)
    end_session()
    db.session.commit()
    flash(_("You have logged out."), "info")
    at_provider = oidc.logout_url(id_token, url_for("signin.login", _external=True))
    return redirect(at_provider or url_for("signin.login"))


@bp.route("/password/forgot", methods=["GET", "POST"])
def reset_request():
    """The same work, statement for statement, whether or not the address has an account, so
    neither the reply nor its timing tells: the request is recorded and a job queued; the job
    (``send_reset_link``) makes the link and sends it, if there is an account to send it to."""
    form = ResetRequestForm()
    if not form.validate_on_submit():
        return render_template("signin/reset_request.html", form=form)
    email = form.email.data.strip().lower()
    keys = [f"reset:{email}", f"reset-address:{request.remote_addr}"]
    if not throttle.locked(keys):
        throttle.record_failure(keys)  # every request counts: nobody gets flooded with links
        defer("send_reset_link", email=email)
    record_event("password_reset_requested", details={"email": email})
    db.session.commit()
    flash(_("If an account exists for this address, we have sent it a link to choose a new password. "
            "Check your mailbox."), "info")
    return redirect(url_for("signin.login"))


@task("send_reset_link")
def send_reset_link(email: str) -> None:
    """A reset link for the active account of ``email``, if there is one: its token is stored and
    its message queued in this job's transaction."""
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        return
    token = issue_token(user, TokenPurpose.PASSWORD_RESET, current_app.config["PASSWORD_RESET_TTL"])
    record_event("password_reset_link_sent", user=user)
    mails.send_password_reset(user, token)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    record = find_token(token, TokenPurpose.PASSWORD_RESET)
    if record is None or not record.user.is_active:
        return render_template("link_invalid.html"), 404
    form = NewPasswordForm(record.user)
    if not form.validate_on_submit():
        return render_template("signin/reset_password.html", form=form, user=record.user)
    user = record.user
    if not spend_token(record):
        return render_template("link_invalid.html"), 404
    set_password(user, form.password.data)
    throttle.clear([f"account:{user.email}"])
    record_event("password_reset", user=user)
    mails.notify_security_change(user, "password_changed")
    db.session.commit()
    flash(_("Your password has been changed. Log in with your new password."), "success")
    return redirect(url_for("signin.login"))
