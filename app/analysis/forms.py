"""Choices of the analysis pages. They only read data, so they travel in the query string
(GET, no CSRF token needed) and can be bookmarked or shared among the secretariat."""
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, RadioField, SelectField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from app.analysis.names import by_name
from app.analysis.regions import geoscheme
from app.extensions import db
from app.i18n import LANGUAGE_NAMES
from app.states.models import State
from app.states.names import member_state_codes, state_name

PUBLIC, DECIDED = "public", "decided"


def region_choices(locale: str) -> list[SelectChoice]:
    """Every region, indented under the one it belongs to."""
    return [SelectChoice("", str(_l("All regions")))] + [
        SelectChoice(region.code, "\u2003" * region.depth + region.text(locale)) for region in geoscheme().regions
    ]


def state_choices(locale: str) -> list[SelectChoice]:
    rows = db.session.execute(select(State.code, State.alpha2))
    return by_name((SelectChoice(code, state_name(alpha2, locale)) for code, alpha2 in rows), lambda c: c.label, locale)


class ExportForm(FlaskForm):
    """What to export; read from the query string."""

    class Meta:
        csrf = False

    audience = RadioField(_l("Data"), default=DECIDED, choices=[
        SelectChoice(DECIDED, _l("Accepted and published responses, with confidential answers (for the secretariat)")),
        SelectChoice(PUBLIC, _l("Public data: published responses, without confidential answers")),
    ])
    include_submitted = BooleanField(_l("Also include submitted responses that are not yet accepted"))
    region = SelectField(_l("Region"), validators=[Optional()])
    states = SelectMultipleField(_l("Only these States"), validators=[Optional()], render_kw={"size": 8})
    lang = SelectField(_l("Language of the labels"))

    @classmethod
    def for_locale(cls, locale: str, formdata) -> "ExportForm":
        form = cls(formdata=formdata, lang=locale)
        form.region.choices = region_choices(locale)
        form.states.choices = state_choices(locale)
        form.lang.choices = [SelectChoice(code, LANGUAGE_NAMES[code]) for code in current_app.config["LANGUAGES"]]
        return form

    def selected_states(self) -> tuple[str, ...] | None:
        """The States chosen by name or by region; None for all of them."""
        if self.states.data:
            return tuple(self.states.data)
        if self.region.data:
            return tuple(code for code in member_state_codes() if geoscheme().contains(self.region.data, code))
        return None


class ReminderForm(FlaskForm):
    """The dashboard's "send reminder" button: a POST with its CSRF token and nothing else."""
