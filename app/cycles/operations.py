from datetime import date

from sqlalchemy import select

from app.cycles.models import ReportingCycle
from app.extensions import db
from app.questionnaires.models import QuestionnaireVersion


class CycleError(ValueError):
    pass


def open_cycles() -> list[ReportingCycle]:
    return list(db.session.scalars(
        select(ReportingCycle).where(ReportingCycle.is_open).order_by(ReportingCycle.opens_on.desc())
    ))


def current_cycle() -> ReportingCycle | None:
    """The most recently opened cycle that is still open, else the most recent one."""
    cycles = open_cycles()
    if cycles:
        return cycles[0]
    return db.session.scalar(select(ReportingCycle).order_by(ReportingCycle.opens_on.desc()).limit(1))


def open_cycle(name: str, version: QuestionnaireVersion, opens_on: date, closes_on: date) -> ReportingCycle:
    if closes_on < opens_on:
        raise CycleError("The deadline must not be before the opening date.")
    if db.session.scalar(select(ReportingCycle).filter_by(name=name)):
        raise CycleError(f"A cycle named {name} already exists.")
    cycle = ReportingCycle(name=name, questionnaire_version=version, opens_on=opens_on, closes_on=closes_on)
    db.session.add(cycle)
    db.session.flush()
    return cycle
