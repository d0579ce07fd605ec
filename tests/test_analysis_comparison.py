"""A State's answers beside its answers in the previous cycle, matched by question id; and the
UN M49 regions behind the dashboard's filter."""
import re
from datetime import date

import yaml

from app.analysis.regions import REGIONS_FILE, geoscheme
from app.extensions import db
from app.questionnaires.loader import load_definition
from app.questionnaires.models import QuestionnaireVersion
from app.questionnaires.operations import store_definition
from app.questionnaires.schema import LANGUAGES
from app.responses import operations as ops
from app.states.models import State
from app.states.names import member_state_codes
from tests import factories
from tests.conftest import FIXTURES


def _next_questionnaire(tmp_path):
    """A later questionnaire: the test questionnaire with data_body dropped and a new question.
    (Its own id, so that the suite's cleanup removes it.)"""
    definition = yaml.safe_load((FIXTURES / "questionnaires" / "test-questionnaire.yaml").read_text(encoding="utf-8"))
    definition["id"] = "next-questionnaire"
    data = next(section for section in definition["sections"] if section["id"] == "data")
    data["questions"] = [q for q in data["questions"] if q["id"] != "data_body"]
    data["questions"].append({**data["questions"][0], "id": "data_new", "type": "short_text"})
    for table_key in ("rows", "columns", "checks"):
        data["questions"][-1].pop(table_key, None)
    path = tmp_path / "v2.yaml"
    path.write_text(yaml.safe_dump(definition, allow_unicode=True), encoding="utf-8")
    store_definition(path, load_definition(path))
    db.session.commit()
    return db.session.scalar(db.select(QuestionnaireVersion).filter_by(code="next-questionnaire"))


def _respond(cycle, focal, values, confidential=frozenset()):
    ops.create_response(db.session.get(State, "FRA"), cycle, focal, values, confidential)


def test_answers_side_by_side_with_the_previous_cycle(client, login, tmp_path):
    earlier = factories.cycle(name="2022", is_open=False)
    earlier.opens_on, earlier.closes_on = date(2022, 1, 1), date(2022, 6, 30)
    current = factories.cycle(name="2026", version=_next_questionnaire(tmp_path))
    focal = factories.user("focal_point", "FRA")
    _respond(earlier, focal, {"crim_offence": "partly", "crim_law": "Old law", "data_body": "Ministry",
                              "prot_description": "Shelters run by the State.",
                              "data_victims": {"2024": {"women": 1, "men": 2}}})
    _respond(current, focal, {"crim_offence": "yes", "crim_law": "Old law", "data_new": "New answer",
                              "prot_description": "Shelters run by the State and by NGOs.",
                              "data_victims": {"2024": {"women": 3, "men": 2}}}, {"crim_law"})
    db.session.commit()

    login(focal)
    url = f"/analysis/cycles/{current.id}/states/FRA/comparison"
    page = client.get(url).text
    assert "4 answers changed since 2022." in page and f"{url}?show=all" in page
    offence = re.search(r'<tr id="q-crim_offence" class="is-changed">(.*?)</tr>', page, re.S).group(1)
    assert offence.index("Partly") < offence.index("Yes")  # previous cycle first
    assert 'id="q-crim_law"' not in page  # unchanged: shown on request only
    description = re.search(r'<tr id="q-prot_description" class="is-changed">(.*?)</tr>', page, re.S).group(1)
    assert "Shelters run by the State<ins> and by NGOs</ins>." in description and "<del>" not in description
    table = re.search(r'<tr id="q-data_victims" class="is-changed">.*?</tr>\s*<tr class="comparison__changes">(.*?)'
                      r'</tr>\s*(<tr id|</tbody>)', page, re.S).group(1)
    assert re.search(r'<th scope="row">2024</th><td>Women</td>\s*<td><del>1</del></td>\s*<td><ins>3</ins></td>', table)
    assert "Men" not in re.sub(r"<thead>.*?</thead>", "", table, flags=re.S)  # unchanged cells are left out
    new = re.search(r'<tr id="q-data_new"(.*?)</tr>', page, re.S).group(1)
    assert "Not asked" in new and "New answer" in new
    assert "Questions no longer asked" in page and "Ministry" in page

    everything = client.get(f"{url}?show=all").text
    law = re.search(r'<tr id="q-crim_law"(.*?)</tr>', everything, re.S).group(1)
    assert "is-changed" not in law and law.count("Old law") == 2 and "confidential" in law
    assert 'id="q-crim_offence" class="is-changed"' in everything and f'href="{url}"' in everything

    login(factories.user("secretariat"))
    assert "Old law" in client.get(f"{url}?show=all").text
    first = client.get(f"/analysis/cycles/{earlier.id}/states/FRA/comparison").text
    assert "There is no earlier reporting cycle to compare with." in first


def test_a_state_whose_answers_did_not_change_is_told_so(client, login):
    earlier = factories.cycle(name="2022", is_open=False)
    earlier.opens_on, earlier.closes_on = date(2022, 1, 1), date(2022, 6, 30)
    current = factories.cycle(name="2026")
    focal = factories.user("focal_point", "FRA")
    for cycle in (earlier, current):
        _respond(cycle, focal, {"crim_offence": "yes", "crim_law": "Penal Code"})
    db.session.commit()
    login(focal)
    page = client.get(f"/analysis/cycles/{current.id}/states/FRA/comparison").text
    assert "No answer changed since the reporting cycle 2022." in page and "is-changed" not in page
    assert "Penal Code" in client.get(f"/analysis/cycles/{current.id}/states/FRA/comparison?show=all").text


def test_every_member_state_is_in_exactly_one_region_named_in_six_languages():
    listed = []

    def walk(nodes):
        for node in nodes:
            assert set(node["name"]) == set(LANGUAGES) and all(node["name"].values()), node["code"]
            listed.extend(node.get("states", ()))
            walk(node.get("regions", ()))

    data = yaml.safe_load(REGIONS_FILE.read_text(encoding="utf-8"))
    assert "unstats.un.org" in data["url"] and data["version"]
    walk(data["regions"])
    assert sorted(listed) == sorted(member_state_codes())
    scheme = geoscheme()
    assert [region.code for region in scheme.regions if region.depth == 0] == ["002", "019", "142", "150", "009"]
    assert scheme.paths["KEN"] == ("002", "202", "014") and scheme.paths["FRA"] == ("150", "155")
