"""The definition's rule language (docs/questionnaire-format.md §13): checked on load with
messages naming the classification or rule and the problem; stored and read back unchanged."""
import pytest
import yaml

from app.questionnaires.loader import canonical, from_canonical, load_definition
from tests.test_questionnaire_definitions import definition, problems_of, question, table, texts

CHOICE = question("offence", "yes_no_partly")
FORMS = question("forms", "multiple_choice", options=[{"value": v, "label": texts(v)} for v in ("a", "b", "none")])
NUMBERS = [question("low", "integer"), question("high", "integer"), table("t1"), table("t2"), table("t3")]


def _classification(when, **fields) -> dict:
    return {"id": "coverage", "title": texts("Coverage"),
            "classes": [{"id": "full", "label": texts("Full"), "when": when}],
            "unclassified": {"id": "unknown", "label": texts("Unknown")}, **fields}


def _rule(when, **fields) -> dict:
    return {"id": "X1", "level": "error", "question": "offence", "when": when, "message": texts("Message"), **fields}


def _load(tmp_path, **top):
    path = tmp_path / "good.yaml"
    path.write_text(yaml.safe_dump(definition(CHOICE, FORMS, *NUMBERS, **top), allow_unicode=True), encoding="utf-8")
    return load_definition(path)


@pytest.mark.parametrize("when,problem", [
    ({"question": "missing", "equals": "yes"}, "the rule refers to a missing question missing."),
    ({"question": "forms", "contains": "c"}, "the rule refers to a value c that forms does not offer."),
    ({"question": "offence", "equal": "yes"}, "a condition needs a question and one of"),
    ({"question": "offence", "equals": ["yes", "no"]}, "equals takes one value; use in, contains_all or equals_set"),
    ({"question": "low", "more_than": "many"}, "more_than needs a number or a question."),
    ({"question": "low", "answered": "no"}, "answered must be true or false."),
    ({"all": {"question": "offence", "equals": "yes"}}, "all needs a list of conditions."),
    ({"all": [], "any": []}, "all must be the only key of its condition."),
    ("offence = yes", "a condition must be a mapping"),
    ({"question": "low", "less_than": {"period": "middle_year"}},
     "a year of the reference period is written {period: first_year} or {period: last_year}."),
])
def test_a_broken_condition_is_reported_with_its_place(tmp_path, when, problem):
    found = problems_of(tmp_path, definition(CHOICE, FORMS, *NUMBERS, classifications=[_classification(when)]))
    assert any("classification coverage: " + problem in line for line in found), found
    found = problems_of(tmp_path, definition(CHOICE, FORMS, *NUMBERS, consistency=[_rule(when)]))
    assert any("consistency rule X1: " + problem in line for line in found), found


@pytest.mark.parametrize("change,problem", [
    ({"level": "fatal"}, "level must be one of error, warning."),
    ({"question": "nowhere"}, "the rule refers to a missing question nowhere."),
    ({"message": {"en": "Only English"}}, "message is missing the language fr."),
    ({"because": "why"}, "unknown key because."),
])
def test_a_broken_consistency_rule_is_reported(tmp_path, change, problem):
    rule = {**_rule({"question": "offence", "equals": "yes"}), **change}
    found = problems_of(tmp_path, definition(CHOICE, FORMS, *NUMBERS, consistency=[rule]))
    assert any(problem in line for line in found), found


def test_a_classification_needs_labels_in_six_languages_and_distinct_classes(tmp_path):
    broken = _classification({"question": "offence", "equals": "yes"})
    broken["classes"][0]["label"] = {"en": "Full"}
    broken["unclassified"]["id"] = "full"
    found = problems_of(tmp_path, definition(CHOICE, FORMS, *NUMBERS, classifications=[broken]))
    assert any("classification coverage: label is missing the language ar." in line for line in found), found
    assert any("the class ids must differ from one another." in line for line in found), found


def test_a_rule_may_read_a_classification_and_every_operator_round_trips(tmp_path):
    when = {"all": [
        {"question": "offence", "in": ["yes", "partly"]},
        {"not": {"question": "forms", "equals_set": ["none"]}},
        {"any": [{"question": "forms", "contains_all": ["a", "b"]}, {"question": "forms", "contains_any": ["a"]}]},
        {"question": "low", "at_most": {"question": "high"}},
        {"question": "t1", "column": "a", "at_least": 1},
        {"question": "t1", "row": "2020", "column": "b", "less_than": {"question": "t1", "row": "2021", "column": "b"}},
        {"question": "t1", "differs_from_sum_of": ["t2", "t3"]},
        {"question": "high", "answered": True},
    ]}
    loaded = _load(tmp_path, classifications=[_classification(when)],
                   consistency=[_rule({"question": "coverage", "equals": "unknown"}),
                                _rule({"question": "high", "less_than": {"period": "first_year"}}, id="X2")])
    assert from_canonical(canonical(loaded)) == loaded
    found = problems_of(tmp_path, definition(CHOICE, FORMS, *NUMBERS, classifications=[_classification(when)],
                                             consistency=[_rule({"question": "coverage", "equals": "partial"})]))
    assert any("the rule refers to a value partial that coverage does not offer." in line for line in found), found


def test_rules_may_live_in_a_file_next_to_the_definition(tmp_path):
    (tmp_path / "rules.yaml").write_text(yaml.safe_dump({
        "classifications": [_classification({"question": "offence", "equals": "yes"})],
        "consistency": [_rule({"question": "forms", "contains": "none"})]}), encoding="utf-8")
    loaded = _load(tmp_path, classifications={"include": "rules.yaml"}, consistency={"include": "rules.yaml"})
    assert [c.id for c in loaded.classifications] == ["coverage"] and [r.id for r in loaded.consistency] == ["X1"]


def test_a_class_cannot_depend_on_the_reference_period(tmp_path):
    """A State's class is compared across cycles: the cycle's years are for consistency rules."""
    when = {"question": "high", "at_least": {"period": "last_year"}}
    found = problems_of(tmp_path, definition(CHOICE, FORMS, *NUMBERS, classifications=[_classification(when)]))
    assert any("classification coverage: a class cannot depend on the reference period" in line for line in found), found
