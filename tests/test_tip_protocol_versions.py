"""Version 3 of the Protocol questionnaire next to version 2, which is archived unchanged: cycles
opened on version 2 keep their definition, and a State's version 2 answers carry over to version 3
wherever a question kept its id (prefill matches answers by id and type)."""
from pathlib import Path

import pytest

from app.questionnaires.loader import canonical, definition_files, load_definition
from app.questionnaires.types.number_table import DEFAULT_PERIOD, REFERENCE_YEARS

ROOT = Path(__file__).parent.parent
V2 = ROOT / "questionnaires" / "archive" / "tip-protocol-v2" / "questionnaire.yaml"
V3 = ROOT / "questionnaires" / "tip-protocol" / "questionnaire.yaml"
#: Option values version 3 no longer offers in a question that kept its id, and why.
DROPPED_VALUES = {
    # The Trust Fund is not an intergovernmental body: un_trust_fund, intergovernmental_bodies.
    ("coop_asset_use", "intergovernmental"),
}

#: Reads both versions of the 900 KB questionnaire.
pytestmark = pytest.mark.slow


def _questions(path: Path) -> dict[str, dict]:
    return {q["id"]: q for s in canonical(load_definition(path))["sections"] for q in s["questions"]}


def _values(question: dict) -> set[tuple[str, str]]:
    """Options, rows and columns; ``rows: reference_years`` are the years a cycle gives (those of
    version 2's tables in a cycle of the default period)."""
    return {(key, item.get("value", item.get("id"))) for key in ("options", "rows", "columns")
            for item in _listed(question.get(key))}


def _listed(items) -> list[dict]:
    if items == REFERENCE_YEARS:
        return [{"id": str(year)} for year in range(DEFAULT_PERIOD[0], DEFAULT_PERIOD[1] + 1)]
    return items or []


def test_version_2_is_archived_and_not_loaded_with_the_shipped_definitions():
    archived = load_definition(V2)
    assert (archived.id, archived.version) == ("tip-protocol", 2)
    assert len(_questions(V2)) == 330
    assert V2 not in definition_files(ROOT / "questionnaires")
    assert load_definition(V3).version == 3


def test_a_question_that_keeps_its_id_keeps_its_type_and_answers():
    old, new = _questions(V2), _questions(V3)
    kept = old.keys() & new.keys()
    assert {"crim_offence", "prot_privacy", "data_victims_sex_age", "coop_mla"} <= kept
    assert not [qid for qid in kept if old[qid]["type"] != new[qid]["type"]]
    dropped = {(qid, value) for qid in kept for _, value in _values(old[qid]) - _values(new[qid])}
    assert dropped == DROPPED_VALUES
