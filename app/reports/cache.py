"""Rendered profiles, kept with the revision and template version they show.

A revision never changes, so its PDF only needs rendering again when what shapes the document
changes: the templates, the stylesheet, the code that lays answers out, the language's catalog,
or the libraries that render it. ``template_version`` digests exactly those."""
import hashlib
from functools import lru_cache
from pathlib import Path

import babel
import weasyprint
from flask import current_app
from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError

from app.database import write_transaction
from app.extensions import db
from app.reports.models import ProfilePdf

APP_DIR = Path(__file__).resolve().parent.parent
#: Code whose output is part of the document, besides the templates and the stylesheet.
SHAPING_MODULES = ("reports/profile.py", "reports/tables.py", "reports/charts.py", "questionnaires/writing.py",
                   "reports/render.py", "questionnaires/answers.py", "questionnaires/citations.py",
                   "responses/labels.py")


@lru_cache(maxsize=16)
def _digest(static_folder: str, catalog_dir: str, locale: str) -> str:
    files = sorted((APP_DIR / "reports" / "templates").rglob("*.html"))
    files += [APP_DIR / module for module in SHAPING_MODULES]
    files += [Path(static_folder) / "css" / "profile.css"]
    files += [path for path in [Path(catalog_dir) / locale / "LC_MESSAGES" / "messages.po"] if path.exists()]
    digest = hashlib.sha256(f"{weasyprint.__version__} {babel.__version__}".encode())
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:32]


def template_version(locale: str) -> str:
    return _digest(current_app.static_folder, current_app.config["BABEL_TRANSLATION_DIRECTORIES"], locale)


def cached_pdf(response_id: int, revision_number: int, locale: str, audience: str) -> bytes | None:
    return db.session.scalar(select(ProfilePdf.pdf).filter_by(
        response_id=response_id, revision_number=revision_number, locale=locale, audience=audience,
        template_version=template_version(locale)))


def store_pdf(response_id: int, revision_number: int, locale: str, audience: str, pdf: bytes) -> None:
    """Keep ``pdf`` as the one cached profile of this response, language and audience: older
    revisions and template versions make way, so the cache never holds more than two PDFs per
    response and language. Two requests rendering the same profile at once both succeed: the
    second insert is dropped.

    The cache is written in a short transaction of its own, not the caller's: rendering ran inside
    the caller's read transaction, which SQLite cannot turn into a write once another writer (a
    save, another worker's profile) has committed meanwhile."""
    key = {"response_id": response_id, "locale": locale, "audience": audience}
    table = ProfilePdf.__table__
    try:
        with write_transaction(), db.engine.begin() as connection:
            connection.execute(delete(table).filter_by(**key))
            connection.execute(insert(table).values(**key, revision_number=revision_number,
                                                    template_version=template_version(locale), pdf=pdf))
    except IntegrityError:
        current_app.logger.info("profile %s was cached by another request meanwhile", key)
