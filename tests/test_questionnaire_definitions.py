"""Questionnaire definitions: validated on load with messages naming file, question and problem."""
import json
from pathlib import Path

import pytest
import yaml

from app.questionnaires.loader import DefinitionError, canonical, definition_files, from_canonical, load_definition
from app.questionnaires.schema import LANGUAGES
from tests.conftest import FIXTURES

SHIPPED = Path(__file__).parent.parent / "questionnaires"


def texts(word: str) -> dict:
    return {language: f"{word} ({language})" for language in LANGUAGES}


#: The documents a definition that cites the Protocol declares.
DOCUMENTS = {"Protocol": {"name": texts("Protocol"), "title": texts("Protocol to Prevent Trafficking")}}


def definition(*questions, **top) -> dict:
    return {"id": "demo", "version": 1, "title": texts("Title"),
            "sections": [{"id": "one", "title": texts("Section"), "questions": list(questions)}], **top}


def question(qid="q1", qtype="yes_no", **fields) -> dict:
    return {"id": qid, "type": qtype, "text": texts(qid), **fields}


def table(qid="t1", rows=(2020, 2021), columns=({"id": "a"}, {"id": "b"}), **fields) -> dict:
    return question(qid, "number_table", rows=list(rows), columns=list(columns), **fields)


def problems_of(tmp_path, data) -> list[str]:
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DefinitionError) as error:
        load_definition(path)
    return [str(p) for p in error.value.problems]


@pytest.mark.parametrize("path", definition_files(SHIPPED) + definition_files(FIXTURES / "questionnaires"),
                         ids=lambda p: str(p.relative_to(p.parents[2])))
def test_shipped_definitions_are_valid(path):
    questionnaire = load_definition(path)
    assert questionnaire.sections and questionnaire.questions
    assert from_canonical(canonical(questionnaire)) == questionnaire  # stored and read back, the same


def test_a_valid_definition_becomes_canonical_json(tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text(yaml.safe_dump(definition(
        question("q1", "yes_no_partly", sources=["Protocol art. 5"]),
        question("q2", "short_text", show_if={"question": "q1", "in": ["yes", "partly"]}),
        documents=DOCUMENTS,
    )), encoding="utf-8")
    stored = canonical(load_definition(path))
    q2 = stored["sections"][0]["questions"][1]
    assert q2["condition"] == {"question": "q1", "values": ["yes", "partly"]}
    assert set(q2["text"]) == set(LANGUAGES)
    assert json.loads(json.dumps(stored)) == stored


def test_unquoted_yaml_yes_is_read_as_the_option_yes(tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text(yaml.safe_dump(definition(question("q1"), question("q2", "long_text"))).replace(
        "type: long_text", "type: long_text\n    show_if: {question: q1, equals: yes}"), encoding="utf-8")
    assert load_definition(path).questions["q2"].condition.values == ("yes",)


@pytest.mark.parametrize("data,expected", [
    (definition(question(), question()), "question q1: the question id is used twice."),
    (definition(question("q1", "slider")), "question q1: unknown type slider"),
    (definition({**question(), "text": {k: v for k, v in texts("x").items() if k != "ar"}}),
     "question q1: text is missing the language ar."),
    (definition(question("q2", "short_text", show_if={"question": "nope", "equals": "yes"})),
     "question q2: show_if refers to a missing question nope."),
    (definition(question("q1"), question("q2", "short_text", show_if={"question": "q1", "equals": "maybe"})),
     "question q2: show_if refers to a value maybe that q1 does not offer."),
    (definition(question("q1", show_if={"question": "q2", "equals": "yes"}),
                question("q2", show_if={"question": "q1", "equals": "yes"})),
     "show_if conditions form a cycle"),
    (definition(question("q1", "single_choice", options=[{"value": "a", "label": texts("a")}])),
     "question q1: a choice question needs at least two options."),
    (definition(question("q1", "number_table")), "question q1: a table needs a list of rows."),
    (definition(question("Bad Id")), "the id must be lower-case letters, digits and underscores."),
    (definition(question("q1", colour="red")), "question q1: unknown key colour."),
    (definition(question("q1", "integer", min="low")), "question q1: min must be a number"),
    ({**definition(question()), "version": 0}, "version must be a positive integer."),
    (definition(question("q1", obligation="mandatory")), "question q1: provision and obligation go together"),
    (definition(question("q1", provision="Protocol art. 5", obligation="must")), "obligation must be one of"),
    (definition(table("t1", columns=[{"id": "a"}, {"id": "total", "total_of": ["a", "zz"]}])),
     "question t1: total_of of total refers to zz"),
    (definition(table("t1", checks=[{"kind": "not_more_than", "question": "q9"}])),
     "question t1: the check refers to q9, which is not a number_table question."),
    (definition(table("t1", rows=["a", "b"], checks=[{"kind": "year_on_year", "factor": 3}])),
     "question t1: a year_on_year check needs rows that are years."),
    (definition(table("t1"), table("t2", rows=[2020], checks=[{"kind": "not_more_than", "question": "t1"}])),
     "question t2: the check compares with t1, whose rows or columns differ."),
    (definition(question("q1", "short_text", checks=[])), "only allowed on number_table questions"),
])
def test_broken_definitions_name_file_question_and_problem(tmp_path, data, expected):
    problems = problems_of(tmp_path, data)
    assert any(expected in p for p in problems), problems
    assert all(p.startswith(str(tmp_path / "broken.yaml")) for p in problems)


def test_invalid_yaml_is_reported_not_raised(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(DefinitionError, match="is not valid YAML"):
        load_definition(path)


def test_sections_can_live_in_included_files(tmp_path):
    (tmp_path / "sections").mkdir()
    section = {"id": "one", "title": texts("Section"), "questions": [question()]}
    (tmp_path / "sections" / "one.yaml").write_text(yaml.safe_dump(section), encoding="utf-8")
    main = {"id": "demo", "version": 1, "title": texts("T"), "sections": [{"include": "sections/one.yaml"}]}
    (tmp_path / "questionnaire.yaml").write_text(yaml.safe_dump(main), encoding="utf-8")
    assert load_definition(tmp_path / "questionnaire.yaml").sections[0].questions[0].id == "q1"
    section["questions"][0]["type"] = "nonsense"
    (tmp_path / "sections" / "one.yaml").write_text(yaml.safe_dump(section), encoding="utf-8")
    with pytest.raises(DefinitionError, match=r"sections/one.yaml: question q1: unknown type"):
        load_definition(tmp_path / "questionnaire.yaml")


def test_follow_ups_inherit_the_provision_they_assess(tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text(yaml.safe_dump(definition(
        question("q1", provision="Protocol art. 6(3)", obligation="consider", summary=texts("Summary")),
        question("q2", "law_list", show_if={"question": "q1", "equals": "yes"}),
        table("t1", columns=[{"id": "women"}, {"id": "men"}, {"id": "total", "total_of": ["women", "men"]}],
              checks=[{"kind": "year_on_year", "factor": 3, "level": "warning"}]),
        documents=DOCUMENTS,
    )), encoding="utf-8")
    questionnaire = load_definition(path)
    follow_up = questionnaire.questions["q2"]
    assert (follow_up.provision, follow_up.obligation) == ("Protocol art. 6(3)", "consider")
    assert follow_up.summary["fr"] == "Summary (fr)"
    totals = questionnaire.questions["t1"].columns[2]
    assert totals.total_of == ("women", "men")
    assert questionnaire.questions["t1"].checks[0].factor == 3
