"""The offline workbook of a State's questionnaire: download it, upload one or several filled-in
copies, see what would change, confirm. And the State's own answers as CSV. Nested under
/cycles/<id>/states/<code>/ (app/state_pages.py), which loads the context."""
import re

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app.database import retrying
from app.extensions import db
from app.i18n import current_locale
from app.responses import merge
from app.responses import operations as ops
from app.responses.access import can_edit, request_context
from app.responses.prefill import accepted_source
from app.responses.workflow import Action, may
from app.workbooks import importing
from app.workbooks.build import build_workbook
from app.workbooks.forms import ImportForm, UploadForm
from app.workbooks.own_copy import answers_csv
from app.workbooks.reading import MAX_BYTES, Refused, read_workbook

bp = Blueprint("workbooks", __name__, template_folder="templates")
#: How long a preview may be confirmed.
PLAN_MAX_AGE = 24 * 3600
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: A file name sent back to the browser: letters, digits and a few signs.
UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def _states(ctx) -> dict:
    return ops.current_states(ctx.response) if ctx.response else {}


def _file_name(ctx, extension: str) -> str:
    return UNSAFE_NAME.sub("-", f"{ctx.state.code}-{ctx.cycle.name}-{current_locale()}") + extension


def _overview(ctx):
    return redirect(url_for("state.answering.overview", cycle_id=ctx.cycle.id, state_code=ctx.state.code))


@bp.route("/workbook.xlsx")
@login_required
def download():
    ctx = request_context()
    data = build_workbook(ctx, _states(ctx), current_locale())
    return Response(data, mimetype=XLSX, headers={
        "Content-Disposition": f'attachment; filename="{_file_name(ctx, ".xlsx")}"', "Cache-Control": "no-store"})


@bp.route("/answers.csv")
@login_required
def answers():
    ctx = request_context()
    headers = [_("Number"), _("Question id"), _("Question"), _("Table row"), _("Table column"), _("Answer")]
    text = answers_csv(ctx.questionnaire, ops.values_of(_states(ctx)), current_locale(), headers)
    return Response(text, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{_file_name(ctx, ".csv")}"', "Cache-Control": "no-store"})


def _editable(ctx):
    """403 for those who may never edit; back to the overview, with why, when this response cannot be now."""
    if can_edit(ctx, current_user):
        if ctx.response is None and accepted_source(ctx.state.code, ctx.cycle):
            flash(_("Start this cycle's response first: it begins with the answers your State gave before."), "info")
            return _overview(ctx)
        return None
    if not may(current_user.role_enum, Action.SAVE) or not ctx.cycle.is_open:
        abort(403)
    flash(_("This response cannot be changed in its current status."), "error")
    return _overview(ctx)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="workbook-import")


def _plan_token(ctx, plan) -> str:
    return _serializer().dumps({"user": current_user.id, "state": ctx.state.code, "cycle": ctx.cycle.id,
                                "plan": plan.payload()})


def _read_plan(ctx, token: str):
    try:
        data = _serializer().loads(token, max_age=PLAN_MAX_AGE)
    except BadSignature:
        return None
    if (data["user"], data["state"], data["cycle"]) != (current_user.id, ctx.state.code, ctx.cycle.id):
        return None
    return importing.Plan.from_payload(data["plan"])


