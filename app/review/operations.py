"""Workflow decisions on a response (submit, return, accept) and comment threads: each
records its audit event and tells those concerned. Operations flush and never commit."""
from app.audit import record_event
from app.auth.models import User
from app.database import utcnow
from app.extensions import db
from app.notifications.operations import notify_comment, notify_status
from app.responses.models import Response, Revision
from app.responses.operations import change_status
from app.responses.workflow import Action
from app.review.models import ReviewComment


class CommentError(ValueError):
    """The comment action is not allowed (e.g. a State user starting a thread)."""


def submit_response(response: Response, author: User) -> Revision:
    revision = change_status(response, Action.SUBMIT, author)
    notify_status(response, "submitted", author)
    return revision


def return_response(response: Response, reviewer: User, comment: str,
                    question_comments: dict[str, str] | None = None) -> Revision:
    """Return a submission for clarification, with a general comment (and, from the demo data,
    comments on questions); the State is told once, by the return."""
    revision = change_status(response, Action.RETURN, reviewer)
    _add_comment(response, reviewer, None, comment)
    for question_id, body in (question_comments or {}).items():
        _add_comment(response, reviewer, question_id, body)
    notify_status(response, "returned", reviewer)
    return revision


def accept_response(response: Response, reviewer: User) -> Revision:
    revision = change_status(response, Action.ACCEPT, reviewer)
    notify_status(response, "accepted", reviewer)
    return revision


def _add_comment(response: Response, author: User, question_id: str | None, body: str,
                 parent: ReviewComment | None = None) -> ReviewComment:
    comment = ReviewComment(response_id=response.id, revision_number=response.revision_count,
                            question_id=parent.question_id if parent else question_id,
                            parent_id=parent.id if parent else None, author=author, body=body.strip())
    db.session.add(comment)
    db.session.flush()
    record_event("comment_replied" if parent else "comment_posted", user=author, state_code=response.state_code,
                 response_id=response.id, details={"comment": comment.id, "question": comment.question_id})
    return comment


def publish_response(response: Response, reviewer: User) -> Revision:
    """Make the accepted response's profile public (confidential answers withheld)."""
    return change_status(response, Action.PUBLISH, reviewer)


def start_thread(response: Response, author: User, question_id: str | None, body: str) -> ReviewComment:
    """A new comment of the secretariat on a question (or on the whole response)."""
    if not author.is_reviewer:
        raise CommentError("only the secretariat starts comment threads")
    comment = _add_comment(response, author, question_id, body)
    notify_comment(comment, response, author)
    return comment


def reply(response: Response, root: ReviewComment, author: User, body: str) -> ReviewComment:
    comment = _add_comment(response, author, None, body, parent=root)
    notify_comment(comment, response, author)
    return comment


def set_resolved(response: Response, root: ReviewComment, user: User, resolved: bool) -> bool:
    """Mark a thread resolved, or reopen it. Returns False when it already was so."""
    if root.is_open is not resolved:
        return False
    root.resolved_at, root.resolved_by = (utcnow(), user) if resolved else (None, None)
    db.session.flush()
    record_event("comment_resolved" if resolved else "comment_reopened", user=user,
                 state_code=response.state_code, response_id=response.id, details={"comment": root.id})
    return True
