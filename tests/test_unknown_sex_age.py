"""Sex/age tables of version 3 count persons whose sex or age is not recorded, and those
"unknown" columns count in the total (issue 15 item 6)."""
from pathlib import Path

import pytest

from app.questionnaires.checks import question_findings
from app.questionnaires.loader import load_definition

V3 = Path(__file__).parent.parent / "questionnaires" / "tip-protocol" / "questionnaire.yaml"
SEX_AGE = ("women", "men", "girls", "boys")
UNKNOWN = ("female_age_unknown", "male_age_unknown", "adult_sex_unknown", "child_sex_unknown", "unknown")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def questionnaire(app):
    with app.app_context():
        return load_definition(V3)


def _sex_age_tables(questionnaire):
    return [q for q in questionnaire.questions.values()
            if q.type == "number_table" and set(SEX_AGE) <= {c.id for c in q.columns}]


def test_every_sex_age_table_has_the_unknown_columns_in_its_total(questionnaire):
    tables = _sex_age_tables(questionnaire)
    assert len(tables) == 13  # ten victim tables by form, suspects, prosecuted, convicted
    for table in tables:
        assert [c.id for c in table.columns if not c.total_of] == [*SEX_AGE, *UNKNOWN], table.id
        assert table.total_column.total_of == (*SEX_AGE, *UNKNOWN), table.id


def test_a_total_that_leaves_out_the_unknown_is_an_error(questionnaire):
    table = questionnaire.questions["data_victims_sex_age"]
    row = {"women": 10, "men": 5, "girls": 0, "boys": 0, "female_age_unknown": 1, "male_age_unknown": 0,
           "adult_sex_unknown": 2, "child_sex_unknown": 0, "unknown": 3}
    right = {"2024": {**row, "total": 21}}
    assert question_findings(questionnaire, table, {table.id: right}, "en") == []
    (finding,) = question_findings(questionnaire, table, {table.id: {"2024": {**row, "total": 15}}}, "en")
    assert finding.level == "error" and "Total: 15, but its parts add up to 21" in finding.cells[0]
