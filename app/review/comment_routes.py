"""Comment threads on a response: the secretariat starts them, the State and the secretariat
reply, either side marks them resolved or reopens them. Nested under /cycles/<id>/states/<code>/
(app/state_pages.py), whose context says who may reach the response; a thread of another
response is not found."""
from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import format_number
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import db
from app.responses.access import request_context_with_response
from app.review import operations, queries
from app.review.forms import COMMENT_LENGTH, CommentForm, ReplyForm, ThreadStatusForm
from app.security import safe_next
from app.stash.pages import keep_for_page

bp = Blueprint("comments", __name__, url_prefix="/comments")


def _root(ctx, comment_id):
    root = queries.thread_root(ctx.response.id, comment_id)
    if root is None:
        abort(404)
    return root


def _refused(form, empty_message: str) -> str:
    """Why a comment or reply was refused: empty, or (posted around the page's limit) too long."""
    if (form.body.data or "").strip():
        return _("A comment can have at most %(max)s characters.", max=format_number(COMMENT_LENGTH))
    return empty_message


def _back(ctx, form, anchor=None):
    target = safe_next(form.next.data or request.args.get("next")) or url_for("state.answering.overview", cycle_id=ctx.cycle.id,
                                                   state_code=ctx.state.code)
    return redirect(target.split("#")[0] + (f"#thread-{anchor}" if anchor else ""))


@bp.route("/", methods=["POST"])
@login_required
def start():
    ctx = request_context_with_response()
    if not current_user.is_reviewer:
        abort(403)
    form = CommentForm()
    question_id = form.question_id.data or None
    if question_id is not None and question_id not in ctx.questionnaire.questions:
        abort(400)
    if not form.validate():
        flash(_refused(form, _("Write a comment before posting it.")), "error")
        return _back(ctx, form)
    comment = operations.start_thread(ctx.response, current_user, question_id, form.body.data)
    db.session.commit()
    flash(_("Your comment was posted."), "success")
    return _back(ctx, form, comment.id)


@bp.route("/<int:comment_id>/replies", methods=["POST"])
@login_required
def reply(comment_id):
    ctx = request_context_with_response()
    root = _root(ctx, comment_id)
    form = ReplyForm()
    # Posted with a section page's form (no JavaScript): its unsaved answers are kept for the page.
    keep_for_page(safe_next(request.args.get("next")), ignore=("body", "next"))
    if not form.validate():
        flash(_refused(form, _("Write a reply before posting it.")), "error")
        db.session.commit()  # the answers kept above
        return _back(ctx, form, root.id)
    operations.reply(ctx.response, root, current_user, form.body.data)
    db.session.commit()
    flash(_("Your reply was posted."), "success")
    return _back(ctx, form, root.id)


@bp.route("/<int:comment_id>/<any(resolve, reopen):action>", methods=["POST"])
@login_required
def set_status(comment_id, action):
    ctx = request_context_with_response()
    root = _root(ctx, comment_id)
    form = ThreadStatusForm()
    if not form.validate():
        abort(400)
    if operations.set_resolved(ctx.response, root, current_user, resolved=action == "resolve"):
        db.session.commit()
        flash(_("The comment was marked resolved.") if action == "resolve" else _("The comment was reopened."),
              "success")
    return _back(ctx, form, root.id)
