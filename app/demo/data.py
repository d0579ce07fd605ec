"""Demo data: a few States at each step of the workflow, with a focal point each; two of them
published (one writing in Arabic), so that the public pages are never empty on a fresh run."""
from datetime import date, timedelta

from sqlalchemy import select

from app.auth.models import User
from app.auth.operations import create_user, find_user_by_email
from app.auth.twofactor import DEMO_SECRET
from app.cycles.models import ReportingCycle, cycle_questionnaire
from app.cycles.operations import open_cycle
from app.database import utcnow
from app.extensions import db
from app.questionnaires.answers import table_cell
from app.questionnaires.checks import judged_answers
from app.questionnaires.consistency import broken
from app.questionnaires.operations import latest_versions
from app.questionnaires.schema import Question, Questionnaire
from app.questionnaires.types.samples import SAMPLE_TEXT
from app.responses import operations as ops
from app.responses.models import Response
from app.responses.workflow import Action
from app.review.operations import accept_response, publish_response, return_response
from app.states.models import State
from app.states.operations import sync_member_states

DEMO_PASSWORD = "tip-demo-2026!"
DEMO_CYCLE = "2026"
#: (State, language of its focal point, where its response stands).
DEMO_STATES = (
    ("ARG", "es", "accepted"),
    ("FRA", "fr", "submitted"),
    ("KEN", "en", "returned"),
    ("PHL", "en", "draft"),
    ("EGY", "ar", "draft"),
    ("CHN", "zh", "not_started"),
    ("SWE", "en", "published"),
    ("JOR", "ar", "published"),
)
#: What the published States answer in their own words, beyond the generic samples: the key
#: facts of their public pages (a State writing in Arabic has every text answer in Arabic).
PLAN_IN_FORCE = {"coord_body": "yes", "coord_plan": "in_force", "coord_plan_start": 2024, "coord_plan_end": 2027}
OWN_ANSWERS = {
    "SWE": {**PLAN_IN_FORCE,
            "coord_body_name": "Swedish Gender Equality Agency (national coordinator against prostitution and "
                               "trafficking in human beings)",
            "coord_plan_title": "National action plan to combat prostitution and trafficking in human beings"},
    "JOR": {**PLAN_IN_FORCE, "coord_body_name": "اللجنة الوطنية لمنع الاتجار بالبشر",
            "coord_plan_title": "الاستراتيجية الوطنية لمنع الاتجار بالبشر"},
}
ARABIC_TEXT = ("قانون منع الاتجار بالبشر رقم 9 لسنة 2009 وتعديلاته، المواد من 3 إلى 9؛ "
               "وتتولى تنفيذه اللجنة الوطنية لمنع الاتجار بالبشر.")
ARABIC_LAW_TITLE = "قانون منع الاتجار بالبشر رقم 9 لسنة 2009"


class DemoError(RuntimeError):
    pass


def _same_totals(questionnaire: Questionnaire, question: Question, table: dict, answers: dict) -> dict:
    """``table`` with each year's total equal to the other table's, as a ``same_totals`` check
    asks (victims by sex and age, and by form of exploitation), spread evenly over the parts."""
    for check in question.checks:
        if check.kind != "same_totals" or check.question not in answers:
            continue
        theirs = questionnaire.questions[check.question].total_column.id
        mine = question.total_column.id
        parts = [column.id for column in question.columns if not column.total_of]
        table = {}
        for row in question.rows:
            total = table_cell(answers[check.question], row.id, theirs)
            if total is not None:
                share, rest = divmod(total, len(parts))
                table[row.id] = {part: share + (n < rest) for n, part in enumerate(parts)} | {mine: total}
    return table


def _read_by(questionnaire: Questionnaire, rule) -> list[str]:
    """The questions a consistency rule reads, a classification standing for its inputs."""
    classifications = {c.id: c for c in questionnaire.classifications}
    return [qid for read in rule.questions()
            for qid in (classifications[read].questions() if read in classifications else [read])]


def _consistent(questionnaire: Questionnaire, answers: dict) -> dict:
    """The sample answers without what breaks a consistency rule: for each rule broken, the
    answers it reads are left empty from the last one (those other questions depend on last)
    until the rule holds no more (an unknown result reports nothing)."""
    parents = {q.condition.question for q in questionnaire.questions.values() if q.condition}
    answers = dict(answers)
    for rule in questionnaire.consistency:
        read = list(dict.fromkeys(_read_by(questionnaire, rule)))
        candidates = [qid for qid in read if qid in parents] + [qid for qid in read if qid not in parents]
        while candidates and broken(rule, judged_answers(questionnaire, answers), questionnaire.scope):
            answers.pop(candidates.pop(), None)
    return {qid: v for qid, v in answers.items() if questionnaire.applies(questionnaire.questions[qid], answers)}


