"""The heartbeat endpoint (JSON, POST with the CSRF header that ``TIP.fetch`` sends) and the
list of people editing (GET), for the section and overview pages. Nested under
/cycles/<id>/states/<code>/ (app/state_pages.py)."""
from flask import Blueprint, abort, jsonify, request
from flask_login import current_user, login_required

from app.extensions import db
from app.presence import operations as ops
from app.responses.access import request_context

bp = Blueprint("presence", __name__, url_prefix="/presence", template_folder="templates")


def _editing(ctx):
    return jsonify(editing=ops.editing_entries(ops.editors(ctx.cycle.id, ctx.state.code, current_user)))


@bp.route("/", methods=["GET"])
@login_required
def current():
    return _editing(request_context())


@bp.route("/", methods=["POST"])
@login_required
def beat():
    """``{"section": id}`` renews the user's presence; ``"leaving": true`` ends it. Only the
    State's own users edit, so only they are shown."""
    ctx = request_context()
    if not current_user.role_enum.is_state_bound:
        abort(403)
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):  # not JSON, or JSON but not an object
        abort(400)
    section_id = payload.get("section")
    if not isinstance(section_id, str) or ctx.questionnaire.section(section_id) is None:
        abort(400)
    if payload.get("leaving"):
        ops.leave(current_user, ctx.cycle.id, ctx.state.code, section_id)
    else:
        ops.heartbeat(current_user, ctx.cycle.id, ctx.state.code, section_id)
    db.session.commit()
    return _editing(ctx)
