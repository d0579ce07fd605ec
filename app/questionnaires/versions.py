"""Stored definition versions as typed questionnaires, each parsed once per process.

A version never changes once loaded, so a questionnaire is cached by its version's id and
checksum, and its definition column (about 900 KB of JSON for the Protocol questionnaire) is read
only on the first use: the column is deferred, and queries that need a questionnaire select the
version's id and checksum only (``questionnaire_of``)."""
import hashlib
import json

from sqlalchemy import select

from app.extensions import db
from app.questionnaires.loader import from_canonical
from app.questionnaires.models import QuestionnaireVersion
from app.questionnaires.schema import Questionnaire

_parsed: dict[tuple[int, str], Questionnaire] = {}


def canonical_json(canonical: dict, indent: int | None = None) -> str:
    return json.dumps(canonical, ensure_ascii=False, sort_keys=True, indent=indent)


def checksum(canonical: dict) -> str:
    return hashlib.sha256(canonical_json(canonical).encode("utf-8")).hexdigest()


def questionnaire_of(version_id: int, version_checksum: str) -> Questionnaire:
    """The questionnaire of a stored version; its definition is read and parsed on first use only."""
    key = (version_id, version_checksum)
    questionnaire = _parsed.get(key)
    if questionnaire is None:
        definition = db.session.scalar(select(QuestionnaireVersion.definition).where(QuestionnaireVersion.id == version_id))
        questionnaire = _parsed[key] = from_canonical(definition)
    return questionnaire


def questionnaire_for(version: QuestionnaireVersion) -> Questionnaire:
    return questionnaire_of(version.id, version.checksum)
