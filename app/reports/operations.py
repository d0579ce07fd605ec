"""Country profiles of stored responses: which revision, which answers, cached PDFs; and the
printable blank questionnaire."""
from functools import lru_cache

from flask_babel import force_locale
from sqlalchemy import func, select
from werkzeug.utils import secure_filename

from app.cycles.models import ReportingCycle, cycle_questionnaire
from app.extensions import db
from app.questionnaires.scope import Scope, scoped
from app.questionnaires.versions import questionnaire_of
from app.reports import cache
from app.reports.blank import build_blank
from app.reports.profile import ProfileSource, build_profile
from app.reports.render import html_to_pdf, render_html, render_profile_pdf
from app.responses import operations as response_ops
from app.responses.models import Response, Revision
from app.responses.workflow import Action
from app.states.names import state_name


class NoSuchRevision(LookupError):
    pass


def default_revision_number(response: Response) -> int:
    """The latest submitted (or accepted) revision; the latest draft when never submitted."""
    return response_ops.latest_submitted_number(response.id) or response.revision_count


def published_revision_number(response_id: int) -> int | None:
    """The revision that published the response, if it was published."""
    return db.session.scalar(select(func.max(Revision.number)).where(
        Revision.response_id == response_id, Revision.kind == Action.PUBLISH.value))


def profile_source(response: Response, locale: str, number: int, public: bool) -> ProfileSource:
    revision = response_ops.get_revision(response.id, number)
    if revision is None:
        raise NoSuchRevision(number)
    states = response_ops.answer_states_at(response.id, number)
    return ProfileSource(
        questionnaire=cycle_questionnaire(response.cycle),
        answers={qid: state.value for qid, state in states.items() if state.value is not None},
        confidential=frozenset(qid for qid, state in states.items() if state.confidential),
        locale=locale,
        state_name=state_name(response.state.alpha2, locale),
        state_code=response.state_code,
        cycle_name=response.cycle.name,
        status=revision.status,
        revision_number=number,
        revision_date=revision.created_at,
        public=public,
    )


def profile_data(response: Response, locale: str, number: int, public: bool = False) -> dict:
    with force_locale(locale):
        return build_profile(profile_source(response, locale, number, public))


def profile_pdf(response: Response, locale: str, revision_number: int | None = None,
                public: bool = False, render=None) -> tuple[bytes, int]:
    """(PDF bytes, the revision number it shows), from the cache when it holds this profile, else
    rendered (by ``render``, the job queue's bounded child process) and cached. Only jobs and
    the command line call it: pages read the cache (app/reports/documents.py)."""
    number = revision_number or default_revision_number(response)
    audience = "public" if public else "internal"
    pdf = cache.cached_pdf(response.id, number, locale, audience)
    if pdf is None:
        pdf = (render or render_profile_pdf)(profile_data(response, locale, number, public))
        cache.store_pdf(response.id, number, locale, audience, pdf)
    return pdf, number


def profile_filename(response: Response, revision_number: int, locale: str) -> str:
    """ASCII letters, digits, ``-_.`` only: the cycle's name is free text, and the file name goes
    into HTTP headers, ZIP archives and folders."""
    return secure_filename(f"profile-{response.state_code}-{response.cycle.name}-r{revision_number}-{locale}.pdf")


@lru_cache(maxsize=32)
def _blank_pdf(version_id: int, checksum: str, scope: Scope, locale: str, version: str, cycle_name: str) -> bytes:
    with force_locale(locale):
        blank = build_blank(scoped(questionnaire_of(version_id, checksum), scope), locale, cycle_name)
    return html_to_pdf(render_html("reports/blank.html", locale, blank=blank))


def blank_pdf(cycle: ReportingCycle, locale: str) -> bytes:
    """The printable questionnaire of ``cycle``; a definition version and a cycle's scope never
    change, so it is rendered once per process, language and template version."""
    version = cycle.questionnaire_version
    return _blank_pdf(version.id, version.checksum, cycle.scope, locale, cache.template_version(locale), cycle.name)
