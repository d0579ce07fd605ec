"""Malformed and oversized posts get a message beside the field (or a 400 page), never a 500,
and the valid answers posted with them are saved: numbers with letters or beyond any range,
impossible dates, text in table cells, choices that were never offered, unknown and repeated
fields, very long text, bodies that are not UTF-8, JSON that does not parse, NUL characters."""
import pytest

from app.extensions import db
from app.responses.models import Response
from app.responses.operations import answers_at
from tests import factories
from tests.helpers import field_errors, overview_url, section_url
from tests.hostile import HTML_PAYLOADS, assert_inert, payload_params

JSON = {"Accept": "application/json"}
WHOLE = "Enter a whole number, such as 12."
NUMBER = "Enter a number, such as 12 or 12.5."
DATE = "Enter a date as year-month-day, such as 2024-03-31."
TABLE = "{}: enter a whole number of 0 or more, not “{}”."
#: Valid answers posted beside the malformed one, by section: (fields, the question saved); the
#: first whose fields the malformed post does not use.
VALID = {"criminalization": [({"q_crim_offence": "yes", "q_crim_law": "Penal Code"}, "crim_law"),
                             ({"q_crim_law": "Penal Code"}, "crim_law")],
         "protection": [({"q_prot_description": "Shelters."}, "prot_description"),
                        ({"q_prot_budget": "2.5"}, "prot_budget")],
         "data": [({"q_data_body": "Ministry of the Interior"}, "data_body"),
                  ({"q_data_victims-2021-boys": "4"}, "data_victims")],
         "ratification": [({"q_ratification_obstacles": "None."}, "ratification_obstacles")]}
#: (section, posted fields, the message beside the field).
MALFORMED = {
    "integer with letters": ("criminalization", {"q_crim_max_penalty": "12abc"}, WHOLE),
    "integer 1e400": ("criminalization", {"q_crim_max_penalty": "1e400"}, WHOLE),
    "integer 10**30": ("criminalization", {"q_crim_max_penalty": str(10**30)}, WHOLE),
    "integer in hexadecimal": ("criminalization", {"q_crim_max_penalty": "0x10"}, WHOLE),
    "integer with underscores": ("criminalization", {"q_crim_max_penalty": "1_000"}, WHOLE),
    "negative count": ("protection", {"q_prot_shelter": "yes", "q_prot_shelter_places": "-3"},
                       "Enter a number of at least 0."),
    "integer over its maximum": ("criminalization", {"q_crim_max_penalty": "101"}, "Enter a number of at most 100."),
    "decimal 1e400": ("protection", {"q_prot_budget": "1e400"}, NUMBER),
    "decimal NaN": ("protection", {"q_prot_budget": "NaN"}, NUMBER),
    "decimal Infinity": ("protection", {"q_prot_budget": "Infinity"}, NUMBER),
    "decimal of 40 digits": ("protection", {"q_prot_budget": "9" * 40}, NUMBER),
    "negative decimal": ("protection", {"q_prot_budget": "-0.5"}, "Enter a number of at least 0."),
    "date 2026-02-30": ("criminalization", {"q_crim_in_force": "2026-02-30"}, DATE),
    "date 'yesterday'": ("criminalization", {"q_crim_in_force": "yesterday"}, DATE),
    "date in month 13": ("criminalization", {"q_crim_in_force": "2026-13-01"}, DATE),
    "date of year 99999": ("criminalization", {"q_crim_in_force": "99999-01-01"}, DATE),
    "year of letters": ("ratification", {"q_ratification_status": "ratified", "q_ratification_year": "two"},
                        "Enter a year with four digits, such as 2024."),
    "table cell with text": ("data", {"q_data_victims-2021-women": "ten"}, TABLE.format("2021, Women", "ten")),
    "negative table cell": ("data", {"q_data_victims-2021-women": "-1"}, TABLE.format("2021, Women", "-1")),
    "table cell 1e400": ("data", {"q_data_victims-2022-men": "1e400"}, TABLE.format("2022, Men", "1e400")),
    "table cell of 40 digits": ("data", {"q_data_victims-2022-men": "9" * 40}, TABLE.format("2022, Men", "9" * 40)),
    "choice not offered": ("criminalization", {"q_crim_offence": "maybe"}, "Choose one of the options shown."),
    "one of several choices not offered": ("criminalization", {"q_crim_offence": "yes",
                                                               "q_crim_forms": ["sexual", "<script>"]},
                                           "Choose among the options shown."),
    "law adopted 2026-02-30": ("criminalization", {"q_crim_offence": "yes", "q_crim_laws-0-title": "Act",
                                                   "q_crim_laws-0-adopted": "2026-02-30"},
                               "Law 1: enter the date of adoption as year-month-day, such as 2013-08-05."),
    "law status not offered": ("criminalization", {"q_crim_offence": "yes", "q_crim_laws-0-title": "Act",
                                                   "q_crim_laws-0-status": "abolished"},
                               "Law 1: choose one of the statuses shown."),
    "2 MB of text": ("protection", {"q_prot_description": "x" * 2_000_000},
                     "Use at most 20000 characters (you used 2000000)."),
    "501 characters in a short text": ("data", {"q_data_body": "x" * 501},
                                       "Use at most 500 characters (you used 501)."),
}


