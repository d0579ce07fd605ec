"""Storing uploaded files and finding them again. Operations flush and never commit."""
import hashlib
import logging
import os
import uuid
from pathlib import Path
from typing import BinaryIO

from babel.units import format_unit
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app.attachments.filetypes import clean_filename, safe_name, sniff
from app.attachments.inspection import danger_in
from app.attachments.models import Attachment
from app.auth.access import state_filter
from app.auth.models import User
from app.extensions import db
from app.i18n import current_locale
from app.states.models import State

log = logging.getLogger(__name__)


class UploadRejected(Exception):
    """A file the platform does not keep; ``str()`` is a translated message for the respondent."""


def file_size(size: int, locale: str | None = None) -> str:
    """``10 MB``, ``245 kB`` in the user's language."""
    locale = locale or current_locale()
    if size >= 1024 * 1024:
        return format_unit(round(size / (1024 * 1024), 1), "digital-megabyte", length="short", locale=locale)
    return format_unit(max(1, round(size / 1024)), "digital-kilobyte", length="short", locale=locale)


def blob_path(sha256: str) -> Path:
    """Where a file's content lives: outside static/, named by its hash, never by the user."""
    return Path(current_app.config["UPLOAD_DIR"]) / sha256[:2] / sha256


def _write_blob(sha256: str, data: bytes) -> None:
    path = blob_path(sha256)
    if path.exists():  # the same content was uploaded before
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{sha256}.{uuid.uuid4().hex}.part")
    partial.write_bytes(data)
    os.replace(partial, path)


def store_attachment(state_code: str, cycle_id: int, user: User, filename: str | None,
                     stream: BinaryIO) -> Attachment:
    """Check and keep one uploaded file; raises ``UploadRejected`` with the reason."""
    limit = current_app.config["ATTACHMENT_MAX_BYTES"]
    data = stream.read(limit + 1)
    name = safe_name(filename) or _("(no name)")
    if not data:
        raise UploadRejected(_("The file %(name)s is empty.", name=name))
    if len(data) > limit:
        raise UploadRejected(_("The file %(name)s is larger than %(size)s and was not uploaded.",
                               name=name, size=file_size(limit)))
    file_type = sniff(data)
    if file_type is None:
        raise UploadRejected(_("The file %(name)s was not uploaded: upload a PDF, Word (DOCX), OpenDocument "
                               "(ODT), plain text or image (PNG, JPEG, GIF, WebP, TIFF) file.", name=name))
    _refuse_dangers(data, file_type, name)
    sha256 = hashlib.sha256(data).hexdigest()
    _write_blob(sha256, data)
    attachment = Attachment(state_code=state_code, cycle_id=cycle_id, sha256=sha256, size=len(data),
                            media_type=file_type.media_type, filename=clean_filename(filename, file_type),
                            uploaded_by_id=user.id)
    db.session.add(attachment)
    db.session.flush()
    log.info("attachment %s stored for %s (%s, %d bytes)", attachment.id, state_code, file_type.media_type, len(data))
    return attachment


def _refuse_dangers(data: bytes, file_type, name: str) -> None:
    danger = danger_in(data, file_type)
    if danger is None:
        return
    log.warning("upload_refused", extra={"fields": {"event": "upload_refused", "reason": danger.kind,
                                                    "size": len(data)}})
    if danger.kind == "macros":
        raise UploadRejected(_("The file %(name)s was not uploaded: it contains macros or ActiveX controls, which "
                               "could run code on a reader's computer. Save it as a document without macros "
                               "(DOCX or ODT) and upload it again.", name=name))
    if danger.kind == "expands":
        raise UploadRejected(_("The file %(name)s was not uploaded: its compressed content expands to far more than "
                               "a document needs. Save it again from your word processor and upload it again.",
                               name=name))
    raise UploadRejected(_("The file %(name)s was not uploaded: it matches the signature of a malware test file.",
                           name=name))


def attachments_of(state_code: str, cycle_id: int) -> dict[int, Attachment]:
    """Every file the State uploaded in the cycle, by id (one query)."""
    return {attachment.id: attachment for attachment in db.session.scalars(
        select(Attachment).where(Attachment.state_code == state_code, Attachment.cycle_id == cycle_id))}


def readable_attachment(user: User, attachment_id: int) -> Attachment | None:
    """The attachment if ``user`` may read its State's responses; None otherwise (a 404)."""
    return db.session.scalar(
        select(Attachment).join(State, State.code == Attachment.state_code)
        .where(Attachment.id == attachment_id, state_filter(user))
    )
