"""The secretariat's page of API tokens: create one (its secret is shown once), revoke one."""
from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.api.forms import RevokeForm, TokenForm
from app.api.models import ApiToken, TokenScope
from app.api.tokens import all_tokens, create_token, revoke_token
from app.auth.access import reviewer_required
from app.extensions import db

bp = Blueprint("api_tokens", __name__, url_prefix="/api-tokens", template_folder="templates")


def _render(form: TokenForm, secret: str | None = None, status: int = 200):
    return render_template("api/tokens.html", form=form, revoke_form=RevokeForm(), tokens=all_tokens(),
                           secret=secret), status


@bp.route("/")
@reviewer_required
def index():
    return _render(TokenForm())


@bp.route("/", methods=["POST"])
@reviewer_required
def create():
    form = TokenForm()
    if not form.validate_on_submit():
        return _render(form, status=422)
    secret = create_token(form.name.data, TokenScope(form.scope.data), current_user,
                          timedelta(days=form.lifetime.data))[1]
    db.session.commit()
    # Rendered, not redirected: the secret must not travel through the session or a URL.
    return _render(TokenForm(formdata=None), secret=secret, status=201)


@bp.route("/<int:token_id>/revoke", methods=["POST"])
@reviewer_required
def revoke(token_id):
    token = db.session.get(ApiToken, token_id) or abort(404)
    if not RevokeForm().validate_on_submit():
        abort(400)
    revoke_token(token, current_user)
    db.session.commit()
    flash(_("The token %(name)s was revoked: it no longer opens the API.", name=token.name), "success")
    return redirect(url_for(".index"))