@bp.route("/workbook/import", methods=["GET", "POST"])
@login_required
def upload():
    ctx = request_context()
    if (refusal := _editable(ctx)) is not None:
        return refusal
    form = UploadForm()
    if not form.validate_on_submit():
        return render_template("workbooks/upload.html", ctx=ctx, form=form, refused=[], max_mb=MAX_BYTES // 2**20), (
            422 if request.method == "POST" else 200)
    reads, refused = [], []
    for upload in form.files.data:
        try:
            reads.append(read_workbook(ctx, upload.filename or "?", upload.read(MAX_BYTES + 1)))
        except Refused as error:
            refused.append(str(error))
    if refused or not reads:
        return render_template("workbooks/upload.html", ctx=ctx, form=form, refused=refused,
                               max_mb=MAX_BYTES // 2**20), 422
    states = _states(ctx)
    plan = importing.plan_import(ctx.questionnaire, reads, states)
    importing.drop_unchanged_since_download(ctx.response, plan, states)
    return _preview(ctx, plan, states)


def _preview(ctx, plan, states, conflicts=None, unsettled=(), status=200):
    if conflicts is None:
        conflicts = importing.conflicts(ctx.response, plan, states)
    questions = ctx.questionnaire.questions
    return render_template(
        "workbooks/preview.html", ctx=ctx, plan=plan, questions=questions, states=states,
        conflicts={c.question_id: c for c in conflicts}, unsettled=set(unsettled),
        form=ImportForm(plan=_plan_token(ctx, plan)),
        changes=[questions[qid] for qid in sorted(plan.values, key=lambda q: _order(ctx, q))],
        problems=sorted(plan.problems, key=lambda p: _order(ctx, p[1]))), status


def _order(ctx, qid):
    return tuple(int(part) for part in ctx.questionnaire.questions[qid].number.split(".") if part.isdigit())


def _choices(conflicts) -> tuple[set[str], dict[str, int], list[str]]:
    """(answers to keep as they stand, the revision of those to overwrite, conflicts not settled)."""
    theirs, seen, unsettled = set(), {}, []
    for conflict in conflicts:
        choice = request.form.get(f"resolve_{conflict.question_id}")
        if choice == "theirs":
            theirs.add(conflict.question_id)
        elif choice == "mine" and request.form.get(f"seen_{conflict.question_id}", "").isdigit():
            seen[conflict.question_id] = int(request.form[f"seen_{conflict.question_id}"])
        else:
            unsettled.append(conflict.question_id)
    return theirs, seen, unsettled


@bp.route("/workbook/import/confirm", methods=["POST"])
@login_required
def confirm():
    ctx = request_context()
    if (refusal := _editable(ctx)) is not None:
        return refusal
    form = ImportForm()
    plan = _read_plan(ctx, form.plan.data or "") if form.validate_on_submit() else None
    if plan is None:
        flash(_("This preview has expired or was altered: upload the workbooks again."), "error")
        return redirect(url_for(".upload", cycle_id=ctx.cycle.id, state_code=ctx.state.code))
    try:
        outcome = retrying(lambda: _import_once(ctx, plan))
    except ops.ResponseLocked:
        db.session.rollback()
        flash(_("This response cannot be changed in its current status."), "error")
        return _overview(ctx)
    if isinstance(outcome, tuple):  # conflicts to settle first
        states, conflicts, unsettled = outcome
        flash(_("Choose which answer to keep for each conflict."), "error")
        return _preview(ctx, plan, states, conflicts, unsettled, status=409)
    count = len(outcome.saved)
    flash(ngettext("%(num)d answer was imported.", "%(num)d answers were imported.", count) if count
          else _("There were no changes to save."), "success")
    return _overview(ctx)


def _import_once(ctx, plan):
    """One try: lock, check the conflicts are settled, store, commit."""
    states, theirs, seen = None, set(), {}
    if ctx.response is not None:
        response, states = merge.locked_states(ctx.response)
        conflicts = importing.conflicts(response, plan, states)
        theirs, seen, unsettled = _choices(conflicts)
        if unsettled:
            db.session.rollback()
            return states, conflicts, unsettled
    outcome = importing.import_plan(ctx, current_user, plan, theirs, seen, current=states)
    if outcome.conflicts:  # changed again on the platform since the preview
        db.session.rollback()
        states = _states(ctx)
        return states, importing.conflicts(ctx.response, plan, states), [c.question_id for c in outcome.conflicts]
    db.session.commit()
    return outcome
