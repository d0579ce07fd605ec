"""The definitions we ship (and the worked example in docs/) meet the authoring rules that the
loader alone does not enforce, and the Protocol questionnaire covers every required paragraph."""
import json
import re
import unicodedata
from pathlib import Path

import pytest

from app.questionnaires.checks import ERROR, question_findings
from app.questionnaires.coverage import TIP_REQUIRED, coverage, required_paragraphs
from app.questionnaires.loader import definition_files, from_canonical, load_definition
from app.questionnaires.loader import canonical as canonical_of
from app.questionnaires.schema import LANGUAGES
from app.questionnaires.validation import PLACEHOLDER

ROOT = Path(__file__).parent.parent
SHIPPED = ROOT / "questionnaires"
DEFINITIONS = definition_files(SHIPPED) + sorted((ROOT / "docs").glob("examples/*.yaml"))
#: The Protocol questionnaire (a missing file fails the tests below rather than skipping them).
TIP_PROTOCOL = SHIPPED / "tip-protocol" / "questionnaire.yaml"
#: The issue asks for at least this many questions in the Protocol questionnaire.
TIP_MINIMUM_QUESTIONS = 120
SCRIPTS = {"ar": "ARABIC", "zh": "CJK", "ru": "CYRILLIC", "en": "LATIN", "es": "LATIN", "fr": "LATIN"}


def _id(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.fixture(scope="module", params=DEFINITIONS, ids=_id)
def canonical(request):
    return canonical_of(load_definition(request.param))


def _texts(node, where="definition"):
    """Every six-language text in the canonical JSON, with where it is (``sections[data].title``)."""
    if isinstance(node, dict) and set(node) == set(LANGUAGES):
        yield where, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _texts(value, f"{where}.{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            name = (item.get("id") or item.get("value") or index) if isinstance(item, dict) else index
            yield from _texts(item, f"{where}[{name}]")


def _script_share(text: str, script: str) -> float | None:
    """Share of the letters of ``text`` written in ``script``; None when it has no letters."""
    letters = [ch for ch in PLACEHOLDER.sub("", text) if ch.isalpha()]  # {first_year} is no word
    if not letters:
        return None
    matching = [ch for ch in letters if unicodedata.name(ch, "").startswith(script)]
    return len(matching) / len(letters)


def test_every_question_has_a_source(canonical):
    bare = [q["id"] for s in canonical["sections"] for q in s["questions"] if not q["sources"]]
    assert not bare, f"questions without sources: {bare}"


def test_every_text_is_in_six_languages_in_the_right_script(canonical):
    problems = []
    for where, texts in _texts(canonical):
        for language, script in SCRIPTS.items():
            text = texts.get(language, "")
            share = _script_share(text, script)
            if not text.strip():
                problems.append(f"{where}: {language} is empty")
            elif share is not None and share < 0.5:
                problems.append(f"{where}: {language} is not mostly in {script} letters: {text[:60]!r}")
            elif language in ("es", "fr") and text == texts["en"] and len(text.split()) > 2:
                problems.append(f"{where}: {language} is the English text: {text[:60]!r}")
    assert not problems, "\n".join(problems[:20])


def test_ids_are_unique(canonical):
    sections = [s["id"] for s in canonical["sections"]]
    questions = [q["id"] for s in canonical["sections"] for q in s["questions"]]
    assert len(set(sections)) == len(sections) and len(set(questions)) == len(questions)
    for question in (q for s in canonical["sections"] for q in s["questions"]):
        for key in ("options", "rows", "columns"):
            listed = question.get(key) if isinstance(question.get(key), list) else ()  # rows: reference_years
            ids = [item.get("value", item.get("id")) for item in listed]
            assert len(set(ids)) == len(ids), f"{question['id']}: {key} repeat an id"


def test_every_condition_resolves_and_can_hold(canonical):
    questionnaire = from_canonical(canonical)
    for question in questionnaire.questions.values():
        answers, current = {}, question
        while current.condition is not None:
            target = questionnaire.questions.get(current.condition.question)
            assert target is not None, f"{question.id}: show_if names a missing question"
            assert set(current.condition.values) <= set(target.option_values), f"{question.id}: unknown value"
            answers.setdefault(target.id, current.condition.values[0])
            current = target
        assert questionnaire.applies(question, answers), f"{question.id} can never be shown"


def test_every_table_with_totals_is_checked(canonical):
    """A total that does not add up is reported as a blocking error, and a consistent table is not."""
    questionnaire = from_canonical(canonical)
    tables = [q for q in questionnaire.questions.values()
              if any(axis.total_of for axis in q.rows + q.columns)]
    for question in tables:
        plain_rows = [row for row in question.rows if not row.total_of]
        plain_columns = [column for column in question.columns if not column.total_of]
        value = {row.id: {column.id: 1 for column in plain_columns} for row in plain_rows}
        for row in question.rows:
            for column in question.columns:
                parts = (len(row.total_of) or 1) * (len(column.total_of) or 1)
                if row.total_of or column.total_of:
                    value.setdefault(row.id, {})[column.id] = parts
        consistent = [f for f in question_findings(questionnaire, question, {question.id: value}, "en")
                      if f.level == ERROR and "sum of its parts" in f.message]
        assert not consistent, f"{question.id}: a consistent table is flagged"
        total = next(axis for axis in question.rows + question.columns if axis.total_of)
        row_id = total.id if total in question.rows else plain_rows[0].id
        column_id = total.id if total in question.columns else plain_columns[0].id
        value[row_id][column_id] += 1
        errors = [f for f in question_findings(questionnaire, question, {question.id: value}, "en") if f.level == ERROR]
        assert errors, f"{question.id}: a wrong total is not reported"


def test_the_protocol_questionnaire_is_shipped_and_complete():
    assert TIP_PROTOCOL in DEFINITIONS
    questionnaire = load_definition(TIP_PROTOCOL)
    assert len(questionnaire.questions) >= TIP_MINIMUM_QUESTIONS


def test_the_protocol_questionnaire_covers_every_required_paragraph():
    report = coverage(load_definition(TIP_PROTOCOL), required_paragraphs(TIP_REQUIRED))
    assert not report.uncovered, f"no question covers: {', '.join(report.uncovered)}"
    assert not report.unrecognised, f"citations not understood: {json.dumps(report.unrecognised)}"


def test_the_worked_example_in_the_docs_is_among_the_definitions_checked():
    assert any(re.search(r"docs/examples/.+\.yaml$", str(path)) for path in DEFINITIONS)
