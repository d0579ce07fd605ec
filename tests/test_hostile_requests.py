"""Hostile text from other doors: cycle names (in pages and in the names of downloaded files),
API token names, e-mail addresses typed at login (the audit log), query strings reflected in
pages, and the ``next`` links that requests carry."""
import io
import re
import zipfile
from datetime import date, timedelta

import pytest
from werkzeug.http import parse_options_header

from app.cycles.models import ReportingCycle
from app.extensions import db
from tests import factories
from tests.helpers import job_file, made_by_job, overview_url, section_url
from tests.hostile import HTML_PAYLOADS, PAYLOADS, assert_inert, clip, payload_params
from tests.workflow_helpers import review_url

NAME_PAYLOADS = [key for key in PAYLOADS if key != "long"]


def _open_cycle(client, name: str) -> ReportingCycle:
    response = client.post("/cycles/", data={
        "name": name, "version": factories.questionnaire_version().id,
        "opens_on": date.today().isoformat(), "closes_on": (date.today() + timedelta(days=30)).isoformat(),
        "first_year": "2021", "last_year": "2025", "question_set": "full"})
    assert response.status_code == 302, response.text
    return db.session.scalar(db.select(ReportingCycle))


def _download_name(response) -> str:
    """The file name a browser saves a download under; the header must be Latin-1 (HTTP) and hold
    one file name."""
    header = response.headers["Content-Disposition"]
    header.encode("latin-1")
    disposition, names = parse_options_header(header)
    assert disposition == "attachment" and set(names) <= {"filename", "filename*"}, header
    return names["filename"]


@pytest.mark.parametrize("payload,markers", payload_params(NAME_PAYLOADS))
def test_a_cycle_name_is_shown_as_text(client, login, payload, markers):
    login(factories.user("secretariat"))
    name = clip(payload, 100).replace("\x00", "")
    cycle = _open_cycle(client, clip(payload, 100))
    assert cycle.name == name
    factories.response("FRA", cycle, {"crim_offence": "yes", "prot_shelter": "no"}, status="accepted")
    for url in ("/cycles/", f"/analysis/?cycle={cycle.id}", f"/analysis/cycles/{cycle.id}/questions",
                review_url(cycle)):
        assert_inert(client.get(url).text, name, markers)
    login(factories.user("focal_point", "FRA"))
    for url in ("/", overview_url(cycle), section_url(cycle, "criminalization")):
        assert_inert(client.get(url).text, name, markers)


@pytest.mark.parametrize("name", ['2026 "final"; filename=x.exe', "2026\r\nX-Injected: 1", "../../../2026",
                                  "دورة ٢٠٢٦–٢٠٢٧", "2026 \u202etxt.exe"])
def test_a_cycle_name_is_a_plain_part_of_the_names_of_downloads(client, login, name):
    login(factories.user("secretariat"))
    cycle = _open_cycle(client, name)
    factories.response("FRA", cycle, {"crim_offence": "yes", "prot_shelter": "no"}, status="accepted")
    downloads = [f"/cycles/{cycle.id}/questionnaire.pdf", overview_url(cycle) + "profile.pdf",
                 f"/cycles/{cycle.id}/profiles-en.zip", f"/analysis/cycles/{cycle.id}/export.csv",
                 f"/analysis/cycles/{cycle.id}/export.xlsx"]
    fetch = {downloads[1]: made_by_job, downloads[2]: job_file, downloads[4]: job_file}
    bodies = {}
    for url in downloads:
        response = fetch.get(url, lambda client, url: client.get(url))(client, url)
        bodies[url] = response.get_data()  # a streamed download runs to its end
        file_name = _download_name(response)
        assert re.fullmatch(r"[\w.-]+", file_name, re.ASCII), (url, file_name)  # no folder, quote or line break
    members = zipfile.ZipFile(io.BytesIO(bodies[downloads[2]])).namelist()
    assert len(members) == 1 and re.fullmatch(r"profile-FRA-[\w.-]*-r3-en\.pdf", members[0], re.ASCII)


@pytest.mark.parametrize("payload,markers", payload_params(NAME_PAYLOADS))
def test_an_api_token_name_is_shown_as_text(client, login, payload, markers):
    login(factories.user("secretariat"))
    assert client.post("/api-tokens/", data={"name": clip(payload, 100), "scope": "published"}).status_code == 201
    assert_inert(client.get("/api-tokens/").text, clip(payload, 100), markers)


@pytest.mark.parametrize("payload,markers", payload_params(NAME_PAYLOADS))
def test_an_address_typed_at_login_is_text_in_the_audit_log(client, login, payload, markers):
    client.post("/login", data={"email": payload, "password": "wrong"})
    login(factories.user("secretariat"))
    assert_inert(client.get("/audit/").text, payload.lower(), markers)  # addresses are kept in lower case


