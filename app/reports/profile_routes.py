"""One State's country profile, for the State and the secretariat: nested under
/cycles/<id>/states/<code>/ (app/state_pages.py), whose context says who may reach it."""
from flask import Blueprint, abort, request
from flask_login import login_required

from app.extensions import db
from app.reports.operations import NoSuchRevision, profile_filename, profile_pdf
from app.reports.routes import pdf_response, requested_locale
from app.responses.access import request_context_with_response
from app.security import query_integer

bp = Blueprint("profile", __name__)


@bp.route("/profile.pdf")
@login_required
def pdf():
    """The country profile of the latest submitted revision, or of ``?revision=N``, in ``?lang=``;
    for the State and the secretariat, confidential answers included and marked."""
    ctx = request_context_with_response()
    locale = requested_locale()
    try:
        pdf, number = profile_pdf(ctx.response, locale, request.args.get("revision", type=query_integer))
    except NoSuchRevision:
        abort(404)
    filename = profile_filename(ctx.response, number, locale)
    db.session.commit()
    return pdf_response(pdf, filename)
