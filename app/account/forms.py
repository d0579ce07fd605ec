from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length


def _code_field(label=_l("Code from your authenticator app")):
    return StringField(label, validators=[DataRequired(), Length(max=20)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "dir": "ltr",
                                  "spellcheck": "false"})


class EnrolForm(FlaskForm):
    code = _code_field()


class CodeForm(FlaskForm):
    """Confirms an action on two-factor authentication with a current code."""

    code = _code_field()


class DisableTwoFactorForm(FlaskForm):
    password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=1000)],
                             render_kw={"autocomplete": "current-password", "dir": "ltr"})
    code = _code_field()
