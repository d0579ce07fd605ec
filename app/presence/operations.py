"""Heartbeats and the list of people editing, kept in the database with an expiry."""
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite

from app.auth.models import User
from app.auth.people import person
from app.database import utcnow
from app.extensions import db
from app.presence.models import EditingPresence

INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


@dataclass(frozen=True)
class Editor:
    section_id: str
    user: User


def _expiry() -> timedelta:
    return timedelta(seconds=current_app.config["PRESENCE_TTL_SECONDS"])


def heartbeat(user: User, cycle_id: int, state_code: str, section_id: str) -> None:
    """The user has the section open: one statement that inserts or renews the row; rows
    whose heartbeat stopped are removed on the way."""
    now = utcnow()
    db.session.execute(delete(EditingPresence).where(EditingPresence.seen_at < now - _expiry()))
    insert = INSERTS[db.session.get_bind().dialect.name]
    db.session.execute(
        insert(EditingPresence).values(user_id=user.id, cycle_id=cycle_id, state_code=state_code,
                                       section_id=section_id, seen_at=now)
        .on_conflict_do_update(index_elements=["user_id", "cycle_id", "state_code", "section_id"],
                               set_={"seen_at": now})
    )


def leave(user: User, cycle_id: int, state_code: str, section_id: str) -> None:
    db.session.execute(delete(EditingPresence).where(
        EditingPresence.user_id == user.id, EditingPresence.cycle_id == cycle_id,
        EditingPresence.state_code == state_code, EditingPresence.section_id == section_id))


def editors(cycle_id: int, state_code: str, viewer: User) -> list[Editor]:
    """The people other than ``viewer`` editing a section of the response, in one query."""
    rows = db.session.execute(
        select(EditingPresence.section_id, User).join(User, User.id == EditingPresence.user_id)
        .where(EditingPresence.cycle_id == cycle_id, EditingPresence.state_code == state_code,
               EditingPresence.user_id != viewer.id, EditingPresence.seen_at >= utcnow() - _expiry())
        .order_by(EditingPresence.section_id, User.name)
    )
    return [Editor(section_id, user) for section_id, user in rows]


def editing_entries(editors: list[Editor]) -> list[dict]:
    """What pages show (and the JSON gives the script), one sentence per person and section."""
    return [{"section": editor.section_id,
             "text": _("%(person)s is editing this section", person=person(editor.user))} for editor in editors]