@pytest.fixture
def focal(client, login, cycle):
    return login(factories.user("focal_point", "FRA"))


def _stored() -> dict:
    response_id = db.session.scalar(db.select(Response.id))
    return answers_at(response_id) if response_id else {}


def _post(client, cycle, section, fields, headers=None) -> tuple:
    """Post ``fields`` with valid answers beside them; returns the response and the valid question."""
    valid, question_id = next((v, q) for v, q in VALID[section] if not set(v) & set(fields))
    return client.post(section_url(cycle, section), data={**valid, **fields}, headers=headers), question_id


@pytest.mark.parametrize("section,fields,message", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_answer_gets_a_message_and_the_others_are_saved(client, focal, cycle, section, fields, message):
    response, valid = _post(client, cycle, section, fields)
    assert response.status_code == 422
    assert field_errors(response.text) == [message]
    assert _stored()[valid]


@pytest.mark.parametrize("section,fields,message", [MALFORMED[key] for key in (
    "integer 10**30", "date 2026-02-30", "table cell with text", "choice not offered", "2 MB of text")])
def test_autosave_answers_a_malformed_answer_in_json(client, focal, cycle, section, fields, message):
    reply, valid = _post(client, cycle, section, fields, headers=JSON)
    assert reply.status_code == 422 and reply.json["status"] == "invalid"
    assert [m for messages in reply.json["errors"].values() for m in messages] == [message]
    assert _stored()[valid]


@pytest.mark.parametrize("fields", [
    {"q_unknown": "x", "unknown": "y", "c_unknown": "y", "q_crim_law-0-title": "Act", "q_crim_laws-1000-title": "x"},
    {"v_crim_law": "abc", "seen_crim_law": "-1", "resolve_crim_law": "<script>", "confirm": "no-such-finding"},
    {"v_crim_law": str(10**30), "v_crim_offence": "99999999999", "seen_crim_offence": str(10**30)},
    {"v_crim_law": "²", "seen_crim_offence": "٣", "v_crim_offence": "１２"},
    {"csrf_token": "forged", "editor": "not-a-number", "action": "<script>"},
    {"q_crim_laws-0-title": "Act", "q_crim_laws-0-attachment": "../../etc/passwd", "q_crim_laws-0-file": "x"},
    {"q_crim_laws-0-remove": "yes please", "q_crim_laws-0-detach": "1", "q_crim_laws-1-attachment": str(10**30)},
], ids=["unknown names", "versions not numbers", "huge versions", "versions in other digits", "hidden fields tampered",
        "upload id a path", "law controls tampered"])
def test_unknown_and_tampered_fields_are_ignored(client, focal, cycle, fields):
    response = client.post(section_url(cycle, "criminalization"),
                           data={"q_crim_offence": "yes", "q_crim_law": "Penal Code", **fields})
    assert response.status_code in (302, 409, 422)
    assert _stored()["crim_law"] == "Penal Code"


def test_a_repeated_field_counts_once(client, focal, cycle):
    response = client.post(section_url(cycle, "criminalization"), data={
        "q_crim_offence": ["yes", "no"], "q_crim_law": ["Penal Code", "<script>alert(1)</script>"],
        "q_crim_forms": ["sexual", "sexual", "organs"]})
    assert response.status_code == 302
    assert (_stored()["crim_offence"], _stored()["crim_law"], _stored()["crim_forms"]) == \
        ("yes", "Penal Code", ["sexual", "organs"])


def test_fifty_one_laws_are_refused_and_the_other_answers_saved(client, focal, cycle):
    laws = {f"q_crim_laws-{n}-title": f"Act {n}" for n in range(51)}
    response = client.post(section_url(cycle, "criminalization"),
                           data={"q_crim_offence": "yes", "q_crim_law": "Penal Code", **laws})
    assert response.status_code == 422 and field_errors(response.text) == ["List at most 50 laws."]
    assert _stored()["crim_law"] == "Penal Code"


@pytest.mark.parametrize("body,content_type", [
    (b"q_crim_offence=yes&q_crim_law=%FF%FELoi", "application/x-www-form-urlencoded"),
    (b"q_crim_offence=yes&q_crim_law=\xe9t\xe9 \xff", "application/x-www-form-urlencoded; charset=latin-1"),
    (b'--b\r\nContent-Disposition: form-data; name="q_crim_law"\r\n\r\n\xe9t\xe9\r\n--b--\r\n',
     "multipart/form-data; boundary=b"),
    (b'--b\r\nContent-Disposition: form-data; name="q_crim_law"\r\n\r\nunterminated',
     "multipart/form-data; boundary=b"),
    (b"q_crim_law=Penal%20Code&%%%=&==&&", "application/x-www-form-urlencoded"),
], ids=["percent-encoded bytes", "latin-1", "multipart latin-1", "multipart unterminated", "broken pairs"])
def test_a_body_that_is_not_utf8_or_well_formed_is_no_failure(client, focal, cycle, body, content_type):
    response = client.post(section_url(cycle, "criminalization"), data=body, content_type=content_type)
    assert response.status_code in (302, 400, 422), response.status_code


@pytest.mark.parametrize("body", [b"{not json", b'{"section": ["a"]}', b'"just a string"', b"[1]", b"12", b"\xff\xfe{}",
                                  b"[]", b"", b"[" * 100_000 + b"]" * 100_000, b'{"a":' * 100_000 + b"1" + b"}" * 100_000])
def test_json_that_does_not_parse_gets_a_400_or_is_ignored(client, focal, cycle, body):
    client.get(section_url(cycle, "criminalization"))
    presence = client.post(overview_url(cycle) + "presence/", data=body, content_type="application/json", headers=JSON)
    assert presence.status_code == 400
    save = client.post(section_url(cycle, "criminalization"), data=body, content_type="application/json", headers=JSON)
    assert save.status_code in (200, 400, 422) and save.is_json


def test_nul_characters_are_dropped_and_everything_else_is_kept(client, focal, login, cycle):
    assert client.post(section_url(cycle, "criminalization"), data={
        "q_crim_offence": "yes", "q_crim_law": "Penal\x00 Code", "q_crim_laws-0-title": "Act\x00 12",
        "q_crim_laws-0-file": "x"}).status_code == 302
    assert _stored()["crim_law"] == "Penal Code" and _stored()["crim_laws"][0]["title"] == "Act 12"
    assert client.post(overview_url(cycle) + "submit").status_code in (302, 303)
    login(factories.user("secretariat"))
    assert client.get("/audit/", query_string={"user": "a\x00b", "state": "\x00"}).status_code == 200
    assert client.post("/api-tokens/", data={"name": "Token\x00", "scope": "published"}).status_code == 201


def test_a_request_over_the_size_limit_gets_the_413_page(client, focal, app, cycle, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 10_000)
    response = client.post(section_url(cycle, "protection"), data={"q_prot_description": "x" * 20_000})
    assert response.status_code == 413 and "File too large" in response.text
    assert _stored() == {}


@pytest.mark.parametrize("payload,markers", payload_params(HTML_PAYLOADS))
def test_refused_input_comes_back_as_text_beside_its_message(client, focal, cycle, payload, markers):
    cells = {"q_data_body": "Ministry", "q_data_victims-2021-women": payload, "q_data_assisted-2021-men": payload}
    fields = {"q_crim_offence": "yes", "q_crim_max_penalty": payload, "q_crim_in_force": payload,
              "q_crim_laws-0-title": payload, "q_crim_laws-0-adopted": payload, "q_crim_laws-0-url": payload}
    for section, data in (("data", cells), ("criminalization", fields)):
        response = client.post(section_url(cycle, section), data=data)
        assert response.status_code == 422
        assert_inert(response.text, payload, markers)
        reply = client.post(section_url(cycle, section), data=data, headers=JSON)
        assert reply.status_code == 422 and reply.mimetype == "application/json"  # shown with textContent


BIG = "x" * 2_000_000
#: (who posts, where, what): every other form, with malformed or oversized input.
OTHER_FORMS = {
    "cycle with impossible dates": ("secretariat", "/cycles/", {
        "name": "2027", "version": "999999", "opens_on": "2026-02-30", "closes_on": "yesterday"}, 200),
    "cycle with a 2 MB name": ("secretariat", "/cycles/", {
        "name": BIG, "version": "1", "opens_on": "2026-01-01", "closes_on": "2026-12-31"}, 200),
    "invitation with nothing valid": ("secretariat", "/invitations/", {
        "email": "not an address", "role": "god", "state": "XXX", "locale": "xx"}, 200),
    "invitation of a 2 MB address": ("focal_point", "/invitations/", {"email": BIG + "@example.org"}, 200),
    "API token with an unknown scope": ("secretariat", "/api-tokens/", {"name": "Token", "scope": "everything"}, 422),
    "API token with a 2 MB name": ("secretariat", "/api-tokens/", {"name": BIG, "scope": "published"}, 422),
    "sections given to nobody known": ("focal_point", "{overview}assignments/", {
        "section_criminalization": ["abc", str(10**30), "-1"]}, 400),
    "comment on a question that does not exist": ("secretariat", "{overview}comments/", {
        "body": "Which article?", "question_id": "<script>"}, 400),
    "comment of 2 MB": ("secretariat", "{overview}comments/", {"body": BIG}, 302),
    "return with a 2 MB comment": ("secretariat", "/review/cycles/{cycle}/states/FRA/return", {"comment": BIG}, 422),
    "password of 2 MB": ("focal_point", "/account/password", {
        "current_password": BIG, "password": BIG, "confirm": BIG}, 200),
    "login with 2 MB": (None, "/login", {"email": BIG, "password": BIG}, 200),
}


@pytest.mark.parametrize("role,url,data,status", OTHER_FORMS.values(), ids=OTHER_FORMS.keys())
def test_every_other_form_answers_malformed_input_without_failing(client, login, cycle, role, url, data, status):
    factories.response("FRA", cycle, {"crim_offence": "yes"}, status="submitted")
    if role:
        login(factories.user(role, "FRA"))
    response = client.post(url.format(overview=overview_url(cycle), cycle=cycle.id), data=data)
    assert response.status_code == status
