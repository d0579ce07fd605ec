"""A user's own account: change the password, turn two-factor authentication on or off,
replace recovery codes. Every check of a password or code here is throttled like a login, so a
borrowed session cannot be used to guess them."""
from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.account.forms import CodeForm, DisableTwoFactorForm, EnrolForm
from app.audit import record_event
from app.auth import mails, throttle, twofactor
from app.auth.forms import ChangePasswordForm
from app.auth.operations import check_password, set_password
from app.auth.sessions import start_session
from app.extensions import db

bp = Blueprint("account", __name__, url_prefix="/account", template_folder="templates")


def _user():
    return current_user._get_current_object()


def _checked(check) -> bool:
    """Run a password or code check under the login throttle of this account and address."""
    keys = [f"account:{current_user.email}", f"address:{request.remote_addr}"]
    if throttle.locked(keys):
        flash(_("Too many failed attempts. Wait a few minutes and try again."), "error")
        return False
    if check():
        return True
    throttle.record_failure(keys)
    db.session.commit()
    return False


@bp.route("/")
@login_required
def settings():
    return render_template("account/settings.html", remaining_codes=twofactor.remaining_recovery_codes(_user()))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    user = _user()
    form = ChangePasswordForm(user)
    if not form.validate_on_submit():
        return render_template("account/password.html", form=form)
    if not _checked(lambda: check_password(user, form.current_password.data)):
        form.current_password.errors.append(_("The current password is not correct."))
        return render_template("account/password.html", form=form), 422
    set_password(user, form.password.data)
    start_session(user)  # this session goes on with the new session token; all others end
    record_event("password_changed", user=user)
    mails.notify_security_change(user, "password_changed")
    db.session.commit()
    flash(_("Your password has been changed. You have been logged out everywhere else."), "success")
    return redirect(url_for(".settings"))


def _codes_page(codes: list[str]):
    """Recovery codes are shown once: the page must not stay in any cache."""
    response = make_response(render_template("account/recovery_codes.html", codes=codes))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/two-factor", methods=["GET", "POST"])
@login_required
def two_factor():
    user = _user()
    if user.two_factor_enabled:
        return render_template("account/two_factor_on.html", code_form=CodeForm(prefix="recovery"),
                               disable_form=DisableTwoFactorForm(prefix="disable"),
                               remaining_codes=twofactor.remaining_recovery_codes(user))
    form = EnrolForm()
    if form.validate_on_submit():
        if _checked(lambda: twofactor.confirm_enrolment(user, form.code.data)):
            codes = twofactor.new_recovery_codes(user)
            record_event("two_factor_enabled", user=user)
            mails.notify_security_change(user, "two_factor_enabled")
            db.session.commit()
            return _codes_page(codes)
        form.code.errors.append(_("The code is not correct. Enter the code your app shows now."))
    secret = twofactor.start_enrolment(user)
    db.session.commit()
    uri = twofactor.provisioning_uri(user)
    response = make_response(render_template("account/two_factor_setup.html", form=form, secret=secret,
                                             qr_svg=twofactor.qr_svg(uri)))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/two-factor/recovery-codes", methods=["POST"])
@login_required
def recovery_codes():
    user = _user()
    form = CodeForm(prefix="recovery")
    if not user.two_factor_enabled:
        abort(404)
    if not (form.validate_on_submit() and _checked(lambda: twofactor.verify_code(user, form.code.data))):
        flash(_("The code is not correct. Enter the code your app shows now."), "error")
        return redirect(url_for(".two_factor"))
    codes = twofactor.new_recovery_codes(user)
    record_event("recovery_codes_replaced", user=user)
    mails.notify_security_change(user, "recovery_codes_replaced")
    db.session.commit()
    return _codes_page(codes)


@bp.route("/two-factor/disable", methods=["POST"])
@login_required
def disable_two_factor():
    user = _user()
    form = DisableTwoFactorForm(prefix="disable")
    if not user.two_factor_enabled or user.two_factor_required:
        abort(403)
    confirmed = form.validate_on_submit() and _checked(
        lambda: check_password(user, form.password.data) and twofactor.verify_code(user, form.code.data))
    if not confirmed:
        flash(_("The password or the code is not correct."), "error")
        return redirect(url_for(".two_factor"))
    twofactor.disable(user)
    record_event("two_factor_disabled", user=user)
    mails.notify_security_change(user, "two_factor_disabled")
    db.session.commit()
    flash(_("Two-factor authentication is off."), "success")
    return redirect(url_for(".settings"))
