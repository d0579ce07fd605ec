from flask import Blueprint, abort, flash, redirect, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import db
from app.security import safe_next
from app.stash import operations

bp = Blueprint("stash", __name__, template_folder="templates")


@bp.route("/unsaved/discard", methods=["POST"])
@login_required
def discard():
    """Drop the unsaved input of a page and show it as saved."""
    path = safe_next(request.form.get("next"))
    if path is None:
        abort(400)
    operations.discard(current_user, path)
    db.session.commit()
    flash(_("Your unsaved changes were discarded."), "info")
    return redirect(path)
