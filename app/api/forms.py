from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from app.api.models import TokenScope

#: How long a new token works, in days; a year unless its creator chooses otherwise.
LIFETIMES = (30, 90, 365, 730)
DEFAULT_LIFETIME = 365


class TokenForm(FlaskForm):
    name = StringField(_l("What the token is for"), validators=[DataRequired(), Length(max=100)],
                       render_kw={"dir": "auto"})
    scope = RadioField(_l("Access"), default=TokenScope.PUBLISHED.value, choices=[
        SelectChoice(TokenScope.PUBLISHED.value, _l("Published data only, as anyone sees it without a token")),
        SelectChoice(TokenScope.ALL.value, _l("All data: every status, with the answers States marked confidential")),
    ])
    lifetime = SelectField(_l("Works for"), coerce=int, default=DEFAULT_LIFETIME, choices=[
        SelectChoice(days, _l("%(days)d days", days=days)) for days in LIFETIMES])


class RevokeForm(FlaskForm):
    """Revoke a token; the form only carries the CSRF token."""
