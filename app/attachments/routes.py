"""Downloading an uploaded file, for those who may read the State's response."""
import logging

from flask import Blueprint, abort, send_file
from flask_login import current_user, login_required

from app.attachments.operations import blob_path, readable_attachment

log = logging.getLogger(__name__)
bp = Blueprint("attachments", __name__, url_prefix="/attachments")


@bp.route("/<int:attachment_id>")
@login_required
def download(attachment_id):
    attachment = readable_attachment(current_user, attachment_id)
    if attachment is None:
        abort(404)
    path = blob_path(attachment.sha256)
    if not path.is_file():
        log.error("attachment %s: content %s is missing from the upload folder", attachment.id, attachment.sha256)
        abort(404)
    response = send_file(path, mimetype=attachment.media_type, as_attachment=True,
                         download_name=attachment.filename, conditional=False, etag=False, max_age=0)
    # Always a download, never rendered in the platform's origin, whatever the content.
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response
