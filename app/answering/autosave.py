"""Replies to autosave (static/js/autosave.js): the section form, posted as by the Save button
and saved by the same rules (app/responses/saving.py), answered in JSON for the page to update
itself: the versions its fields now hold, messages beside answers, conflicts to settle, progress,
and the checks of the section's tables on the figures now stored (as the Save button shows them)."""
from flask import jsonify, render_template
from flask_babel import gettext as _

from app.answering.saving import conflict_message
from app.i18n import current_locale
from app.questionnaires.checks import findings_by_question
from app.responses import operations as ops


def _progress(answered: int, applicable: int) -> dict:
    return {"answered": answered, "total": applicable,
            "text": _("%(answered)d of %(total)d answered", answered=answered, total=applicable)}


def _message(save) -> str:
    if save.conflicts:
        return conflict_message(len(save.conflicts))
    if save.errors:
        return _("Some answers could not be saved: see the messages beside them.")
    return ""


def _findings(ctx, section, answers: dict, response_id) -> dict[str, str]:
    """The checks of each table of the section, as HTML ("" for a table without findings, so
    that the page clears what a corrected figure resolved)."""
    tables = [q for q in section.questions if q.rows]
    if not tables:
        return {}
    findings = findings_by_question(ctx.questionnaire, tables, answers, current_locale())
    confirmations = ops.confirmations_of(response_id) if findings and response_id else {}
    return {q.id: render_template("answering/_findings.html", findings=findings, question=q, editable=True,
                                  confirmations=confirmations) if q.id in findings else "" for q in tables}


def reply(ctx, section, save):
    """What the page needs after an autosave; 409 with conflicts, 422 with invalid answers."""
    answers = save.outcome.answers
    progress = ops.section_progress(ctx.questionnaire, answers)
    conflicts = {qid: render_template("answering/_conflict.html", ctx=ctx, conflict=conflict,
                                      question=ctx.questionnaire.questions[qid], attachments=save.attachments)
                 for qid, conflict in save.conflicts.items()}
    status = "conflict" if save.conflicts else "invalid" if save.errors else "saved"
    return jsonify(
        status=status, message=_message(save),
        revision=save.outcome.revision.number if save.outcome.revision else None,
        versions=save.versions, errors=save.errors, conflicts=conflicts,
        outdated=sorted(save.outcome.kept_theirs), findings=_findings(ctx, section, answers, save.response_id),
        progress={"section": _progress(*progress[section.id]), "overall": _progress(*ops.overall_progress(progress))},
    ), {"conflict": 409, "invalid": 422}.get(status, 200)
