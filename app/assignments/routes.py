"""The page where a focal point gives sections to the State's contributors; everyone of the
State (and the secretariat) can read it. Nested under /cycles/<id>/states/<code>/
(app/state_pages.py)."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from app.assignments import operations as ops
from app.assignments.forms import FIELD_PREFIX, assignments_form
from app.auth.models import Role
from app.extensions import db
from app.responses.access import request_context

bp = Blueprint("assignments", __name__, url_prefix="/assignments", template_folder="templates")


def _may_assign(ctx) -> bool:
    """The focal point of this State (the request's context only reaches one's own State)."""
    return current_user.role_enum is Role.FOCAL_POINT and ctx.cycle.is_open


@bp.route("/", methods=["GET", "POST"])
@login_required
def edit():
    ctx = request_context()
    members = ops.state_members(ctx.state.code)
    assigned = ops.assignments_of(ctx.cycle.id, ctx.state.code)
    form = assignments_form(ctx.questionnaire, members, assigned,
                            formdata=request.form if request.method == "POST" else None)
    if request.method == "POST":
        if not _may_assign(ctx):
            abort(403)
        if not form.validate():
            abort(400)
        changed = ops.set_assignments(current_user, ctx.cycle.id, ctx.questionnaire, form.wanted())
        db.session.commit()
        flash(ngettext("%(num)d assignment was changed.", "%(num)d assignments were changed.", changed)
              if changed else _("There were no changes to save."), "success")
        return redirect(url_for(".edit", cycle_id=ctx.cycle.id, state_code=ctx.state.code))
    return render_template("assignments/edit.html", ctx=ctx, form=form, members=members, assigned=assigned,
                           may_assign=_may_assign(ctx), field_prefix=FIELD_PREFIX)
