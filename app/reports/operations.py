from app.questionnaires.registry import questionnaire_for
from app.reports.profile import build_profile
from app.reports.render import render_profile_pdf
from app.responses import operations as response_ops
from app.responses.models import Response
from app.states.names import state_name


class NoSuchRevision(LookupError):
    pass


def default_revision_number(response: Response) -> int:
    """The latest submitted (or accepted) revision; the latest draft when never submitted."""
    return response_ops.latest_submitted_number(response.id) or response.revision_count


def profile_data(response: Response, locale: str, revision_number: int | None = None) -> dict:
    number = revision_number or default_revision_number(response)
    revision = response_ops.get_revision(response.id, number)
    if revision is None:
        raise NoSuchRevision(number)
    return build_profile(
        questionnaire=questionnaire_for(response.questionnaire_version),
        answers=response_ops.answers_at(response.id, number),
        locale=locale,
        state_name=state_name(response.state.alpha2, locale),
        state_code=response.state_code,
        cycle_name=response.cycle.name,
        status=revision.status,
        revision_number=number,
        revision_date=revision.created_at,
    )


def profile_pdf(response: Response, locale: str, revision_number: int | None = None) -> tuple[bytes, int]:
    """(PDF bytes, the revision number it shows)."""
    data = profile_data(response, locale, revision_number)
    return render_profile_pdf(data), data["revision"]


def profile_filename(response: Response, revision_number: int, locale: str) -> str:
    return f"profile-{response.state_code}-{response.cycle.name}-r{revision_number}-{locale}.pdf"
