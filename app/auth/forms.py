from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from app.auth.policy import MAX_LENGTH, MIN_LENGTH, password_problems


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1000)])
    submit = SubmitField(_l("Log in"))


class SecondFactorForm(FlaskForm):
    code = StringField(_l("Authentication code or recovery code"), validators=[DataRequired(), Length(max=20)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "text", "dir": "ltr",
                                  "autofocus": True, "spellcheck": "false"})


class LinkAccountForm(FlaskForm):
    """The owner of an existing account confirms linking it to their organisation's account."""

    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1000)],
                             render_kw={"autocomplete": "current-password", "dir": "ltr"})
    code = StringField(_l("Authentication code or recovery code"), validators=[DataRequired(), Length(max=20)],
                       render_kw={"autocomplete": "one-time-code", "dir": "ltr", "spellcheck": "false"})


class ResetRequestForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)],
                       render_kw={"autocomplete": "username", "dir": "ltr"})


class NewPasswordForm(FlaskForm):
    """A new password, checked against the policy with the account's e-mail address and name."""

    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=1000)],
                             description=_l("At least %(min)d characters. A few unrelated words make a strong "
                                            "password that is easy to remember.", min=MIN_LENGTH),
                             render_kw={"autocomplete": "new-password", "maxlength": MAX_LENGTH, "dir": "ltr"})
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[DataRequired(), EqualTo("password", _l("The two passwords differ."))],
                            render_kw={"autocomplete": "new-password", "dir": "ltr"})

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def personal_name(self) -> str:
        return self.user.name

    def validate_password(self, field) -> None:
        field.errors.extend(password_problems(field.data, self.user.email, self.personal_name()))


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=1000)],
                                     render_kw={"autocomplete": "current-password", "dir": "ltr"})
