"""Role checks for routes. Object-level access (which State) is enforced in each feature's
queries, never here or in templates."""
from functools import wraps

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import false

from app.auth.models import Role, User
from app.states.models import State


def state_filter(user: User):
    """A WHERE clause on ``State.code`` limiting a query to the States ``user`` may reach: their
    own for State users, every State for the secretariat, none for anyone else."""
    if user.role_enum.is_state_bound:
        return State.code == user.state_code
    if user.is_reviewer:
        return State.code.is_not(None)
    return false()


def reviewer_required(view):
    """The secretariat and admins only."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_reviewer:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def admin_required(view):
    """Administrators only (user accounts)."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if current_user.role_enum is not Role.ADMIN:
            abort(403)
        return view(*args, **kwargs)

    return wrapped
