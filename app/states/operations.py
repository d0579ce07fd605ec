from sqlalchemy import select

from app.extensions import db
from app.states.models import State
from app.states.names import cldr_codes, member_state_codes


def sync_member_states() -> int:
    """Insert the Member States that are missing; returns how many were added. Never deletes."""
    existing = set(db.session.scalars(select(State.code)))
    added = 0
    for code in member_state_codes():
        if code not in existing:
            alpha2, m49 = cldr_codes(code)
            db.session.add(State(code=code, alpha2=alpha2, m49=m49))
            added += 1
    db.session.flush()
    return added
