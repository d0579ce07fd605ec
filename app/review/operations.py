from app.auth.models import User
from app.extensions import db
from app.responses.models import Response
from app.responses.operations import change_status
from app.responses.workflow import Action
from app.review.models import ReviewComment


def return_response(response: Response, reviewer: User, comment: str, question_comments: dict[str, str]) -> None:
    """Return a submission for clarification, with a general comment and per-question comments."""
    revision = change_status(response, Action.RETURN, reviewer)
    db.session.add(ReviewComment(response_id=response.id, revision_number=revision.number, question_id=None,
                                 author=reviewer, body=comment.strip()))
    db.session.add_all(
        ReviewComment(response_id=response.id, revision_number=revision.number, question_id=qid,
                      author=reviewer, body=body)
        for qid, body in question_comments.items()
    )
    db.session.flush()


def accept_response(response: Response, reviewer: User) -> None:
    change_status(response, Action.ACCEPT, reviewer)


def publish_response(response: Response, reviewer: User) -> None:
    """Make the accepted response's profile public (confidential answers withheld)."""
    change_status(response, Action.PUBLISH, reviewer)