@pytest.mark.parametrize("payload,markers", payload_params(HTML_PAYLOADS))
def test_query_strings_are_reflected_as_text_and_never_fail(client, login, cycle, payload, markers):
    factories.response("FRA", cycle, {"crim_offence": "yes"}, status="submitted")
    login(factories.user("secretariat"))
    urls = {
        "/audit/": ["user", "event_type", "state", "date_from", "date_to", "before"],
        "/analysis/": ["cycle", "status", "region", "sort", "order"],
        f"/analysis/cycles/{cycle.id}/questions": ["include", "region"],
        f"/analysis/cycles/{cycle.id}/questions/crim_offence": ["include", "region"],
        f"/analysis/cycles/{cycle.id}/export": ["states", "lang", "audience"],
        f"/analysis/cycles/{cycle.id}/export.csv": ["states", "lang", "audience", "include_submitted"],
        overview_url(cycle) + "compare": ["a", "b"],
        overview_url(cycle) + "profile.pdf": ["lang", "revision"],
        "/notifications/": ["page"],
        "/api/v1/cycles": ["page", "per_page", "lang"],
        f"/api/v1/cycles/{cycle.id}/responses": ["page", "per_page", "lang", "states"],
        "/login": ["next"],
        "/profiles/": ["q", "region"],
    }
    for url, names in urls.items():
        for name in names:
            response = client.get(url, query_string={name: payload})
            assert response.status_code in (200, 302, 400, 404), (url, name, response.status_code)
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            if response.mimetype == "text/html":  # JSON, CSV and PDF are data, never read as a page
                for marker in markers:
                    assert marker not in response.text, (url, name, marker)


@pytest.mark.parametrize("target", [
    "javascript:alert(1)", "//attacker.example/", "/\\attacker.example/", "\\\\attacker.example/",
    "/\t/attacker.example/", "https://attacker.example/", "/%5Cattacker.example/", " //attacker.example/",
])
def test_a_next_link_never_leads_off_the_site(client, login, cycle, target):
    factories.response("FRA", cycle, {"crim_offence": "yes"}, status="submitted")
    user = factories.user("focal_point", "FRA")
    response = client.post("/login", query_string={"next": target},
                           data={"email": user.email, "password": factories.PASSWORD})
    assert _local(response.location), response.location
    login(factories.user("secretariat"))
    response = client.post(overview_url(cycle) + "comments/", data={"body": "Which article?", "next": target})
    assert response.status_code == 302 and _local(response.location), response.location


def _local(location: str) -> bool:
    """Whether a browser following ``location`` stays on the site: it reads a backslash as a
    slash and ignores tabs and line breaks."""
    normalised = location.replace("\\", "/").replace("\t", "").replace("\n", "").replace("\r", "").strip()
    return normalised.startswith("/") and not normalised.startswith("//")


@pytest.mark.parametrize("number", [str(2**31), str(2**63), str(10**30)])
def test_numbers_beyond_the_database_range_in_urls_are_not_found(client, login, cycle, number):
    factories.response("FRA", cycle, {"crim_offence": "yes"}, status="submitted")
    login(factories.user("secretariat"))
    urls = [f"/cycles/{number}/states/FRA/", f"/review/cycles/{number}/states/FRA", f"/attachments/{number}",
            f"/notifications/{number}", f"/analysis/cycles/{number}/questions", f"/cycles/{number}/questionnaire.pdf",
            f"/profiles/{number}/FRA/en.pdf", f"/api/v1/cycles/{number}", overview_url(cycle) + f"revisions/{number}",
            f"/analysis/?cycle={number}", f"/audit/?before={number}", overview_url(cycle) + f"history?before={number}",
            overview_url(cycle) + f"compare?a=1&b={number}", overview_url(cycle) + f"compare?a={number}",
            overview_url(cycle) + f"profile.pdf?revision={number}",
            f"/api/v1/cycles/{cycle.id}/responses?page={number}&per_page={number}"]
    assert {url: status for url in urls if (status := client.get(url).status_code) not in (200, 400, 404)} == {}
    response = client.post(overview_url(cycle) + f"comments/{number}/replies", data={"body": "Thanks."})
    assert response.status_code == 404


def test_options_advertises_only_the_methods_that_are_allowed(app, client):
    """Every address, asked OPTIONS, lists only methods that do not answer 405 (the API's
    catch-all used to advertise POST, PUT, PATCH and DELETE, all refused)."""
    paths = {re.sub(r"<(?:(\w+)(?:\((\w+)[^)]*\))?:)?\w+>",
                    lambda m: "1" if m.group(1) == "int" else m.group(2) or "x", rule.rule)
             for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    for path in sorted(paths | {"/api/v1/cycles", "/api/v1/no/such/address"}):
        allowed = {method.strip() for method in client.options(path).headers["Allow"].split(",")}
        for method in allowed - {"OPTIONS", "HEAD", "GET"}:
            assert client.open(path, method=method).status_code != 405, (path, method)
