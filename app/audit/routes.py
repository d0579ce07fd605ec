"""The secretariat's view of the audit log, filtered by user, event type and date."""
from datetime import date, datetime, time, timedelta, timezone

from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from wtforms import DateField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, ValidationError

from app.audit.labels import EVENT_LABELS, event_label
from app.audit.models import AuditEvent
from app.auth.access import reviewer_required
from app.auth.models import User
from app.extensions import db
from app.security import query_integer

bp = Blueprint("audit", __name__, url_prefix="/audit", template_folder="templates")

PAGE_SIZE = 100


#: The days a filter may name: the log holds nothing earlier, and the day after the last must exist.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(9998, 12, 31)


def _plausible_day(form, field) -> None:
    if field.data and not FIRST_DAY <= field.data <= LAST_DAY:
        raise ValidationError(_l("Enter a date between %(first)s and %(last)s.", first=FIRST_DAY.isoformat(),
                                 last=LAST_DAY.isoformat()))


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    user = StringField(_l("User (e-mail)"), validators=[Optional(), Length(max=254)])
    event_type = SelectField(_l("Event"), validators=[Optional()], validate_choice=False)
    state = StringField(_l("State (ISO code)"), validators=[Optional(), Length(min=3, max=3)])
    date_from = DateField(_l("From"), validators=[Optional(), _plausible_day])
    date_to = DateField(_l("To"), validators=[Optional(), _plausible_day])


def _day_start(day) -> datetime:
    return datetime.combine(day, time(), tzinfo=timezone.utc)


def _filters(form: AuditFilterForm) -> list:
    conditions = []
    if form.user.data:
        conditions.append(AuditEvent.user.has(User.email.contains(form.user.data.strip().lower(), autoescape=True)))
    if form.event_type.data:
        conditions.append(AuditEvent.event_type == form.event_type.data)
    if form.state.data:
        conditions.append(AuditEvent.state_code == form.state.data.strip().upper())
    if form.date_from.data:
        conditions.append(AuditEvent.occurred_at >= _day_start(form.date_from.data))
    if form.date_to.data:
        conditions.append(AuditEvent.occurred_at < _day_start(form.date_to.data + timedelta(days=1)))
    return conditions


@bp.route("/")
@reviewer_required
def events():
    form = AuditFilterForm(request.args)
    recorded = db.session.scalars(select(AuditEvent.event_type).distinct()).all()
    types = sorted(set(recorded) | set(EVENT_LABELS), key=event_label)
    form.event_type.choices = [SelectChoice("", _l("All events"))] + [
        SelectChoice(value, event_label(value)) for value in types]
    query = select(AuditEvent).options(joinedload(AuditEvent.user)).order_by(AuditEvent.id.desc())
    valid = form.validate()
    if valid:
        query = query.where(*_filters(form))
    before = request.args.get("before", type=query_integer)
    if before:
        query = query.where(AuditEvent.id < before)
    rows = db.session.scalars(query.limit(PAGE_SIZE + 1)).all()
    older = {**request.args.to_dict(), "before": rows[PAGE_SIZE - 1].id} if len(rows) > PAGE_SIZE else None
    return render_template("audit/events.html", form=form, events=rows[:PAGE_SIZE], older=older,
                           event_label=event_label), 200 if valid or not request.args else 400
