"""Which States, cycles and responses a user may reach, enforced in the queries themselves.

A focal point or contributor asking for another State's URL gets a 404 from the query,
not from a template check."""
from dataclasses import dataclass

from flask import abort
from sqlalchemy import select

from app.auth.access import state_filter
from app.auth.models import User
from app.cycles.models import ReportingCycle
from app.extensions import db
from app.questionnaires.registry import questionnaire_for
from app.questionnaires.schema import Questionnaire
from app.responses.models import Response
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
        select(State, ReportingCycle, Response)
        .select_from(State)
        .join(ReportingCycle, ReportingCycle.id == cycle_id)
        .outerjoin(Response, (Response.state_code == State.code) & (Response.cycle_id == ReportingCycle.id)
                   & (Response.questionnaire_version_id == ReportingCycle.questionnaire_version_id))
        .where(State.code == state_code.upper(), state_filter(user))
    ).first()
    if row is None:
        abort(404)
    state, cycle, response = row
    return ResponseContext(cycle, state, response, questionnaire_for(cycle.questionnaire_version))
