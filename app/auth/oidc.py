"""Signing in with the organisation's OpenID Connect provider (the secretariat's single sign-on),
with Authlib's Flask client. Nothing here exists unless ``OIDC_ISSUER`` is configured.

The login uses the authorization code flow with PKCE (S256); Authlib checks ``state`` (kept in
the session, and spent by the callback) and the ID token's signature, audience and ``nonce``;
this module also checks that the provider's metadata and the ID token name the configured
issuer. Claims become a role through allow-lists of e-mail domains and groups: admin first,
then secretariat; anyone else is refused. State users never sign in this way."""
from dataclasses import dataclass

from authlib.integrations.flask_client import OAuth
from flask import current_app
from sqlalchemy import select

from app.auth.models import REVIEW_ROLES, IdentityLink, Role, User
from app.extensions import db

PROVIDER = "organisation"
EXTENSION = "tip_oidc"


class OidcError(Exception):
    """The provider's answer cannot be trusted (wrong issuer, bad state, token or nonce)."""


@dataclass(frozen=True)
class Identity:
    issuer: str
    subject: str
    email: str
    name: str
    #: The role the allow-lists give, or None: not allowed in.
    role: Role | None


def configured(config) -> bool:
    return bool(config.get("OIDC_ISSUER"))


def init_app(app) -> None:
    if not configured(app.config):
        return
    missing = [name for name in ("OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET") if not app.config.get(name)]
    if missing:
        raise RuntimeError("OIDC_ISSUER is set; sign-in with it also needs " + ", ".join(missing))
    issuer = app.config["OIDC_ISSUER"].rstrip("/")
    oauth = app.extensions[EXTENSION] = OAuth(app)  # one per app: Authlib caches its clients
    oauth.register(PROVIDER, client_id=app.config["OIDC_CLIENT_ID"], client_secret=app.config["OIDC_CLIENT_SECRET"],
                   server_metadata_url=f"{issuer}/.well-known/openid-configuration",
                   client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256"})


def client():
    """The provider's client, its metadata checked to be the configured issuer's."""
    provider = current_app.extensions[EXTENSION].create_client(PROVIDER)
    if provider.load_server_metadata().get("issuer") != issuer():
        raise OidcError("the provider's metadata names another issuer")
    return provider


def issuer() -> str:
    return current_app.config["OIDC_ISSUER"].rstrip("/")


def _listed(name: str) -> set[str]:
    value = current_app.config.get(name) or ()
    items = value.split(",") if isinstance(value, str) else value
    return {item.strip().lower() for item in items if item.strip()}


def role_for(email: str, groups) -> Role | None:
    """Admin when the e-mail's domain or a group is on the admin lists, secretariat when on the
    secretariat lists, else None."""
    domain = email.rpartition("@")[2].lower()
    groups = {str(group).lower() for group in groups} if isinstance(groups, (list, tuple)) else set()
    for role, prefix in ((Role.ADMIN, "OIDC_ADMIN"), (Role.SECRETARIAT, "OIDC_SECRETARIAT")):
        if domain in _listed(f"{prefix}_DOMAINS") or groups & _listed(f"{prefix}_GROUPS"):
            return role
    return None


def identity_from(claims: dict) -> Identity:
    """Who the ID token's (already validated) claims describe, and the role they are given. An
    address the provider says is unverified counts for nothing."""
    if claims.get("iss") != issuer():
        raise OidcError("the ID token names another issuer")
    email = str(claims.get("email") or "").strip().lower()
    verified = claims.get("email_verified", True) not in (False, "false")
    role = role_for(email, claims.get(current_app.config["OIDC_GROUPS_CLAIM"])) if email and verified else None
    return Identity(issuer=claims["iss"], subject=str(claims["sub"]), email=email,
                    name=str(claims.get("name") or "")[:200], role=role)


def linked_user(identity: Identity) -> User | None:
    return db.session.scalar(select(User).join(IdentityLink, IdentityLink.user_id == User.id).where(
        IdentityLink.issuer == identity.issuer, IdentityLink.subject == identity.subject))


def link(user: User, identity: Identity) -> None:
    """Link ``user`` to the provider's account and give it the role the provider's claims give."""
    db.session.add(IdentityLink(user_id=user.id, issuer=identity.issuer, subject=identity.subject))
    follow_role(user, identity)


def follow_role(user: User, identity: Identity) -> None:
    """The role follows the allow-lists at every login (moved from admin to secretariat, say)."""
    user.role = identity.role.value
    db.session.flush()


def create_reviewer(identity: Identity) -> User:
    """The account of someone the provider vouches for, at their first login: no local password."""
    user = User(email=identity.email, name=identity.name, role=identity.role.value, password_hash="")
    db.session.add(user)
    db.session.flush()
    link(user, identity)
    return user


def may_link(user: User) -> bool:
    """Only an active secretariat or admin account, protected by a password and two-factor
    authentication, may be linked: its owner confirms with both."""
    return user.is_active and user.role_enum in REVIEW_ROLES and user.has_password and user.two_factor_enabled


def logout_url(id_token: str | None, after: str) -> str | None:
    """The provider's end-session address (RP-initiated logout), if it has one."""
    if not configured(current_app.config) or not id_token:
        return None
    provider = current_app.extensions[EXTENSION].create_client(PROVIDER)
    if not provider.load_server_metadata().get("end_session_endpoint"):
        return None
    return provider.create_logout_url(post_logout_redirect_uri=after, id_token_hint=id_token)["url"]
