"""Who is calling the API: anyone (published data), or the holder of a token. Session cookies
play no part, so a logged-in browser has no more reach here than an anonymous one, and a page
elsewhere cannot make a browser read anything through it."""
from dataclasses import dataclass

from flask import current_app, request
from flask_babel import gettext as _

from app.analysis.dataset import ALL_STATUSES, DECIDED, PUBLIC, Scope
from app.api.errors import ApiError
from app.api.models import ApiToken
from app.api.tokens import active_token, record_use
from app.responses.workflow import Status


@dataclass(frozen=True)
class ApiAccess:
    token: ApiToken | None

    @property
    def sees_everything(self) -> bool:
        return self.token is not None and self.token.sees_everything

    def scope(self) -> Scope:
        """The responses this request asked for (``status``, repeatable), within its reach."""
        asked = requested_statuses()
        if not self.sees_everything:
            if asked and set(asked) != {Status.PUBLISHED.value}:
                raise ApiError(403, "forbidden_status",
                               _("Only published responses are public; other statuses need a token with access "
                                 "to all data."))
            return PUBLIC
        return Scope(tuple(asked) or DECIDED, confidential=True)


def requested_statuses() -> list[str]:
    asked = [part for value in request.args.getlist("status") for part in value.split(",") if part]
    unknown = sorted(set(asked) - set(ALL_STATUSES))
    if unknown:
        raise ApiError(400, "unknown_status", _("Unknown status %(status)s; use one of: %(known)s.",
                                                status=", ".join(unknown), known=", ".join(ALL_STATUSES)))
    return asked


def authenticate() -> ApiAccess:
    """The caller's access from an ``Authorization: Bearer`` header; none: anonymous."""
    header = request.headers.get("Authorization", "").strip()
    if not header:
        return ApiAccess(None)
    kind, _space, secret = header.partition(" ")
    if kind.lower() != "bearer" or not secret.strip():
        raise ApiError(401, "invalid_token", _("Send the token in the header Authorization: Bearer followed by "
                                               "the token."))
    token = active_token(secret.strip())
    if token is None:
        raise ApiError(401, "invalid_token", _("This token is not valid: it is unknown, has expired or has been "
                                               "revoked."))
    record_use(token)
    return ApiAccess(token)


def requested_language() -> str:
    language = request.args.get("lang", "en")
    if language not in current_app.config["LANGUAGES"]:
        raise ApiError(400, "unknown_language", _("Unknown language %(lang)s; use one of: %(known)s.",
                                                  lang=language, known=", ".join(current_app.config["LANGUAGES"])))
    return language
