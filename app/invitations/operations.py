from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload

from app.audit import record_event
from app.auth.models import AccountToken, Role, TokenPurpose, User
from app.auth.operations import find_user_by_email, set_password
from app.auth.tokens import issue_token
from app.extensions import db
from app.states.models import State

#: Whom each role may invite.
INVITABLE_ROLES = {
    Role.ADMIN: (Role.FOCAL_POINT, Role.CONTRIBUTOR, Role.SECRETARIAT, Role.ADMIN),
    Role.SECRETARIAT: (Role.FOCAL_POINT, Role.CONTRIBUTOR, Role.SECRETARIAT),
    Role.FOCAL_POINT: (Role.CONTRIBUTOR,),
    Role.CONTRIBUTOR: (),
}


class InvitationError(ValueError):
    """The invitation cannot be sent; the message (translated) says why."""


def invitable_roles(inviter: User) -> tuple[Role, ...]:
    return INVITABLE_ROLES[inviter.role_enum]


def _reach(inviter: User):
    """The invited users an inviter may see and invite again."""
    if inviter.role_enum is Role.FOCAL_POINT:
        return (User.state_code == inviter.state_code) & (User.role == Role.CONTRIBUTOR.value)
    if inviter.role_enum is Role.SECRETARIAT:
        return User.role != Role.ADMIN.value
    return User.id.is_not(None)


def _invitee(inviter: User, email: str) -> User | None:
    user = find_user_by_email(email)
    if user is not None and (user.has_password or not db.session.scalar(
            select(User.id).where(User.id == user.id, _reach(inviter)))):
        raise InvitationError(_("%(email)s already has an account.", email=email))
    return user


def invite(inviter: User, email: str, role: Role, state_code: str | None, locale: str) -> tuple[User, str]:
    """Create (or refresh) an invited account and return it with the token for the link.
    Inviting the same address again replaces the earlier link."""
    if role not in invitable_roles(inviter):
        raise InvitationError(_("You cannot invite users with this role."))
    state_code = inviter.state_code if inviter.role_enum is Role.FOCAL_POINT else state_code
    if not role.is_state_bound:
        state_code = None
    elif not state_code or db.session.get(State, state_code) is None:
        raise InvitationError(_("Choose the State of this user."))
    email = email.strip().lower()
    user = _invitee(inviter, email)
    if user is None:
        user = User(email=email, password_hash="", name="")
        db.session.add(user)
    user.role, user.state_code, user.locale = role.value, state_code, locale
    db.session.flush()
    token = issue_token(user, TokenPurpose.INVITATION, current_app.config["INVITATION_TTL"], created_by=inviter)
    record_event("invitation_sent", user=inviter, state_code=state_code, details={"email": email, "role": role.value})
    return user, token


def pending_invitations(inviter: User) -> list[AccountToken]:
    """Invitations not yet accepted (expired ones included), newest first."""
    return db.session.scalars(
        select(AccountToken).join(AccountToken.user)
        .where(AccountToken.purpose == TokenPurpose.INVITATION.value, AccountToken.used_at.is_(None),
               User.password_hash == "", _reach(inviter))
        .options(contains_eager(AccountToken.user), joinedload(AccountToken.created_by))
        .order_by(AccountToken.created_at.desc())
    ).all()


def accept(user: User, name: str, password: str, organisation: str = "") -> None:
    """The invited user's name, organisation and password (already checked against the policy)."""
    user.name = name.strip()
    user.organisation = organisation.strip()
    set_password(user, password)
    record_event("invitation_accepted", user=user, state_code=user.state_code)
