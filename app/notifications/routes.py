"""The user's notifications: the list, opening one from it (a POST, which marks it read), marking
all read. The link in a notification's e-mail leads to the same place with a GET, which writes
nothing: mail scanners follow links, and a GET never changes data."""
from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from app.extensions import db
from app.notifications import operations as ops
from app.notifications.models import Notification
from app.cycles.models import cycle_questionnaire

bp = Blueprint("notifications", __name__, url_prefix="/notifications", template_folder="templates")


def target_url(notification: Notification, reader) -> str:
    """Where a notification leads its reader: the review page for the secretariat, the
    response (at the comment, if any) for the State."""
    place = {"cycle_id": notification.cycle_id, "state_code": notification.state_code}
    comment = notification.comment
    anchor = f"#thread-{comment.parent_id or comment.id}" if comment else ""
    if reader.is_reviewer:
        return url_for("review.submission", **place) + anchor
    question_id = comment.question_id if comment else None
    question = cycle_questionnaire(notification.cycle).questions.get(question_id or "")
    if question is not None:
        return url_for("state.answering.section", section_id=question.section_id, **place) + anchor
    return url_for("state.answering.overview", **place) + anchor


@bp.route("/")
@login_required
def index():
    notifications = ops.recent(current_user)
    entries = [(n, ops.facts_of(n), target_url(n, current_user)) for n in notifications]
    return render_template("notifications/index.html", entries=entries, form=FlaskForm())


def _own(notification_id) -> Notification:
    notification = ops.find(current_user, notification_id)
    if notification is None:
        abort(404)
    return notification


@bp.route("/<int:notification_id>", endpoint="open")
@login_required
def open_one(notification_id):
    """From an e-mail: where the notification leads (it stays unread in the list)."""
    return redirect(target_url(_own(notification_id), current_user))


@bp.route("/<int:notification_id>", methods=["POST"], endpoint="read")
@login_required
def read_one(notification_id):
    """From the list: mark the notification read and go where it leads."""
    notification = _own(notification_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    ops.mark_read(current_user, notification.id)
    db.session.commit()
    return redirect(target_url(notification, current_user))


@bp.route("/read", methods=["POST"])
@login_required
def mark_all_read():
    if not FlaskForm().validate_on_submit():
        abort(400)
    ops.mark_read(current_user)
    db.session.commit()
    return redirect(url_for(".index"))
