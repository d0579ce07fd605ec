"""Stored definitions as typed questionnaires, parsed once per process.

Versions are immutable once loaded, so caching by primary key is always correct.
"""
import hashlib
import json

from app.questionnaires.models import QuestionnaireVersion
from app.questionnaires.schema import Questionnaire, build_questionnaire

_cache: dict[tuple[int, str], Questionnaire] = {}


def checksum(canonical: dict) -> str:
    return hashlib.sha256(canonical_json(canonical).encode("utf-8")).hexdigest()


def canonical_json(canonical: dict, indent: int | None = None) -> str:
    return json.dumps(canonical, ensure_ascii=False, sort_keys=True, indent=indent)


def questionnaire_for(version: QuestionnaireVersion) -> Questionnaire:
    key = (version.id, version.checksum)
    if key not in _cache:
        _cache[key] = build_questionnaire(version.definition)
    return _cache[key]
