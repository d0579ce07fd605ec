"""The secretariat's page of reporting cycles: open one for a questionnaire version with a
deadline, close it (States can no longer save or submit) or reopen it."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.auth.access import reviewer_required
from app.cycles import operations as ops
from app.cycles.forms import CycleStatusForm, open_cycle_form
from app.cycles.models import ReportingCycle
from app.extensions import db
from app.i18n import current_locale
from app.questionnaires.models import QuestionnaireVersion
from app.questionnaires.scope import Scope

bp = Blueprint("cycles", __name__, url_prefix="/cycles", template_folder="templates")


def _versions() -> list[QuestionnaireVersion]:
    return list(db.session.scalars(select(QuestionnaireVersion).order_by(
        QuestionnaireVersion.code, QuestionnaireVersion.version.desc())))


@bp.route("/", methods=["GET", "POST"])
@reviewer_required
def index():
    versions = _versions()
    form = open_cycle_form(versions, current_locale())
    if form.validate_on_submit():
        version = next(v for v in versions if v.id == form.version.data)
        try:
            scope = Scope(form.first_year.data, form.last_year.data, form.question_set.data)
            cycle = ops.open_cycle(form.name.data.strip(), version, form.opens_on.data, form.closes_on.data,
                                   by=current_user, scope=scope)
        except ops.CycleError as error:
            form[error.field].errors.append(str(error))
        else:
            db.session.commit()
            flash(_("The reporting cycle %(name)s is open.", name=cycle.name), "success")
            return redirect(url_for(".index"))
    return render_template("cycles/index.html", form=form, cycles=ops.all_cycles(), status_form=CycleStatusForm())


@bp.route("/<int:cycle_id>/<any(close, reopen):action>", methods=["POST"])
@reviewer_required
def set_status(cycle_id, action):
    cycle = db.session.get(ReportingCycle, cycle_id)
    if cycle is None:
        abort(404)
    if not CycleStatusForm().validate_on_submit():
        abort(400)
    ops.set_cycle_open(cycle, action == "reopen", current_user)
    db.session.commit()
    flash(_("The reporting cycle %(name)s is closed.", name=cycle.name) if action == "close"
          else _("The reporting cycle %(name)s is open again.", name=cycle.name), "success")
    return redirect(url_for(".index"))
