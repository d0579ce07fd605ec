"""Profiles made by the job queue: which document a request means, asking for it (one job per
document, a rate per user), the worker's side (rendering in a bounded child process into the
cache), and a cycle's archive, streamed from the cache.

Pages only read: a GET shows the cached PDF or how its job stands; a POST asks for the job."""
from collections.abc import Iterator
from dataclasses import asdict, dataclass

from flask import current_app
from sqlalchemy import select

from app.database import utcnow
from app.extensions import db
from app.jobs import operations as jobs
from app.jobs.limits import run_limited
from app.reports import cache, operations
from app.reports.archive import stream_zip
from app.responses.models import Response


class TooManyRequests(Exception):
    """The user asked for more renders than ``PROFILE_RENDERS_PER_HOUR``."""


@dataclass(frozen=True)
class Document:
    response_id: int
    state_code: str
    revision: int
    locale: str
    audience: str
    filename: str

    @property
    def key(self) -> str:
        return f"profile:{self.response_id}:{self.revision}:{self.locale}:{self.audience}"

    @property
    def label(self) -> str:
        return f"{self.state_code} r{self.revision} {self.locale}"


def document_of(response: Response, locale: str, revision_number: int | None = None,
                public: bool = False) -> Document:
    """The profile a request names; NoSuchRevision for a revision the response does not have."""
    number = revision_number or operations.default_revision_number(response)
    if operations.response_ops.get_revision(response.id, number) is None:
        raise operations.NoSuchRevision(number)
    return Document(response.id, response.state_code, number, locale, "public" if public else "internal",
                    operations.profile_filename(response, number, locale))


def cached(document: Document) -> bytes | None:
    return cache.cached_pdf(document.response_id, document.revision, document.locale, document.audience)


def latest_job(document: Document):
    return jobs.latest(document.key)


def request_profile(document: Document, user) -> None:
    """Queue the render of ``document`` unless it is cached or already under way; a user may
    start ``PROFILE_RENDERS_PER_HOUR`` of them an hour (anonymous readers of published profiles
    are bounded by the one job per document)."""
    if cached(document) is not None or jobs.unfinished(document.key) is not None:
        return
    if user is not None and jobs.requests_since(user, "profile", 1) >= current_app.config["PROFILE_RENDERS_PER_HOUR"]:
        raise TooManyRequests()
    jobs.start("profile", document.key, user, [(document.label, asdict(document))], lock=document_lock)


def render_published(response: Response, number: int) -> None:
    """Queue the public profile in every language, so that readers find it ready."""
    documents = [document_of(response, locale, number, public=True) for locale in current_app.config["LANGUAGES"]]
    jobs.start("profiles", f"published:{response.id}:{number}", None,
               [(document.label, asdict(document)) for document in documents], lock=document_lock)


def archive_key(cycle_id: int, lang: str) -> str:
    return f"profiles:{cycle_id}:{lang}"


def request_archive(cycle_id: int, locales: list[str], lang: str, user):
    """Queue every State's profile of the cycle in ``locales``: the latest submitted revision (the
    latest draft when never submitted), as the secretariat sees it."""
    responses = db.session.scalars(select(Response).where(Response.cycle_id == cycle_id)
                                   .order_by(Response.state_code)).all()
    documents = [document_of(response, locale) for response in responses for locale in locales]
    job, _ = jobs.start("profiles", archive_key(cycle_id, lang), user,
                        [(document.label, asdict(document)) for document in documents],
                        params={"cycle_id": cycle_id, "lang": lang}, shared=True, lock=document_lock)
    return job


def document_lock(params: dict) -> str:
    """What no two renders may make at once: the document."""
    return Document(**params).key


def archive_entries(job) -> list[Document]:
    """The documents of a finished archive job that were made (plain data, read before streaming)."""
    return [Document(**params) for params, status in db.session.execute(
        select(jobs.JobItem.params, jobs.JobItem.status).where(jobs.JobItem.job_id == job.id)
        .order_by(jobs.JobItem.id)) if status == "done"]


def missing_from_cache(documents: list[Document]) -> list[Document]:
    return [document for document in documents if not _is_cached(document)]


def _is_cached(document: Document) -> bool:
    return db.session.scalar(select(cache.ProfilePdf.id).filter_by(
        response_id=document.response_id, revision_number=document.revision, locale=document.locale,
        audience=document.audience, template_version=cache.template_version(document.locale))) is not None


def stream_archive(documents: list[Document]) -> Iterator[bytes]:
    """The ZIP of the documents, each read from the cache as it is sent (one PDF in memory at a
    time); only plain values cross the request's commit, so nothing is left detached."""
    files = ((document.filename, cached(document) or b"") for document in documents)
    return stream_zip(files, utcnow())


def _render(data: dict) -> bytes:
    return operations.render_profile_pdf(data)


def _limited_render(data: dict) -> bytes:
    config = current_app.config
    return run_limited(_render, data, config["PROFILE_RENDER_SECONDS"], config["PROFILE_RENDER_MB"])


@jobs.handler("profile")
@jobs.handler("profiles")
def render_document(job, params: dict) -> None:
    """The worker's side: the profile from the cache, else rendered in a bounded child process
    and stored."""
    document = Document(**params)
    response = db.session.get(Response, document.response_id)
    operations.profile_pdf(response, document.locale, document.revision, public=document.audience == "public",
                           render=_limited_render)
