from flask import Blueprint, abort, current_app, request
from flask_login import current_user, login_required

from app.i18n import current_locale
from app.reports.operations import NoSuchRevision, profile_filename, profile_pdf
from app.responses.access import load_context

bp = Blueprint("reports", __name__, template_folder="templates")


@bp.route("/cycles/<int:cycle_id>/states/<state_code>/profile.pdf")
@login_required
def profile(cycle_id, state_code):
    """The country profile of the latest submitted revision, or of ``?revision=N``, in ``?lang=``."""
    ctx = load_context(current_user, cycle_id, state_code)
    if ctx.response is None:
        abort(404)
    locale = request.args.get("lang") or current_locale()
    if locale not in current_app.config["LANGUAGES"]:
        abort(404)
    try:
        pdf, number = profile_pdf(ctx.response, locale, request.args.get("revision", type=int))
    except NoSuchRevision:
        abort(404)
    filename = profile_filename(ctx.response, number, locale)
    return pdf, 200, {
        "Content-Type": "application/pdf",
        "Content-Disposition": f'attachment; filename="{filename}"',
    }
