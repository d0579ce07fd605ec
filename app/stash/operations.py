"""Stash, find, claim and discard unsaved input. Operations flush and never commit.

What anyone can make the platform store is bounded: a stash holds at most
``UNSAVED_INPUT_MAX_BYTES`` of input, a user keeps at most ``UNSAVED_INPUT_PER_USER`` stashes
(the oldest go first) for at most ``UNSAVED_INPUT_DAYS``, and anonymous stashes (input posted
after a session ended) at most ``ANONYMOUS_STASH_HOURS``, ``ANONYMOUS_STASH_LIMIT`` in all."""
import json
import logging
import secrets
from collections.abc import Iterable
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select

from app.auth.models import User
from app.database import utcnow
from app.extensions import db
from app.stash.models import StashedForm

log = logging.getLogger(__name__)
#: Never stashed: a stale token is useless and the page renders a fresh one.
ALWAYS_IGNORED = frozenset({"csrf_token"})


def keep(owner: User | None, path: str, formdata, ignore: Iterable[str] = ()) -> StashedForm | None:
    """Stash the posted ``formdata`` of the page at ``path``, replacing the owner's earlier stash
    of that page. ``owner`` None makes an anonymous stash, to be claimed by its token. Returns
    None when nothing was posted but ignored fields."""
    ignored = ALWAYS_IGNORED | set(ignore)
    fields = [[name, value] for name, value in formdata.items(multi=True) if name not in ignored]
    if not fields or _too_large(fields):
        return None
    if owner is not None:
        discard(owner, path)
        _prune_of(owner)
    else:
        _prune_anonymous()
    stash = StashedForm(token=secrets.token_urlsafe(32), user_id=None if owner is None else owner.id,
                        path=path, fields=fields)
    db.session.add(stash)
    db.session.flush()
    return stash


def _too_large(fields: list) -> bool:
    size = len(json.dumps(fields, ensure_ascii=False).encode())
    if size <= current_app.config["UNSAVED_INPUT_MAX_BYTES"]:
        return False
    log.warning("unsaved_input_too_large", extra={"fields": {"event": "unsaved_input_too_large", "size": size}})
    return True


def _prune_of(owner: User) -> None:
    """Make room for one more stash of ``owner``: theirs older than ``UNSAVED_INPUT_DAYS`` go,
    and beyond ``UNSAVED_INPUT_PER_USER`` the oldest go first."""
    config = current_app.config
    theirs = StashedForm.user_id == owner.id
    cutoff = utcnow() - timedelta(days=config["UNSAVED_INPUT_DAYS"])
    db.session.execute(delete(StashedForm).where(theirs, StashedForm.created_at < cutoff))
    kept = select(StashedForm.id).where(theirs).order_by(StashedForm.id.desc()) \
        .limit(config["UNSAVED_INPUT_PER_USER"] - 1)
    db.session.execute(delete(StashedForm).where(theirs, StashedForm.id.not_in(kept)))


def _prune_anonymous() -> None:
    """Anyone can post a form without being logged in, so anonymous stashes are bounded: the
    ones older than ``ANONYMOUS_STASH_HOURS`` go (their author did not log in again), and beyond
    ``ANONYMOUS_STASH_LIMIT`` the oldest go first, so a flood of posts cannot fill the database."""
    config = current_app.config
    anonymous = StashedForm.user_id.is_(None)
    cutoff = utcnow() - timedelta(hours=config["ANONYMOUS_STASH_HOURS"])
    db.session.execute(delete(StashedForm).where(anonymous, StashedForm.created_at < cutoff))
    kept = select(StashedForm.id).where(anonymous).order_by(StashedForm.id.desc()) \
        .limit(config["ANONYMOUS_STASH_LIMIT"] - 1)
    db.session.execute(delete(StashedForm).where(anonymous, StashedForm.id.not_in(kept)))


def find(owner: User, path: str) -> StashedForm | None:
    cutoff = utcnow() - timedelta(days=current_app.config["UNSAVED_INPUT_DAYS"])
    return db.session.scalar(select(StashedForm).filter_by(user_id=owner.id, path=path)
                             .where(StashedForm.created_at >= cutoff))


def discard(owner: User, path: str) -> None:
    db.session.execute(delete(StashedForm).filter_by(user_id=owner.id, path=path))


def discard_anonymous(token: str) -> None:
    db.session.execute(delete(StashedForm).filter_by(token=token, user_id=None))


def claim(token: str, owner: User) -> StashedForm | None:
    """Give the anonymous stash named by ``token`` to ``owner`` (who just logged in again);
    it replaces any stash they had of the same page."""
    stash = db.session.scalar(select(StashedForm).filter_by(token=token, user_id=None))
    if stash is None:
        return None
    discard(owner, stash.path)
    stash.user_id = owner.id
    db.session.flush()
    return stash
