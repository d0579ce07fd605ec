from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from app.extensions import db
from app.questionnaires.loader import DefinitionError, Problem, definition_files, load_definition
from app.questionnaires.models import QuestionnaireVersion
from app.questionnaires.registry import checksum


@dataclass
class LoadResult:
    path: Path
    code: str
    version: int
    status: str  # "added" or "unchanged"


def validate_directory(directory: Path) -> tuple[list[dict], list[Problem]]:
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


def store_definition(path: Path, canonical: dict) -> LoadResult:
    """Add a new version; an already loaded version must be identical (bump the version instead)."""
    digest = checksum(canonical)
    existing = db.session.scalar(
        select(QuestionnaireVersion).filter_by(code=canonical["id"], version=canonical["version"])
    )
    if existing is not None:
        if existing.checksum != digest:
            raise DefinitionError([Problem(
                str(path), "",
                f"version {canonical['version']} of {canonical['id']} is already loaded with different "
                "content; give the changed definition a new version number.",
            )])
        return LoadResult(path, canonical["id"], canonical["version"], "unchanged")
    db.session.add(QuestionnaireVersion(code=canonical["id"], version=canonical["version"],
                                        definition=canonical, checksum=digest))
    db.session.flush()
    return LoadResult(path, canonical["id"], canonical["version"], "added")


def load_directory(directory: Path) -> list[LoadResult]:
    """Load every definition, all or nothing: one broken file stops the whole load."""
    definitions, problems = validate_directory(directory)
    if problems:
        raise DefinitionError(problems)
    return [store_definition(path, canonical) for path, canonical in definitions]


def latest_versions() -> list[QuestionnaireVersion]:
    versions = db.session.scalars(
        select(QuestionnaireVersion).order_by(QuestionnaireVersion.code, QuestionnaireVersion.version.desc())
    )
    latest: dict[str, QuestionnaireVersion] = {}
    for version in versions:
        latest.setdefault(version.code, version)
    return list(latest.values())
