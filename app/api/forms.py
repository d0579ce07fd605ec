from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from app.api.models import TokenScope


class TokenForm(FlaskForm):
    name = StringField(_l("What the token is for"), validators=[DataRequired(), Length(max=100)],
                       render_kw={"dir": "auto"})
    scope = RadioField(_l("Access"), default=TokenScope.PUBLISHED.value, choices=[
        SelectChoice(TokenScope.PUBLISHED.value, _l("Published data only, as anyone sees it without a token")),
        SelectChoice(TokenScope.ALL.value, _l("All data: every status, with the answers States marked confidential")),
    ])


class RevokeForm(FlaskForm):
    """Revoke a token; the form only carries the CSRF token."""
