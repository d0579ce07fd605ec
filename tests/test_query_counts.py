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
from tests.test_questionnaire_definitions import definition, question


def _cycle_with_questions(tmp_path, name: str, size: int):
    questions = [question(f"q{i}", ("yes_no", "short_text", "integer")[i % 3]) for i in range(size)]
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump({**definition(*questions), "id": name}), encoding="utf-8")
    store_definition(path, load_definition(path))
    db.session.commit()
    version = db.session.scalar(db.select(QuestionnaireVersion).filter_by(code=name))
    return factories.cycle(name=name, version=version)


def _statements(client, cycle, size):
    url = section_url(cycle, "one")
    data = {f"q_q{i}": ("yes", "text", "5")[i % 3] for i in range(size)}
    client.post(url, data=data)  # create the response first
    data = {f"q_q{i}": ("no", "other", "6")[i % 3] for i in range(size)}
    with count_queries() as saving:
        assert client.post(url, data=data).status_code == 302
    with count_queries() as rendering:
        assert client.get(url).status_code == 200
    return len(saving), len(rendering)


def test_statements_do_not_grow_with_questions(client, login, tmp_path):
    small = _cycle_with_questions(tmp_path, "small", 5)
    large = _cycle_with_questions(tmp_path, "large", 60)
    focal = login(factories.user("focal_point", "FRA"))  # kept: a collected user would be loaded again
    small_counts = _statements(client, small, 5)
    large_counts = _statements(client, large, 60)
    assert small_counts == large_counts, focal
    # The section and its answers, plus the working-together data beside them (comment threads,
    # who last changed each answer, the prefill marks, who else is editing) and the header's
    # unread notifications: each one query, whatever the number of questions.
    assert large_counts[1] <= 10, large_counts