def sample_answers(questionnaire: Questionnaire, share: float = 1.0, variant: int = 0,
                   given: dict | None = None) -> dict:
    """Plausible answers to every question that applies; ``share`` < 1 leaves the rest empty;
    another ``variant`` answers otherwise (the benchmark varies it by State); ``given`` answers
    some questions in words of their own (their follow-ups apply as those answers say)."""
    questions = [q for s in questionnaire.sections for q in s.questions]
    answers, given = {}, given or {}
    for index, question in enumerate(questions[: max(1, int(len(questions) * share))]):
        answers[question.id] = given.get(question.id, question.answer_type.sample(question, index, variant))
        if any(check.kind == "same_totals" for check in question.checks):
            answers[question.id] = _same_totals(questionnaire, question, answers[question.id], answers)
    answers = {qid: v for qid, v in answers.items() if questionnaire.applies(questionnaire.questions[qid], answers)}
    return _consistent(questionnaire, answers) if questionnaire.consistency else answers


def _in_arabic(value):
    """A sample answer as a State writing in Arabic gives it: its text, and its laws' titles."""
    if isinstance(value, str) and value and SAMPLE_TEXT.startswith(value):
        return ARABIC_TEXT[: len(value)]
    if isinstance(value, list) and value and all(isinstance(item, dict) and "title" in item for item in value):
        return [{**item, "title": ARABIC_LAW_TITLE} for item in value]
    return value


def own_answers(questionnaire: Questionnaire, code: str, language: str) -> dict:
    """Every answer of a demo State, in its language where it writes one (Arabic or the samples'
    English), with its own words for the key facts."""
    answers = sample_answers(questionnaire, given=OWN_ANSWERS.get(code))
    if language == "ar":
        answers = {qid: _in_arabic(value) for qid, value in answers.items()}
    return answers


def _response_at(state: State, cycle: ReportingCycle, status: str, focal: User, reviewer: User,
                 questionnaire: Questionnaire) -> None:
    if status == "not_started":
        return
    ops.create_response(state, cycle, focal, sample_answers(questionnaire, 0.3))
    response = db.session.scalar(select(Response).filter_by(state_code=state.code, cycle_id=cycle.id))
    if status == "draft":
        return
    ops.save_answers(response, focal, own_answers(questionnaire, state.code, focal.locale))
    ops.change_status(response, Action.SUBMIT, focal)
    if status in ("accepted", "published"):
        accept_response(response, reviewer)
    if status == "published":
        publish_response(response, reviewer)
    elif status == "returned":
        first = questionnaire.sections[0].questions[0]
        return_response(response, reviewer,
                        "Thank you. Please cite the article of the law for each offence and update the figures.",
                        {first.id: "Which article of the law establishes this?"})


def create_demo() -> list[tuple[str, str, str]]:
    """Create the demo once; return the logins (e-mail, role, State) either way."""
    sync_member_states()
    logins = [("secretariat@example.org", "secretariat", ""), ("admin@example.org", "admin", "")]
    logins += [(f"focal.{code.lower()}@example.org", "focal_point", code) for code, _, _ in DEMO_STATES]
    logins.append(("contributor.ken@example.org", "contributor", "KEN"))
    if find_user_by_email("secretariat@example.org") is not None:
        _enrol_demo_accounts(logins)  # demo data made before every account had to enrol
        return logins
    versions = latest_versions()
    if not versions:
        raise DemoError("No questionnaire is loaded; run `flask --app wsgi questionnaires load` first.")
    version = next((v for v in versions if v.code == "tip-protocol"), versions[0])
    cycle = db.session.scalar(select(ReportingCycle).filter_by(name=DEMO_CYCLE)) or open_cycle(
        DEMO_CYCLE, version, date.today() - timedelta(days=30), date.today() + timedelta(days=90))
    questionnaire = cycle_questionnaire(cycle)
    secretariat = create_user("secretariat@example.org", DEMO_PASSWORD, "secretariat", name="Secretariat officer")
    admin = create_user("admin@example.org", DEMO_PASSWORD, "admin", name="Platform administrator")
    for code, language, status in DEMO_STATES:
        focal = create_user(f"focal.{code.lower()}@example.org", DEMO_PASSWORD, "focal_point", code,
                            name=f"Focal point {code}")
        focal.locale = language
        _response_at(db.session.get(State, code), cycle, status, focal, secretariat, questionnaire)
    create_user("contributor.ken@example.org", DEMO_PASSWORD, "contributor", "KEN", name="Contributor KEN")
    _enrol_demo_accounts(logins)
    return logins


def _enrol_demo_accounts(logins) -> None:
    """Every demo account uses two-factor authentication with the published demo secret, which
    production refuses (app/auth/twofactor.py)."""
    for email, _role, _state in logins:
        user = find_user_by_email(email)
        if user is not None and not user.two_factor_enabled:
            user.totp_secret, user.totp_confirmed_at = DEMO_SECRET, utcnow()
    db.session.flush()
