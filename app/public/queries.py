"""Only published responses are reachable here: every query starts from a publish revision."""
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.cycles.models import ReportingCycle
from app.extensions import db
from app.responses.models import Response, Revision
from app.responses.workflow import Action


def _published_revisions():
    return (select(Revision.response_id, func.max(Revision.number).label("number"))
            .where(Revision.kind == Action.PUBLISH.value)
            .group_by(Revision.response_id)
            .subquery())


def published_responses() -> list[tuple[Response, int]]:
    """(response, published revision number) of every published response, in one query."""
    published = _published_revisions()
    return list(db.session.execute(
        select(Response, published.c.number).join(published, published.c.response_id == Response.id)
        .options(joinedload(Response.state), joinedload(Response.cycle))
    ).all())


def published_response(cycle_id: int, state_code: str) -> tuple[Response, int] | None:
    published = _published_revisions()
    return db.session.execute(
        select(Response, published.c.number).join(published, published.c.response_id == Response.id)
        .options(joinedload(Response.state), joinedload(Response.cycle))
        .where(Response.cycle_id == cycle_id, Response.state_code == state_code.upper())
    ).first()


def all_cycles() -> list[ReportingCycle]:
    return list(db.session.scalars(select(ReportingCycle).order_by(ReportingCycle.opens_on.desc())))


def latest_published(state_code: str) -> tuple[Response, int] | None:
    """The State's published response of the latest cycle that has one, and its published
    revision number; None when the State has published nothing."""
    published = _published_revisions()
    return db.session.execute(
        select(Response, published.c.number).join(published, published.c.response_id == Response.id)
        .join(ReportingCycle, ReportingCycle.id == Response.cycle_id)
        .options(joinedload(Response.state), joinedload(Response.cycle))
        .where(Response.state_code == state_code)
        .order_by(ReportingCycle.opens_on.desc(), ReportingCycle.id.desc()).limit(1)
    ).first()
