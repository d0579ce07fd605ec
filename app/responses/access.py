"""Which States, cycles and responses a user may reach, enforced in the queries themselves.

A focal point or contributor asking for another State's URL gets a 404 from the query,
not from a template check. The pages under ``/cycles/<id>/states/<code>/`` get the context of
their URL loaded once per request by their parent blueprint (app/state_pages.py) and read it
with ``request_context()``."""
from dataclasses import dataclass

from flask import abort, g
from sqlalchemy import select

from app.auth.access import state_filter
from app.auth.models import User
from app.extensions import db
from app.questionnaires.schema import Questionnaire
from app.questionnaires.models import QuestionnaireVersion
from app.cycles.models import ReportingCycle, cycle_questionnaire
from app.responses.models import Response
from app.responses.workflow import EDITABLE, Action, may
from app.states.models import State


@dataclass
class ResponseContext:
    cycle: ReportingCycle
    state: State
    response: Response | None
    questionnaire: Questionnaire


def load_context(user: User, cycle_id: int, state_code: str) -> ResponseContext:
    """The cycle, State and (possibly absent) response behind a URL, or 404 when out of reach."""
    row = db.session.execute(
        select(State, ReportingCycle, Response, QuestionnaireVersion.checksum)
        .select_from(State)
        .join(ReportingCycle, ReportingCycle.id == cycle_id)
        .join(QuestionnaireVersion, QuestionnaireVersion.id == ReportingCycle.questionnaire_version_id)
        .outerjoin(Response, (Response.state_code == State.code) & (Response.cycle_id == ReportingCycle.id)
                   & (Response.questionnaire_version_id == ReportingCycle.questionnaire_version_id))
        .where(State.code == state_code.upper(), state_filter(user))
    ).first()
    if row is None:
        abort(404)
    state, cycle, response, checksum = row
    # The version's checksum names its parsed questionnaire: its definition is read once per process.
    return ResponseContext(cycle, state, response, cycle_questionnaire(cycle, checksum))


def can_edit(ctx: ResponseContext, user: User) -> bool:
    """State users of this State, while the cycle is open and the response is editable."""
    if not may(user.role_enum, Action.SAVE) or not ctx.cycle.is_open:
        return False
    return ctx.response is None or ctx.response.status_enum in EDITABLE


def request_context() -> ResponseContext:
    """The cycle, State and response of this request's URL (loaded by app/state_pages.py)."""
    return g.response_context


def request_context_with_response() -> ResponseContext:
    """``request_context()``, or 404 when the State has no response in the cycle yet (its
    history, comments and profile do not exist)."""
    ctx = g.response_context
    if ctx.response is None:
        abort(404)
    return ctx
