from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import EmailField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length

from app.auth.forms import NewPasswordForm
from app.auth.models import ROLE_LABELS, Role, User
from app.extensions import db
from app.i18n import LANGUAGE_NAMES, collation_key, current_locale
from app.invitations.operations import invitable_roles
from app.states.models import State
from app.states.names import state_name


class InvitationForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)],
                       render_kw={"dir": "ltr", "autocomplete": "off"})
    role = SelectField(_l("Role"), validators=[DataRequired()])
    state = SelectField(_l("State"), default="")
    locale = SelectField(_l("Language of the invitation"), validators=[DataRequired()])


def invitation_form(inviter: User, **kwargs) -> InvitationForm:
    """The form with the roles this inviter may give; a focal point's invitations are for
    contributors of their own State, so they choose neither."""
    form = InvitationForm(**kwargs)
    form.role.choices = [SelectChoice(role.value, ROLE_LABELS[role]) for role in invitable_roles(inviter)]
    form.locale.choices = [SelectChoice(code, LANGUAGE_NAMES[code]) for code in current_app.config["LANGUAGES"]]
    if not form.locale.data:
        form.locale.data = current_locale()
    if inviter.role_enum is Role.FOCAL_POINT:
        del form.role, form.state
    else:
        locale = current_locale()
        by_name = collation_key(locale)
        states = sorted((SelectChoice(s.code, state_name(s.alpha2, locale)) for s in db.session.scalars(select(State))),
                        key=lambda choice: by_name(choice.label))
        form.state.choices = [SelectChoice("", _l("None (secretariat, administrator)"))] + states
    return form


class AcceptInvitationForm(NewPasswordForm):
    name = StringField(_l("Your full name"), validators=[DataRequired(), Length(max=200)],
                       render_kw={"autocomplete": "name", "dir": "auto"})
    organisation = StringField(_l("Your ministry or agency"), validators=[Length(max=200)],
                               description=_l("Shown beside your name to your colleagues, e.g. Ministry of Justice."),
                               render_kw={"autocomplete": "organization", "dir": "auto"})

    def personal_name(self) -> str:
        return self.name.data or ""
