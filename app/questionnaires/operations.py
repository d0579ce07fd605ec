from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from app.extensions import db
from app.questionnaires.loader import DefinitionError, Problem, canonical, definition_files, load_definition
from app.questionnaires.models import QuestionnaireVersion
from app.questionnaires.schema import Questionnaire
from app.questionnaires.versions import checksum


@dataclass
class LoadResult:
    path: Path
    code: str
    version: int
    status: str  # "added" or "unchanged"


def validate_directory(directory: Path) -> tuple[list[tuple[Path, Questionnaire]], list[Problem]]:
    """Every definition in ``directory``: the valid ones and every problem of the others."""
    definitions, problems = [], []
    files = definition_files(directory)
    if not files:
        problems.append(Problem(str(directory), "", "no questionnaire definitions (*.yaml) found."))
    for path in files:
        try:
            definitions.append((path, load_definition(path)))
        except DefinitionError as error:
            problems.extend(error.problems)
    return definitions, problems


def store_definition(path: Path, questionnaire: Questionnaire) -> LoadResult:
    """Add a new version; an already loaded version must be identical (bump the version instead)."""
    definition = canonical(questionnaire)
    digest = checksum(definition)
    code, number = questionnaire.id, questionnaire.version
    existing = db.session.scalar(select(QuestionnaireVersion).filter_by(code=code, version=number))
    if existing is not None:
        if existing.checksum != digest:
            raise DefinitionError([Problem(
                str(path), "",
                f"version {number} of {code} is already loaded with different content; give the changed "
                "definition a new version number.",
            )])
        return LoadResult(path, code, number, "unchanged")
    db.session.add(QuestionnaireVersion(code=code, version=number, definition=definition, checksum=digest))
    db.session.flush()
    return LoadResult(path, code, number, "added")


def load_directory(directory: Path) -> list[LoadResult]:
    """Load every definition, all or nothing: one broken file stops the whole load."""
    definitions, problems = validate_directory(directory)
    if problems:
        raise DefinitionError(problems)
    return [store_definition(path, questionnaire) for path, questionnaire in definitions]


def latest_versions() -> list[QuestionnaireVersion]:
    versions = db.session.scalars(
        select(QuestionnaireVersion).order_by(QuestionnaireVersion.code, QuestionnaireVersion.version.desc())
    )
    latest: dict[str, QuestionnaireVersion] = {}
    for version in versions:
        latest.setdefault(version.code, version)
    return list(latest.values())
