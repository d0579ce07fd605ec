"""Reading and changing section assignments. Only the focal point of a State changes its
assignments: every query that writes is limited to the focal point's own State."""
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import joinedload

from app.assignments.models import SectionAssignment
from app.audit import record_event
from app.auth.models import STATE_ROLES, Role, User
from app.extensions import db
from app.i18n import collation_key
from app.questionnaires.schema import Questionnaire, Section


class AssignmentError(PermissionError):
    """Someone other than the State's focal point tried to change its assignments."""


@dataclass(frozen=True)
class SectionEntry:
    """A section as one user sees it in the overview."""

    section: Section
    assignees: tuple[User, ...]
    #: Assigned to the user looking at the overview.
    is_mine: bool


def state_members(state_code: str) -> list[User]:
    """The State's users who can be given sections: active, invitation accepted."""
    users = db.session.scalars(select(User).where(
        User.state_code == state_code, User.role.in_([r.value for r in STATE_ROLES]), User.is_active,
        User.password_hash != ""))
    key = collation_key()
    return sorted(users, key=lambda user: key(user.name or user.email))


def assignments_of(cycle_id: int, state_code: str) -> dict[str, list[User]]:
    """The assignees of each section, by section id."""
    rows = db.session.scalars(select(SectionAssignment).where(
        SectionAssignment.cycle_id == cycle_id, SectionAssignment.state_code == state_code)
        .options(joinedload(SectionAssignment.user)).order_by(SectionAssignment.id))
    assigned: dict[str, list[User]] = {}
    for row in rows:
        assigned.setdefault(row.section_id, []).append(row.user)
    return assigned


def ordered_sections(questionnaire: Questionnaire, assigned: dict[str, list[User]], user: User) -> list[SectionEntry]:
    """The user's own sections first, each group in questionnaire order."""
    entries = [SectionEntry(section, tuple(assigned.get(section.id, ())),
                            any(u.id == user.id for u in assigned.get(section.id, ())))
               for section in questionnaire.sections]
    return [e for e in entries if e.is_mine] + [e for e in entries if not e.is_mine]


def _current_pairs(cycle_id: int, state_code: str) -> set[tuple[str, int]]:
    rows = db.session.execute(select(SectionAssignment.section_id, SectionAssignment.user_id).where(
        SectionAssignment.cycle_id == cycle_id, SectionAssignment.state_code == state_code))
    return {(section_id, user_id) for section_id, user_id in rows}


def set_assignments(focal: User, cycle_id: int, questionnaire: Questionnaire,
                    wanted: dict[str, set[int]]) -> int:
    """Replace the assignments of the focal point's State in the cycle with ``wanted``
    (section id -> user ids). Users of other States and unknown sections are ignored.
    Returns how many assignments were added or removed."""
    if focal.role_enum is not Role.FOCAL_POINT:
        raise AssignmentError(focal.role)
    state_code = focal.state_code
    members = {user.id for user in state_members(state_code)}
    target = {(sid, uid) for sid, uids in wanted.items() if questionnaire.section(sid) is not None
              for uid in uids if uid in members}
    current = _current_pairs(cycle_id, state_code)
    removed, added = current - target, target - current
    for section_id, user_id in removed:
        db.session.execute(delete(SectionAssignment).where(
            SectionAssignment.cycle_id == cycle_id, SectionAssignment.state_code == state_code,
            SectionAssignment.section_id == section_id, SectionAssignment.user_id == user_id))
    db.session.add_all(SectionAssignment(cycle_id=cycle_id, state_code=state_code, section_id=sid, user_id=uid,
                                         assigned_by_id=focal.id) for sid, uid in sorted(added))
    db.session.flush()
    if added or removed:
        record_event("sections_assigned", user=focal, state_code=state_code,
                     details={"cycle": cycle_id, "added": sorted(added), "removed": sorted(removed)})
    return len(added) + len(removed)
