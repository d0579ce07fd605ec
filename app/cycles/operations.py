from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.audit import record_event
from app.auth.models import User
from app.cycles.models import ReportingCycle
from app.extensions import db
from app.questionnaires.models import QuestionnaireVersion
from app.questionnaires.scope import DEFAULT_SCOPE, QUESTION_SETS, Scope
from app.questionnaires.versions import questionnaire_for


class CycleError(ValueError):
    def __init__(self, message: str, field: str = "name"):
        super().__init__(message)
        #: The field of the cycle form the message belongs to.
        self.field = field


#: Cycles are listed with their questionnaire version (its id, code and checksum; the definition
#: itself stays unread: app/questionnaires/versions.py).
WITH_VERSION = joinedload(ReportingCycle.questionnaire_version)


def open_cycles() -> list[ReportingCycle]:
    return list(db.session.scalars(
        select(ReportingCycle).options(WITH_VERSION).where(ReportingCycle.is_open)
        .order_by(ReportingCycle.opens_on.desc())
    ))


def all_cycles() -> list[ReportingCycle]:
    return list(db.session.scalars(
        select(ReportingCycle).options(WITH_VERSION).order_by(ReportingCycle.opens_on.desc(), ReportingCycle.id.desc())))


def current_cycle() -> ReportingCycle | None:
    """The most recently opened cycle that is still open, else the most recent one."""
    cycles = open_cycles()
    if cycles:
        return cycles[0]
    return db.session.scalar(select(ReportingCycle).options(WITH_VERSION).order_by(ReportingCycle.opens_on.desc())
                             .limit(1))


def open_cycle(name: str, version: QuestionnaireVersion, opens_on: date, closes_on: date,
               by: User | None = None, scope: Scope = DEFAULT_SCOPE) -> ReportingCycle:
    """Open a cycle of ``version`` for the reference period and question set of ``scope``."""
    if closes_on < opens_on:
        raise CycleError(_("The deadline must not be before the opening date."))
    _check_scope(version, scope)
    if db.session.scalar(select(ReportingCycle).filter_by(name=name)):
        raise CycleError(_("A cycle named %(name)s already exists.", name=name))
    cycle = ReportingCycle(name=name, questionnaire_version=version, opens_on=opens_on, closes_on=closes_on,
                           first_year=scope.first_year, last_year=scope.last_year, question_set=scope.question_set)
    db.session.add(cycle)
    db.session.flush()
    record_event("cycle_opened", user=by, details={
        "cycle": cycle.id, "name": name, "questionnaire": version.code, "version": version.version,
        "deadline": closes_on.isoformat(), "first_year": scope.first_year, "last_year": scope.last_year,
        "question_set": scope.question_set})
    return cycle


def _check_scope(version: QuestionnaireVersion, scope: Scope) -> None:
    if not (1900 <= scope.first_year <= scope.last_year < scope.first_year + 20):
        raise CycleError(_("The reference period must run from a first year to the same or a later year, "
                           "at most %(n)d years in all.", n=20), "last_year")
    if scope.question_set not in QUESTION_SETS:
        raise CycleError(_("Choose the full questionnaire or the core set."), "question_set")
    if scope.core_only and not questionnaire_for(version).has_core_set:
        raise CycleError(_("This questionnaire version marks no question as core: open the cycle with the full "
                           "questionnaire."), "question_set")


def set_cycle_open(cycle: ReportingCycle, is_open: bool, by: User) -> None:
    """Close a cycle (States can no longer save or submit) or open it again."""
    cycle.is_open = is_open
    db.session.flush()
    record_event("cycle_reopened" if is_open else "cycle_closed", user=by, details={"cycle": cycle.id})
