from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import select

from app.cycles.models import ReportingCycle
from app.extensions import db
from app.responses.models import Response
from app.security import safe_next
from app.stash import operations as stash
from app.stash import page_keeps_unsaved_input
from app.stash.pages import EDITOR_FIELD, ticket_holder

bp = Blueprint("main", __name__, template_folder="templates")


@bp.route("/")
def home():
    if not current_user.is_authenticated:
        return redirect(url_for("signin.login"))
    if current_user.is_reviewer:
        return redirect(url_for("analysis.dashboard"))
    rows = db.session.execute(
        select(ReportingCycle, Response)
        .outerjoin(Response, (Response.cycle_id == ReportingCycle.id)
                   & (Response.state_code == current_user.state_code))
        .order_by(ReportingCycle.is_open.desc(), ReportingCycle.opens_on.desc())
    )
    return render_template("main/home.html", rows=list(rows))


@bp.route("/help")
def help_page():
    """How to work on the platform: offline with a workbook, finding a question by its number,
    errors, printing. Open to everyone, signed in or not."""
    return render_template("main/help.html")


@bp.route("/language", methods=["POST"])
def set_language():
    """The language switcher: remembered in the session, and as the user's preference.

    On a page with a form the buttons post that form here (``next`` in the query string):
    its unsaved input is stashed (when the form's ticket shows the page was served to this
    user), and the page shows it again in the new language."""
    language = request.form.get("lang")
    target = safe_next(request.values.get("next"))
    if language in current_app.config["LANGUAGES"]:
        session["lang"] = language
        if current_user.is_authenticated:
            current_user.locale = language
    page = urlsplit(target).path if target else None
    if page and current_user.is_authenticated and page_keeps_unsaved_input(page) \
            and ticket_holder(page) == current_user.id:
        stash.keep(current_user, page, request.form, ignore=("lang", "next", EDITOR_FIELD))
    db.session.commit()
    return redirect(target or url_for("main.home"))
