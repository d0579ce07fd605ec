from sqlalchemy import func, select

from app.extensions import db
from app.responses.models import Response
from app.responses.workflow import Status
from app.review.models import ReviewComment


def comments_for(response_id: int) -> list[ReviewComment]:
    return list(db.session.scalars(
        select(ReviewComment).where(ReviewComment.response_id == response_id)
        .order_by(ReviewComment.created_at, ReviewComment.id)
    ))


def open_comment_counts(cycle_id: int) -> dict[int, int]:
    """Comments still awaiting the State, per response id, in one query.

    The one definition of an "open" comment: until comments have threads and can be resolved,
    these are the comments of the latest return on a response that is currently returned."""
    latest_return = (
        select(ReviewComment.response_id, func.max(ReviewComment.revision_number).label("number"))
        .group_by(ReviewComment.response_id).subquery()
    )
    rows = db.session.execute(
        select(ReviewComment.response_id, func.count())
        .join(latest_return, (ReviewComment.response_id == latest_return.c.response_id)
              & (ReviewComment.revision_number == latest_return.c.number))
        .join(Response, Response.id == ReviewComment.response_id)
        .where(Response.cycle_id == cycle_id, Response.status == Status.RETURNED.value)
        .group_by(ReviewComment.response_id)
    )
    return {response_id: count for response_id, count in rows}
