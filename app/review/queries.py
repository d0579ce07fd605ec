from sqlalchemy import func, select

from app.extensions import db
from app.responses.models import Response
from app.review.models import ReviewComment
from app.states.models import State


def comments_for(response_id: int) -> list[ReviewComment]:
    return list(db.session.scalars(
        select(ReviewComment).where(ReviewComment.response_id == response_id)
        .order_by(ReviewComment.created_at, ReviewComment.id)
    ))


def states_with_status(cycle_id: int) -> list[tuple[State, Response | None]]:
    """Every State with its response in the cycle (None: not started), in one query."""
    return list(db.session.execute(
        select(State, Response)
        .outerjoin(Response, (Response.state_code == State.code) & (Response.cycle_id == cycle_id))
        .order_by(State.code)
    ))


def status_counts(cycle_id: int) -> dict[str, int]:
    rows = db.session.execute(
        select(Response.status, func.count()).where(Response.cycle_id == cycle_id).group_by(Response.status)
    )
    return {status: count for status, count in rows}
