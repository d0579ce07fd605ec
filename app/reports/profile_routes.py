"""One State's country profile, for the State and the secretariat: nested under
/cycles/<id>/states/<code>/ (app/state_pages.py), whose context says who may reach it.

GET only reads: the cached PDF, or how its render stands. POST asks the job queue for it."""
from flask import Blueprint, abort, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import db
from app.jobs.routes import job_page
from app.reports import documents
from app.reports.operations import NoSuchRevision
from app.reports.routes import pdf_response, requested_locale
from app.responses.access import request_context_with_response
from app.security import query_integer

bp = Blueprint("profile", __name__)


def _document() -> documents.Document:
    ctx = request_context_with_response()
    try:
        return documents.document_of(ctx.response, requested_locale(), request.args.get("revision", type=query_integer))
    except NoSuchRevision:
        abort(404)


@bp.route("/profile.pdf")
@login_required
def pdf():
    """The country profile of the latest submitted revision, or of ``?revision=N``, in ``?lang=``;
    for the State and the secretariat, confidential answers included and marked."""
    document = _document()
    found = documents.cached(document)
    if found is not None:
        return pdf_response(found, document.filename)
    return job_page(_("Country profile"), documents.latest_job(document), request.full_path,
                    _("Prepare the profile"))


@bp.route("/profile.pdf", methods=["POST"])
@login_required
def prepare():
    """Queue the profile's render (one per document, however often asked), then show it."""
    document = _document()
    try:
        documents.request_profile(document, current_user)
    except documents.TooManyRequests:
        return render_template("reports/too_many.html"), 429, {"Retry-After": "3600"}
    db.session.commit()
    return redirect(request.full_path, 303)
