"""Rendering and saving a section issue a number of SQL statements that does not grow with
the number of questions."""
import yaml

from app.extensions import db
from app.questionnaires.operations import store_definition
from app.questionnaires.loader import load_definition
from app.questionnaires.models import QuestionnaireVersion
from tests import factories
from tests.conftest import count_queries
from tests.helpers import section_url
from tests.test_questionnaire_definitions import definition, question, table, texts

#: One of each kind of question whose form and checks cost the most: a table with totals and a
#: year-on-year warning, a law list, a long text, besides the simple ones.
KINDS = ("yes_no", "short_text", "integer", "number_table", "law_list", "long_text")
TOTAL = {"id": "total", "label": texts("Total"), "total_of": ["a", "b"]}
WARNING = {"kind": "year_on_year", "factor": 3, "level": "warning", "message": texts("Check the figures")}


def _question(index: int) -> dict:
    kind = KINDS[index % len(KINDS)]
    if kind == "number_table":
        return table(f"q{index}", columns=({"id": "a"}, {"id": "b"}, TOTAL), checks=[WARNING])
    return question(f"q{index}", kind)


def _answer(index: int, generation: int) -> dict:
    """Form fields answering question ``index``; each generation changes every answer."""
    name, kind = f"q_q{index}", KINDS[index % len(KINDS)]
    if kind == "number_table":
        return {f"{name}-2021-a": str(3 + generation), f"{name}-2021-b": "4", f"{name}-2021-total": str(7 + generation)}
    if kind == "law_list":
        return {f"{name}-0-title": f"Law {generation}", f"{name}-0-article": "art. 1"}
    return {name: (("yes", "no")[generation], f"text {generation}", str(5 + generation),
                   None, None, f"long text {generation}")[index % len(KINDS)]}


def _cycle_with_questions(tmp_path, name: str, size: int):
    questions = [_question(i) for i in range(size)]
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump({**definition(*questions), "id": name}), encoding="utf-8")
    store_definition(path, load_definition(path))
    db.session.commit()
    version = db.session.scalar(db.select(QuestionnaireVersion).filter_by(code=name))
    return factories.cycle(name=name, version=version)


def _statements(client, cycle, size):
    url = section_url(cycle, "one")
    data = {key: value for i in range(size) for key, value in _answer(i, 0).items()}
    assert client.post(url, data=data).status_code == 302  # create the response first
    data = {key: value for i in range(size) for key, value in _answer(i, 1).items()}
    with count_queries() as saving:
        assert client.post(url, data=data).status_code == 302
    with count_queries() as rendering:
        assert client.get(url).status_code == 200
    return len(saving), len(rendering)


def test_statements_do_not_grow_with_questions(client, login, tmp_path):
    small = _cycle_with_questions(tmp_path, "small", 6)
    large = _cycle_with_questions(tmp_path, "large", 60)
    focal = login(factories.user("focal_point", "FRA"))  # kept: a collected user would be loaded again
    small_counts = _statements(client, small, 6)
    large_counts = _statements(client, large, 60)
    assert small_counts == large_counts, focal
    # The section and its answers, plus the working-together data beside them (comment threads,
    # who last changed each answer, the prefill marks, who else is editing) and the header's
    # unread notifications: each one query, whatever the number of questions.
    assert large_counts[1] <= 10, large_counts  # DEBUG


def test_pages_and_saves_never_read_a_definition_once_it_is_parsed(client, login, tmp_path):
    """A version never changes: its 900 KB of JSON is read and parsed once per process, never
    dragged through a join (the column is deferred and pages select only the checksum)."""
    cycle = _cycle_with_questions(tmp_path, "cached", 12)
    login(factories.user("focal_point", "FRA"))
    url = section_url(cycle, "one")
    client.get(url)  # parsed here, once
    with count_queries() as statements:
        client.get(url)
        client.post(url, data={key: value for i in range(12) for key, value in _answer(i, 1).items()})
        client.get(url.rsplit("/sections", 1)[0] + "/")
        client.get(url.rsplit("/sections", 1)[0] + "/history")
    assert statements and not [s for s in statements if "questionnaire_versions.definition" in s]
