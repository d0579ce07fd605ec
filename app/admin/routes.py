from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.audit import record_event
from app.auth.access import admin_required
from app.auth.models import User
from app.auth.operations import reset_second_factor, set_active
from app.extensions import db

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")


def _other_user(user_id: int) -> User:
    """An account other than the admin's own: nobody locks themselves out by a wrong click."""
    user = db.session.get(User, user_id)
    if user is None or user.id == current_user.id:
        abort(404)
    return user


@bp.route("/users")
@admin_required
def users():
    accounts = db.session.scalars(select(User).options(joinedload(User.state))
                                  .order_by(User.role, User.state_code, User.email)).all()
    return render_template("admin/users.html", users=accounts)


@bp.route("/users/<int:user_id>/disable", methods=["POST"])
@admin_required
def disable(user_id: int):
    user = _other_user(user_id)
    set_active(user, False)
    record_event("account_disabled", state_code=user.state_code, details={"email": user.email})
    db.session.commit()
    flash(_("The account %(email)s is disabled and its sessions have ended.", email=user.email), "success")
    return redirect(url_for(".users"))


@bp.route("/users/<int:user_id>/enable", methods=["POST"])
@admin_required
def enable(user_id: int):
    user = _other_user(user_id)
    set_active(user, True)
    record_event("account_enabled", state_code=user.state_code, details={"email": user.email})
    db.session.commit()
    flash(_("The account %(email)s is enabled again.", email=user.email), "success")
    return redirect(url_for(".users"))


@bp.route("/users/<int:user_id>/reset-two-factor", methods=["POST"])
@admin_required
def reset_two_factor(user_id: int):
    """For a user who lost both the authenticator and the recovery codes."""
    user = _other_user(user_id)
    reset_second_factor(user)
    record_event("two_factor_reset", state_code=user.state_code, details={"email": user.email})
    db.session.commit()
    flash(_("Two-factor authentication of %(email)s is reset; they set it up again at their next login.",
            email=user.email), "success")
    return redirect(url_for(".users"))
