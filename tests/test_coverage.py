"""Coverage of the treaties, provision by provision: a required paragraph or subparagraph of the
Protocol or the Convention counts only when a question's ``provision`` names it; citing it in
``sources`` is not assessing it. Report paragraphs count when a question cites them."""
import pytest
import yaml

from app.questionnaires.coverage import TIP_REQUIRED, coverage, required_paragraphs
from app.questionnaires.loader import load_definition
from app.questionnaires.provisions import expand, provision_key
from tests.test_questionnaire_definitions import definition, question, texts

DOCUMENTS = {code: {"name": texts(code), "title": texts(code)} for code in ("Protocol", "Convention", "000")}


def _questionnaire(tmp_path, *questions):
    path = tmp_path / "q.yaml"
    path.write_text(yaml.safe_dump(definition(*questions, documents=DOCUMENTS), allow_unicode=True), encoding="utf-8")
    return load_definition(path)


@pytest.mark.parametrize("spec,expected", [
    ("Protocol art. 6(3)(a-c)", ["Protocol art. 6(3)(a)", "Protocol art. 6(3)(b)", "Protocol art. 6(3)(c)"]),
    ("Protocol art. 8(5-6)", ["Protocol art. 8(5)", "Protocol art. 8(6)"]),
    ("Convention art. 23(a-b)", ["Convention art. 23(a)", "Convention art. 23(b)"]),
    ("Convention art. 34(2)", ["Convention art. 34(2)"]),
    ("Protocol art. 5-6", ["Protocol art. 5", "Protocol art. 6"]),
    ("000 §3-4", ["000 §3", "000 §4"]),
    ("Protocol art. 6(1-b)", []),
])
def test_required_ranges_reach_paragraphs_and_subparagraphs(spec, expected):
    assert expand(spec) == expected


def test_a_provision_is_named_down_to_its_subparagraph():
    assert provision_key("Protocol art. 6(3)(a)") == "Protocol art. 6(3)(a)"
    assert provision_key("Convention art. 23(a)") == "Convention art. 23(a)"
    assert provision_key("000 §13(c)") == "000 §13"


def test_only_a_named_provision_covers_a_required_one(tmp_path):
    questionnaire = _questionnaire(
        tmp_path,
        question("q1", provision="Protocol art. 6(3)(a)", obligation="consider",
                 sources=["Protocol art. 6(3)(b)", "000 §13"]),
        question("q2", "short_text", show_if={"question": "q1", "equals": "yes"}, sources=["Protocol art. 6(4)"]),
    )
    required = required_paragraphs(["Protocol art. 6(3)(a-b)", "Protocol art. 6(4)", "Protocol art. 6", "000 §13"])
    report = coverage(questionnaire, required)
    # Cited in sources only: not covered. The article is covered by the subparagraph named.
    assert report.uncovered == ["Protocol art. 6(3)(b)", "Protocol art. 6(4)"]
    # A follow-up that shares its question's provision does not name it again.
    assert report.provisions == {"Protocol art. 6(3)(a)": ["q1"]}
    assert report.as_json()["provisions"] == [{"provision": "Protocol art. 6(3)(a)", "questions": ["q1"]}]


def test_the_protocol_questionnaire_must_assess_each_paragraph_of_the_articles_it_applies():
    required = required_paragraphs(TIP_REQUIRED)
    for key in ("Protocol art. 2(c)", "Protocol art. 5(2)(a)", "Protocol art. 14(1)", "Protocol art. 15(4)",
                "Convention art. 6(2)(f)", "Convention art. 15(1)(b)", "Convention art. 20(4)",
                "Convention art. 23(b)", "Convention art. 34(2)", "000 §24", "004 rec. 34"):
        assert key in required
    assert "Protocol art. 6(3)" not in required and "Protocol art. 1" not in required
