"""The secretariat's view of the questionnaire versions: the questions, by provision and obligation."""
from flask import Blueprint, abort, render_template, request
from sqlalchemy import select

from app.auth.access import reviewer_required
from app.extensions import db
from app.questionnaires.models import QuestionnaireVersion
from app.questionnaires.provisions import OBLIGATION_LABELS, cited_paragraphs, questions_on
from app.questionnaires.scope import DEFAULT_SCOPE, scoped
from app.questionnaires.versions import questionnaire_for

bp = Blueprint("questionnaires", __name__, url_prefix="/questionnaires", template_folder="templates")


@bp.route("/")
@reviewer_required
def index():
    versions = db.session.scalars(select(QuestionnaireVersion).order_by(
        QuestionnaireVersion.code, QuestionnaireVersion.version.desc())).all()
    return render_template("questionnaires/index.html",
                           questionnaires=[(version, questionnaire_for(version)) for version in versions])


@bp.route("/<code>/<int:version>/")
@reviewer_required
def questions(code, version):
    record = db.session.scalar(select(QuestionnaireVersion).filter_by(code=code, version=version))
    if record is None:
        abort(404)
    # Shown as a cycle of the default period would ask it: texts name years, tables have rows.
    questionnaire = scoped(questionnaire_for(record), DEFAULT_SCOPE)
    paragraphs = cited_paragraphs(questionnaire)
    key = request.args.get("provision") if request.args.get("provision") in paragraphs else None
    obligation = request.args.get("obligation") if request.args.get("obligation") in OBLIGATION_LABELS else None
    return render_template(
        "questionnaires/questions.html", record=record, questionnaire=questionnaire, paragraphs=paragraphs,
        obligations=OBLIGATION_LABELS, key=key, obligation=obligation,
        questions=questions_on(questionnaire, key, obligation),
    )
