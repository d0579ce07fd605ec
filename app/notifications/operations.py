"""Who is told about what: notifications in the app, with an e-mail to each recipient.

The secretariat hears of submissions and of what the State writes in comment threads; a
State's users hear of returns, acceptances, the secretariat's comments and deadlines.
Administrators review as the secretariat does (REVIEW_ROLES: they may return, accept and
publish), so they hear what it hears.
Operations flush and never commit; e-mails are jobs that leave with the commit (see delivery)."""
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from app.auth.models import REVIEW_ROLES, STATE_ROLES, User
from app.cycles.models import ReportingCycle, cycle_questionnaire
from app.database import utcnow
from app.extensions import db
from app.notifications.delivery import QueuedMail, default_locale, link, queue_mail
from app.notifications.messages import Facts
from app.notifications.models import Notification
from app.responses.models import Response
from app.responses.workflow import Status
from app.states.models import State


def _reachable(*conditions) -> list[User]:
    """Active users who have set a password (invitations accepted), by the given conditions."""
    return list(db.session.scalars(
        select(User).where(User.is_active, User.password_hash != "", *conditions).order_by(User.id)))


def secretariat_users() -> list[User]:
    """Everyone who reviews: the secretariat and the administrators."""
    return _reachable(User.role.in_([r.value for r in REVIEW_ROLES]))


def state_users(state_code: str) -> list[User]:
    return _reachable(User.state_code == state_code, User.role.in_([r.value for r in STATE_ROLES]))


def _facts(kind: str, state: State, cycle: ReportingCycle, actor: User | None,
           comment, details: dict) -> Facts:
    question, number = None, ""
    if comment is not None and comment.question_id:
        found = cycle_questionnaire(cycle).questions.get(comment.question_id)
        question, number = (dict(found.text), found.number) if found else (None, "")
    deadline = details.get("deadline")
    return Facts(kind=kind, state_alpha2=state.alpha2, cycle_name=cycle.name,
                 actor=(actor.name, actor.email, actor.organisation) if actor else None, question=question,
                 question_number=number, is_reply=comment is not None and comment.parent_id is not None,
                 body=comment.body if comment is not None else None, days_left=details.get("days_left"),
                 deadline=date.fromisoformat(deadline) if deadline else None)


def facts_of(notification: Notification) -> Facts:
    return _facts(notification.kind, notification.state, notification.cycle, notification.actor,
                  notification.comment, notification.details or {})


def notify(recipients: list[User], kind: str, state: State, cycle: ReportingCycle, actor: User | None = None,
           comment=None, **extra) -> list[Notification]:
    """One notification per recipient (never the actor), each e-mailed after the commit."""
    details = {key: value.isoformat() if isinstance(value, date) else value for key, value in extra.items()}
    facts = _facts(kind, state, cycle, actor, comment, details)
    notifications = [
        Notification(user=user, kind=kind, cycle_id=cycle.id, state_code=state.code,
                     actor=actor, comment=comment, details=details or None)
        for user in recipients if actor is None or user.id != actor.id
    ]
    db.session.add_all(notifications)
    db.session.flush()
    for notification in notifications:
        queue_mail(QueuedMail(to=notification.user.email, locale=notification.user.locale or default_locale(),
                              facts=facts, url=link(notification.id)))
    return notifications


def notify_comment(comment, response: Response, author: User) -> list[Notification]:
    """The State's users hear of the secretariat's comments, the secretariat of the State's.
    A thread the secretariat starts on a response under review is not announced on its own:
    the decision that follows (a return) tells the State."""
    if not author.is_reviewer:
        return notify(secretariat_users(), "commented", response.state, response.cycle, author, comment)
    if comment.parent_id is None and response.status == Status.SUBMITTED.value:
        return []
    return notify(state_users(response.state_code), "commented", response.state, response.cycle, author, comment)


def notify_status(response: Response, kind: str, actor: User) -> list[Notification]:
    """A submission goes to the secretariat; a return or an acceptance to the State's users."""
    recipients = secretariat_users() if kind == "submitted" else state_users(response.state_code)
    return notify(recipients, kind, response.state, response.cycle, actor)


def unread_count(user: User) -> int:
    return db.session.scalar(select(db.func.count()).select_from(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)))


def recent(user: User, limit: int = 100) -> list[Notification]:
    return list(db.session.scalars(
        select(Notification).where(Notification.user_id == user.id)
        .options(joinedload(Notification.actor), joinedload(Notification.cycle), joinedload(Notification.state),
                 joinedload(Notification.comment))
        .order_by(Notification.id.desc()).limit(limit)
    ).unique())


def find(user: User, notification_id: int) -> Notification | None:
    """The user's own notification; another's is not found."""
    return db.session.scalar(select(Notification).where(Notification.id == notification_id,
                                                        Notification.user_id == user.id))


def mark_read(user: User, notification_id: int | None = None) -> None:
    """Mark one of the user's notifications read, or all of them."""
    query = update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    db.session.execute(query.values(read_at=utcnow()))
