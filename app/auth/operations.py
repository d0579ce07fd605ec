from sqlalchemy import select

from app.auth.models import Role, TokenPurpose, User
from app.auth.passwords import hash_password, needs_rehash, verify_dummy, verify_password
from app.auth.policy import password_problems
from app.auth.sessions import end_all_sessions
from app.auth.tokens import revoke_tokens
from app.extensions import db


class UserError(ValueError):
    """A user could not be created; the message says why."""


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def check_password(user: User | None, password: str) -> bool:
    """Whether ``user`` exists, is active and has this password; rehashes outdated hashes.
    Takes as long for a missing account as for a real one."""
    if user is None or not user.has_password:
        verify_dummy(password)
        return False
    if not verify_password(user.password_hash, password) or not user.is_active:
        return False
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        db.session.flush()
    return True


def set_password(user: User, password: str) -> None:
    """A new password (already checked against the policy): every session of the user ends
    and pending reset links stop working."""
    user.password_hash = hash_password(password)
    revoke_tokens(user, TokenPurpose.PASSWORD_RESET)
    end_all_sessions(user)
    db.session.flush()


def set_active(user: User, active: bool) -> None:
    user.is_active = active
    if not active:
        end_all_sessions(user)
    db.session.flush()


def reset_second_factor(user: User) -> None:
    """For a user who lost both the authenticator and the recovery codes (or whose backup was
    restored without secrets): two-factor authentication is off, every session ends, and an
    account that must use it enrols again at its next login."""
    from app.auth import twofactor

    twofactor.disable(user)
    end_all_sessions(user)
    db.session.flush()


def create_user(email: str, password: str, role: str, state_code: str | None = None,
                name: str = "") -> User:
    from app.states.models import State

    email = email.strip().lower()
    try:
        role_enum = Role(role)
    except ValueError:
        raise UserError(f"Unknown role {role!r}; use one of {', '.join(r.value for r in Role)}.")
    if "@" not in email:
        raise UserError(f"{email!r} is not an e-mail address.")
    if find_user_by_email(email):
        raise UserError(f"A user with e-mail {email} already exists.")
    problems = password_problems(password, email, name)
    if problems:
        raise UserError(" ".join(str(problem) for problem in problems))
    if role_enum.is_state_bound:
        state_code = (state_code or "").upper()
        if not state_code or db.session.get(State, state_code) is None:
            raise UserError(f"Role {role} needs --state with the alpha-3 code of a Member State.")
    elif state_code:
        raise UserError(f"Role {role} is not bound to a State; leave out --state.")
    else:
        state_code = None
    user = User(email=email, password_hash=hash_password(password), role=role_enum.value,
                state_code=state_code, name=name)
    db.session.add(user)
    db.session.flush()
    return user
