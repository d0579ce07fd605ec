"""Signing in with the organisation's identity provider (OpenID Connect), for the secretariat:
only registered when ``OIDC_ISSUER`` is configured. The provider's account is linked to an
account here at its first login, or, when an account with its e-mail address exists already,
only after that account's password and two-factor code confirm it (``link``)."""
import time

from authlib.integrations.base_client import OAuthError
from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from joserfc.errors import JoseError
from requests import RequestException

from app.audit import record_event
from app.auth import oidc, throttle
from app.auth.forms import LinkAccountForm
from app.auth.operations import check_password, find_user_by_email
from app.auth.sessions import SIGNED_IN_WITH, start_session
from app.auth.twofactor import check_second_factor
from app.extensions import db

bp = Blueprint("oidc", __name__, url_prefix="/login/organisation", template_folder="templates")

#: The identity waiting for its owner to confirm the link with a password and code.
PENDING_LINK = "pending_link"
PENDING_SECONDS = 300
ID_TOKEN = "oidc_id_token"


#: What a provider that is unreachable, or answers what cannot be trusted, raises.
FAILURES = (OAuthError, JoseError, oidc.OidcError, RequestException, KeyError, ValueError)


@bp.route("/")
def start():
    """Off to the provider; ``state``, ``nonce`` and the PKCE verifier wait in the session."""
    try:
        return oidc.client().authorize_redirect(url_for(".callback", _external=True))
    except FAILURES as error:
        return _refused("oidc_login_failed", _("Signing in with your organisation did not work. Please try again."),
                        reason=str(error)[:200])


def _refused(event: str, message: str, **details):
    record_event(event, details=details or None)
    db.session.commit()
    flash(message, "error")
    return redirect(url_for("signin.login"))


@bp.route("/callback")
def callback():
    sent_issuer = request.args.get("iss")  # RFC 9207, when the provider sends it
    try:
        if sent_issuer is not None and sent_issuer != oidc.issuer():
            raise oidc.OidcError("the authorization response names another issuer")
        token = oidc.client().authorize_access_token(
            claims_options={"iss": {"essential": True, "value": oidc.issuer()}})
        identity = oidc.identity_from(dict(token["userinfo"]))
    except FAILURES as error:
        return _refused("oidc_login_failed", _("Signing in with your organisation did not work. Please try again."),
                        reason=str(error)[:200])
    if identity.role is None:
        return _refused("oidc_login_refused", _("Your organisation's account %(email)s is not allowed to use this "
                                                "platform. Ask the platform's administrators.", email=identity.email),
                        email=identity.email)
    return _sign_in(identity, token.get("id_token"))


def _sign_in(identity: oidc.Identity, id_token: str | None):
    user = oidc.linked_user(identity)
    if user is None:
        existing = find_user_by_email(identity.email)
        if existing is not None:
            session[PENDING_LINK] = {"issuer": identity.issuer, "subject": identity.subject, "email": identity.email,
                                     "name": identity.name, "role": identity.role.value, "at": int(time.time()),
                                     "id_token": id_token}
            return redirect(url_for(".link"))
        user = oidc.create_reviewer(identity)
        record_event("oidc_account_created", user=user, details={"email": user.email, "role": user.role})
    elif not user.is_active:
        return _refused("oidc_login_refused", _("This account is disabled."), email=identity.email)
    else:
        oidc.follow_role(user, identity)
    return _complete(user, id_token)


def _complete(user, id_token: str | None):
    start_session(user)
    session[SIGNED_IN_WITH] = oidc.PROVIDER
    if id_token:
        session[ID_TOKEN] = id_token  # the hint of the provider's logout
    record_event("login_succeeded", user=user, details={"with": oidc.PROVIDER})
    db.session.commit()
    return redirect(url_for("main.home"))


def _pending() -> oidc.Identity | None:
    pending = session.get(PENDING_LINK)
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    return oidc.Identity(issuer=pending["issuer"], subject=pending["subject"], email=pending["email"],
                         name=pending["name"], role=oidc.Role(pending["role"]))


@bp.route("/link", methods=["GET", "POST"])
def link():
    """Link the provider's account to the existing account of the same address: its owner proves
    it with the account's password and a two-factor code (never on the address alone)."""
    identity = _pending()
    if identity is None:
        abort(404)
    user = find_user_by_email(identity.email)
    if user is None or not oidc.may_link(user):
        session.pop(PENDING_LINK, None)
        return _refused("oidc_link_refused", _("An account with the address %(email)s exists here, and it cannot be "
                                               "linked to your organisation's account. Ask the platform's "
                                               "administrators.", email=identity.email), email=identity.email)
    form = LinkAccountForm()
    if not form.validate_on_submit():
        return render_template("signin/link_account.html", form=form, email=identity.email)
    keys = throttle.login_keys(user.email, user)
    if throttle.locked(keys.all()) or not (check_password(user, form.password.data)
                                           and check_second_factor(user, form.code.data)):
        throttle.record_failure(keys.counted())
        record_event("oidc_link_failed", user=user)
        db.session.commit()
        flash(_("The password or the code is not correct."), "error")
        return render_template("signin/link_account.html", form=form, email=identity.email), 422
    id_token = session.pop(PENDING_LINK).get("id_token")
    oidc.link(user, identity)
    record_event("oidc_account_linked", user=user, details={"issuer": identity.issuer})
    return _complete(user, id_token)
