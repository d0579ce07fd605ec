"""Rendered profiles, kept with the revision and template version they show.

A revision never changes, so its PDF only needs rendering again when what shapes the document
changes. ``template_version`` digests all of it: the code of the ``app`` package (any module
may shape a profile: the schema, texts, language rules, the data the profile is built from),
its templates, the stylesheets, the language's compiled catalog, the font files the stylesheet
names, and the versions of the rendering libraries. A release may name itself instead
(``RELEASE_ID``, e.g. the commit it was built from): then that name is the version.

The cache holds one PDF per (response, revision, language, audience) and at most
``PROFILE_CACHE_MB``: the oldest make way for a new one."""
import hashlib
import subprocess
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from app.database import write_transaction
from app.extensions import db
from app.reports.models import ProfilePdf

APP_DIR = Path(__file__).resolve().parent.parent
#: Libraries whose versions change how a profile is drawn.
RENDERING_LIBRARIES = ("weasyprint", "pydyf", "tinycss2", "tinyhtml5", "cssselect2", "fonttools", "pillow",
                       "babel", "flask-babel", "jinja2", "segno", "pyicu")
#: The font families the profile stylesheet names (static/css/profile.css).
FONT_FAMILIES = ("Noto Sans", "Noto Sans CJK SC", "Noto Naskh Arabic")


def _library_versions() -> str:
    versions = []
    for name in RENDERING_LIBRARIES:
        try:
            versions.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}=none")
    return " ".join(versions)


def _font_files() -> list[Path]:
    """Every file of the stylesheet's font families (all their weights and styles)."""
    files = set()
    for family in FONT_FAMILIES:
        try:
            listed = subprocess.run(["fc-list", "--format", "%{file}\n", family], capture_output=True, text=True,
                                    timeout=10, check=False).stdout
        except OSError:  # no fontconfig: WeasyPrint could not find the fonts either
            continue
        files.update(Path(line) for line in listed.splitlines() if line)
    return sorted(files)


def _source_files(static_folder: str, catalog_dir: str, locale: str) -> list[Path]:
    files = sorted(path for path in APP_DIR.rglob("*") if path.suffix in {".py", ".html", ".txt", ".yaml"})
    files += sorted(Path(static_folder, "css").glob("*.css"))
    files += [path for path in [Path(catalog_dir) / locale / "LC_MESSAGES" / "messages.mo"] if path.exists()]
    return files


@lru_cache(maxsize=16)
def _digest(static_folder: str, catalog_dir: str, locale: str, release: str | None) -> str:
    if release:
        return hashlib.sha256(f"release {release} {locale}".encode()).hexdigest()[:32]
    digest = hashlib.sha256(_library_versions().encode())
    for path in _source_files(static_folder, catalog_dir, locale):
        digest.update(str(path.relative_to(path.anchor)).encode() + b"\0" + path.read_bytes())
    for path in _font_files():
        stat = path.stat()
        digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:32]


def template_version(locale: str) -> str:
    config = current_app.config
    return _digest(current_app.static_folder, config["BABEL_TRANSLATION_DIRECTORIES"], locale,
                   config.get("RELEASE_ID"))


def cached_pdf(response_id: int, revision_number: int, locale: str, audience: str) -> bytes | None:
    return db.session.scalar(select(ProfilePdf.pdf).filter_by(
        response_id=response_id, revision_number=revision_number, locale=locale, audience=audience,
        template_version=template_version(locale)))


def store_pdf(response_id: int, revision_number: int, locale: str, audience: str, pdf: bytes) -> None:
    """Keep ``pdf`` as the cached profile of this response, revision, language and audience (one
    of another template version makes way), then bring the cache back within its bound. Two
    workers rendering the same profile at once both succeed: the second insert is dropped.

    The cache is written in a short transaction of its own, not the caller's: rendering ran inside
    the caller's read transaction, which SQLite cannot turn into a write once another writer (a
    save, another worker's profile) has committed meanwhile."""
    key = {"response_id": response_id, "revision_number": revision_number, "locale": locale, "audience": audience}
    table = ProfilePdf.__table__
    try:
        with write_transaction(), db.engine.begin() as connection:
            connection.execute(delete(table).filter_by(**key))
            connection.execute(insert(table).values(**key, template_version=template_version(locale), pdf=pdf,
                                                    size_bytes=len(pdf)))
            _keep_within_bound(connection, int(current_app.config["PROFILE_CACHE_MB"] * 1024 * 1024))
    except IntegrityError:
        current_app.logger.info("profile %s was cached by another worker meanwhile", key)


def _keep_within_bound(connection, bound: int) -> None:
    """Delete the oldest profiles until the cache holds at most ``bound`` bytes."""
    table = ProfilePdf.__table__
    excess = (connection.scalar(select(func.coalesce(func.sum(table.c.size_bytes), 0))) or 0) - bound
    if excess <= 0:
        return
    doomed = []
    for row_id, size in connection.execute(select(table.c.id, table.c.size_bytes).order_by(table.c.created_at,
                                                                                          table.c.id)):
        if excess <= 0:
            break
        doomed.append(row_id)
        excess -= size
    connection.execute(delete(table).where(table.c.id.in_(doomed)))
