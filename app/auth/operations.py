from sqlalchemy import select

from app.auth.models import Role, User
from app.auth.passwords import hash_password, needs_rehash, verify_dummy, verify_password
from app.database import utcnow
from app.extensions import db


class UserError(ValueError):
    """A user could not be created; the message says why."""


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None; rehashes outdated hashes."""
    user = find_user_by_email(email)
    if user is None:
        verify_dummy(password)
        return None
    if not verify_password(user.password_hash, password) or not user.is_active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    db.session.flush()
    return user


def create_user(email: str, password: str, role: str, state_code: str | None = None,
                name: str = "") -> User:
    from app.auth.passwords import MIN_LENGTH
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
    if len(password) < MIN_LENGTH:
        raise UserError(f"The password must have at least {MIN_LENGTH} characters.")
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
