from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import mail
from app.auth.models import ROLE_LABELS, Role, TokenPurpose, User
from app.auth.sessions import start_session
from app.auth.tokens import find_token, spend_token
from app.extensions import db
from app.invitations import operations
from app.invitations.forms import AcceptInvitationForm, invitation_form
from app.states.names import state_name

bp = Blueprint("invitations", __name__, url_prefix="/invitations", template_folder="templates")


def _send(inviter: User, user: User, token: str) -> None:
    locale = user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    mail.send_template(
        user.email, "mail/invitation.txt", locale, inviter=inviter, role=ROLE_LABELS[user.role_enum],
        state=state_name(user.state.alpha2, locale) if user.state else None,
        days=current_app.config["INVITATION_TTL"].days,
        url=mail.external_url("invitations.accept", token=token),
    )


@bp.route("/", methods=["GET", "POST"])
@login_required
def invite():
    inviter = current_user._get_current_object()
    if not operations.invitable_roles(inviter):
        abort(403)
    form = invitation_form(inviter)
    if form.validate_on_submit():
        role = Role(form.role.data) if "role" in form else Role.CONTRIBUTOR
        state_code = form.state.data if "state" in form else None
        try:
            user, token = operations.invite(inviter, form.email.data, role, state_code, form.locale.data)
        except operations.InvitationError as error:
            form.email.errors.append(str(error))
        else:
            _send(inviter, user, token)  # a job, committed with the invitation
            db.session.commit()
            flash(_("We have sent an invitation to %(email)s.", email=user.email), "success")
            return redirect(url_for(".invite"))
    return render_template("invitations/invite.html", form=form,
                           invitations=operations.pending_invitations(inviter))


@bp.route("/accept/<token>", methods=["GET", "POST"])
def accept(token: str):
    record = find_token(token, TokenPurpose.INVITATION)
    if record is None or not record.user.is_active or record.user.has_password:
        return render_template("link_invalid.html"), 404
    user = record.user
    form = AcceptInvitationForm(user)
    if not form.validate_on_submit():
        return render_template("invitations/accept.html", form=form, user=user)
    if not spend_token(record):
        return render_template("link_invalid.html"), 404
    operations.accept(user, form.name.data, form.password.data, form.organisation.data or "")
    start_session(user)
    db.session.commit()
    flash(_("Welcome! Your account is ready."), "success")
    return redirect(url_for("main.home"))
