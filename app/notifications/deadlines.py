"""Reminders before a cycle's deadline, to the States that have not submitted yet. Job workers
run them daily (``DEADLINE_REMINDER_CRON``), and so can a cron job on the command line; each
(cycle, State, threshold) is reminded once, however often and wherever they run."""
from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import select

from app.audit.operations import record_event
from app.auth.models import STATE_ROLES, User
from app.cycles.models import ReportingCycle
from app.database import utcnow, write_transaction
from app.extensions import db
from app.jobs.queue import task
from app.notifications.models import DeadlineReminder
from app.notifications.operations import notify, state_users
from app.responses.models import Response
from app.responses.workflow import Status
from app.states.models import State

#: A response in one of these statuses is with the secretariat: no reminder.
HANDED_IN = (Status.SUBMITTED.value, Status.ACCEPTED.value, Status.PUBLISHED.value)


@dataclass(frozen=True)
class Reminded:
    cycle: ReportingCycle
    days_left: int
    threshold: int
    states: tuple[str, ...]


def threshold_for(days_left: int, thresholds: tuple[int, ...]) -> int | None:
    """The smallest threshold the deadline is within: with 14, 7 and 1, a cycle due in 5 days
    is at threshold 7. Returns None outside every threshold or after the deadline."""
    reached = [t for t in thresholds if 0 <= days_left <= t]
    return min(reached) if reached else None


def _users_to_remind(cycle: ReportingCycle, threshold: int) -> dict[str, list[User]]:
    """The State users, by State, whose response is not handed in and who were not reminded
    at this threshold yet."""
    handed_in = select(Response.state_code).where(Response.cycle_id == cycle.id, Response.status.in_(HANDED_IN))
    reminded = select(DeadlineReminder.state_code).where(DeadlineReminder.cycle_id == cycle.id,
                                                         DeadlineReminder.days_before == threshold)
    users = db.session.scalars(select(User).where(
        User.role.in_([r.value for r in STATE_ROLES]), User.is_active, User.password_hash != "",
        User.state_code.not_in(handed_in), User.state_code.not_in(reminded)).order_by(User.state_code, User.id))
    by_state: dict[str, list[User]] = {}
    for user in users:
        by_state.setdefault(user.state_code, []).append(user)
    return by_state


def send_deadline_reminders(today: date, thresholds: tuple[int, ...]) -> list[Reminded]:
    """Remind every State of every open cycle whose deadline is within a threshold."""
    done = []
    cycles = db.session.scalars(select(ReportingCycle).where(ReportingCycle.is_open, ReportingCycle.closes_on >= today))
    for cycle in cycles.all():
        days_left = (cycle.closes_on - today).days
        threshold = threshold_for(days_left, thresholds)
        if threshold is None:
            continue
        by_state = _users_to_remind(cycle, threshold)
        for code, users in by_state.items():
            db.session.add(DeadlineReminder(cycle_id=cycle.id, state_code=code, days_before=threshold))
            notify(users, "deadline", users[0].state, cycle, days_left=days_left, deadline=cycle.closes_on)
        db.session.flush()
        done.append(Reminded(cycle, days_left, threshold, tuple(by_state)))
    return done


def remind_state(cycle: ReportingCycle, state: State, actor: User, today: date) -> int | None:
    """A reminder the secretariat sends by hand (from the dashboard) to the users of one State
    that has not submitted: a notification and an e-mail each (queued, they leave with the
    commit), recorded in the audit log when anyone was reminded. Returns how many users were
    reminded (0: the State has no user yet), or None when the State has already submitted."""
    handed_in = db.session.scalar(select(Response.id).where(
        Response.cycle_id == cycle.id, Response.state_code == state.code, Response.status.in_(HANDED_IN)))
    if handed_in is not None:
        return None
    users = state_users(state.code)
    if not users:
        return 0
    notify(users, "deadline", state, cycle, actor, days_left=(cycle.closes_on - today).days,
           deadline=cycle.closes_on)
    record_event("reminder_sent", user=actor, state_code=state.code,
                 details={"cycle_id": cycle.id, "recipients": len(users)})
    return len(users)


@task("deadline_reminders", cron="DEADLINE_REMINDER_CRON")
def remind_daily(timestamp: int | None = None) -> None:
    """The workers' daily run (``timestamp`` is the schedule's, unused: today is today)."""
    with write_transaction():
        send_deadline_reminders(utcnow().date(), current_app.config["DEADLINE_REMINDER_DAYS"])
