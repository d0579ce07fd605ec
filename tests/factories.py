"""Objects for tests, created through the app's own operations."""
from datetime import date, timedelta
from functools import lru_cache
from itertools import count

import pyotp
from sqlalchemy import select, update

from app.auth.models import User
from app.auth.passwords import hash_password
from app.cycles.models import ReportingCycle
from app.database import utcnow
from app.extensions import db
from app.questionnaires.models import QuestionnaireVersion

PASSWORD = "correct horse battery staple"
#: A SECRET_KEY the production configuration accepts.
PRODUCTION_SECRET = "production-secret-for-tests-0123456789abcdef"
#: The TOTP secret of the accounts made here (every role must use 2FA).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
_serial = count(1)


@lru_cache(maxsize=4)
def _hash(password: str) -> str:
    """Argon2 is slow on purpose; hash each test password once per run."""
    return hash_password(password)


def user(role: str = "focal_point", state: str | None = "FRA", password: str = PASSWORD,
         two_factor: bool | None = None, **fields) -> User:
    """A user, enrolled in two-factor authentication with ``TOTP_SECRET`` as every role must be,
    unless ``two_factor=False`` (an account that has yet to enrol)."""
    if role in ("secretariat", "admin"):
        state = None
    if two_factor is not False:
        fields.update(totp_secret=TOTP_SECRET, totp_confirmed_at=utcnow())
    account = User(email=fields.pop("email", f"{role}{next(_serial)}@example.org"), role=role, state_code=state,
                   password_hash=_hash(password), name=fields.pop("name", f"{role.title()} {state or ''}".strip()),
                   **fields)
    db.session.add(account)
    db.session.commit()
    return account


def enrolled(account: User) -> User:
    """``account`` with two-factor authentication on, with ``TOTP_SECRET``."""
    account.totp_secret, account.totp_confirmed_at = TOTP_SECRET, utcnow()
    db.session.commit()
    return account


def totp_code(account: User) -> str:
    """A valid two-factor code for ``account``, which forgets the last step it used so that
    tests may log the same user in several times within 30 seconds. Its transaction starts
    afresh: on SQLite, one that read before another app's request wrote could not write."""
    db.session.commit()
    db.session.execute(update(User).where(User.id == account.id).values(totp_last_step=None))
    db.session.commit()
    return pyotp.TOTP(account.totp_secret or TOTP_SECRET).now()


def questionnaire_version(code: str = "test-questionnaire") -> QuestionnaireVersion:
    return db.session.scalar(select(QuestionnaireVersion).filter_by(code=code).order_by(
        QuestionnaireVersion.version.desc()))


def cycle(name: str = "2026", version: QuestionnaireVersion | None = None, is_open: bool = True,
          first_year: int = 2021, last_year: int = 2025, question_set: str = "full") -> ReportingCycle:
    record = ReportingCycle(name=name, questionnaire_version=version or questionnaire_version(),
                            opens_on=date.today() - timedelta(days=10), closes_on=date.today() + timedelta(days=60),
                            is_open=is_open, first_year=first_year, last_year=last_year, question_set=question_set)
    db.session.add(record)
    db.session.commit()
    return record


#: The workflow steps that bring a new response to each status.
STEPS = {"draft": (), "submitted": ("submit",), "accepted": ("submit", "accept"),
         "published": ("submit", "accept", "publish")}


def response(state: str, cycle: ReportingCycle, answers: dict, status: str = "draft",
             confidential: frozenset[str] = frozenset()):
    """A State's response with ``answers``, moved through the workflow to ``status``."""
    from app.responses import operations as ops
    from app.responses.models import Response
    from app.responses.workflow import Action
    from app.states.models import State

    focal = user("focal_point", state)
    reviewer = user("secretariat")
    ops.create_response(db.session.get(State, state), cycle, focal, answers, set(confidential))
    record = db.session.scalar(select(Response).filter_by(state_code=state, cycle_id=cycle.id))
    for step in STEPS[status]:
        ops.change_status(record, Action(step), focal if step == "submit" else reviewer)
    db.session.commit()
    return record
