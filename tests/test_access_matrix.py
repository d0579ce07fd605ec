"""Who may reach what: every route of the app against every role.

``ROUTES`` is the matrix: one row per route (and per guessed id), one expected outcome per role,
in the order of ``ROLES``. A route added to the app without a row here fails
``test_every_route_is_in_the_matrix``, so nobody adds one without deciding who may reach it.

For every (route, role) pair, ``test_access`` checks the status; that nothing of State A's
response reaches anonymous users or State B's users, whatever the outcome; and that a refused
request changed nothing at all, and an allowed one by someone outside State A nothing of State A.
The world is in tests/access_world.py."""
from dataclasses import dataclass

import pytest
from sqlalchemy import select
from werkzeug.exceptions import MethodNotAllowed

from app.api.models import TokenScope
from app.api.tokens import create_token, revoke_token
from app.assignments.operations import assignments_of
from app.auth.models import User
from app.extensions import db
from app.responses.operations import answers_at
from tests.access_world import (ANONYMOUS, CONTRIBUTOR_A, FOCAL_A, FOCAL_B, MARKER, ROLES, SECRETARIAT, SEES_A,
                                of_state_a, snapshot, world_with)


@dataclass(frozen=True)
class Outcome:
    status: int
    #: False: refused, so the request must change nothing.
    allowed: bool
    #: Refused by being sent to the login page.
    to_login: bool = False


#: Allowed: the page (OK), a redirect after the action (GO), a new object (NEW), the page of the
#: job just asked for (SEE, 303).
OK, GO, NEW, SEE = Outcome(200, True), Outcome(302, True), Outcome(201, True), Outcome(303, True)
#: Refused: sent to log in, forbidden (NO), or not found (NF), as if the object did not exist.
LOGIN = Outcome(302, False, to_login=True)
NO, NF = Outcome(403, False), Outcome(404, False)
#: Refused with a message, on the page again (SAME) or by a redirect (BACK): nothing changes.
SAME, BACK = Outcome(200, False), Outcome(302, False)
#: Refused input shown again with its messages (422): nothing changes.
INVALID = Outcome(422, False)
#: The API answers like this to any method but GET.
READ_ONLY = Outcome(405, False)


@dataclass(frozen=True)
class Route:
    method: str
    url: str
    outcomes: tuple[Outcome, ...]
    data: dict | None = None
    json: dict | None = None
    #: The status State A's response is in, for the actions that need one (accept needs a submission).
    status: str = "returned"
    #: Those allowed change data: proof that the same request changing nothing when refused means something.
    writes: bool = False
    #: Posted by someone logged out, the input is kept for after login (app/stash).
    keeps_input: bool = False
    label: str = ""

    def __str__(self):
        return f"{self.method} {self.url}" + (f" ({self.label})" if self.label else "")


def r(route: str, *outcomes: Outcome, **options) -> Route:
    method, url = route.split(" ", 1)
    return Route(method, url, outcomes, **options)


# Outcomes for: anonymous, focal point A, contributor A, focal point B, contributor B, secretariat, admin.
A_READS = (LOGIN, OK, OK, NF, NF, OK, OK)
A_WRITES = (LOGIN, GO, GO, NF, NF, NO, NO)
A_THREADS = (LOGIN, GO, GO, NF, NF, GO, GO)
REVIEW_READS = (LOGIN, NO, NO, NO, NO, OK, OK)
REVIEW_WRITES = (LOGIN, NO, NO, NO, NO, GO, GO)
REVIEW_MISSING = (LOGIN, NO, NO, NO, NO, NF, NF)
REVIEW_JOBS = (LOGIN, NO, NO, NO, NO, SEE, SEE)
A_JOBS = (LOGIN, SEE, SEE, NF, NF, SEE, SEE)
ADMIN_WRITES = (LOGIN, NO, NO, NO, NO, NO, GO)
SIGNED_IN_READS = (LOGIN, OK, OK, OK, OK, OK, OK)
SIGNED_IN_WRITES = (LOGIN, GO, GO, GO, GO, GO, GO)
MISSING = (LOGIN, NF, NF, NF, NF, NF, NF)
PUBLIC = (OK,) * 7
NOWHERE = (NF,) * 7
LOGGED_IN_ELSEWHERE = (OK, GO, GO, GO, GO, GO, GO)

STATE_A = "/cycles/{cycle}/states/FRA"
SECTION = STATE_A + "/sections/criminalization"
REVIEW_A = "/review/cycles/{cycle}/states/FRA"
INVITE = {"email": "new.person@example.org", "role": "contributor", "state": "FRA", "locale": "en"}
REINVITE = {**INVITE, "email": f"invitee.{MARKER}@example.org"}

ROUTES = [
    # Home, language, login and the user's own account.
    r("GET /", LOGIN, OK, OK, OK, OK, GO, GO),
    r("POST /language", *(GO,) * 7, data={"lang": "fr"}),
    r("GET /login", *LOGGED_IN_ELSEWHERE),
    r("POST /login", *LOGGED_IN_ELSEWHERE),
    # Only a password just checked leads to the second step; nobody here has one pending.
    r("GET /login/two-factor", *(LOGIN,) * 7),
    r("POST /login/two-factor", *(LOGIN,) * 7, data={"code": "123456"}),
    r("POST /logout", *SIGNED_IN_WRITES, writes=True),
    r("GET /password/forgot", *PUBLIC),
    r("POST /password/forgot", *PUBLIC),
    r("GET /password/reset/guessed-token", *NOWHERE),
    r("POST /password/reset/guessed-token", *NOWHERE, data={"password": "a new password 2026"}),
    r("GET /account/", *SIGNED_IN_READS),
    r("GET /account/password", *SIGNED_IN_READS),
    r("POST /account/password", *SIGNED_IN_READS),
    r("GET /account/two-factor", *SIGNED_IN_READS),
    r("POST /account/two-factor", *SIGNED_IN_READS),
    # Every account must keep two-factor authentication; each may replace its recovery codes.
    r("POST /account/two-factor/disable", LOGIN, NO, NO, NO, NO, NO, NO),
    r("POST /account/two-factor/recovery-codes", LOGIN, GO, GO, GO, GO, GO, GO),
    r("POST /unsaved/discard", *SIGNED_IN_WRITES, data={"next": SECTION}),
    # State A's response.
    r(f"GET {STATE_A}/", *A_READS),
    r("GET /cycles/{missing}/states/FRA/", *MISSING),
    r("GET /cycles/{cycle}/states/XXX/", *MISSING),
    # State A's response exists: starting it again changes nothing (tests/test_prefill.py starts one).
    r(f"POST {STATE_A}/start", LOGIN, GO, GO, NF, NF, NO, NO),
    r(f"GET {SECTION}", *A_READS),
    r(f"POST {SECTION}", *A_WRITES, data={"q_crim_offence": "yes", "q_crim_law": "Overwritten"}, writes=True,
      keeps_input=True),
    r(f"GET {STATE_A}/sections/no-such-section", *MISSING),
    r(f"GET {STATE_A}/question?number=2.2", LOGIN, GO, GO, NF, NF, GO, GO),
    r(f"POST {STATE_A}/submit", LOGIN, GO, NO, NF, NF, NO, NO, writes=True),
    r(f"GET {STATE_A}/history", *A_READS),
    r(f"GET {STATE_A}/revisions/1", *A_READS),
    r(f"GET {STATE_A}/revisions/{{missing}}", *MISSING),
    r(f"GET {STATE_A}/compare?a=1&b=4", *A_READS),
    r(f"GET {STATE_A}/compare?a=1&b={{missing}}", *MISSING),
    # The secretariat reads a State's history but may not restore its answers.
    r(f"POST {STATE_A}/revisions/1/restore", *A_WRITES, writes=True),
    r(f"POST {STATE_A}/revisions/{{missing}}/restore", LOGIN, NF, NF, NF, NF, NO, NO),
    r(f"GET {STATE_A}/profile.pdf", *A_READS),
    # The offline workbook and the State's own answers; only those who may edit import (an
    # upload without files, a confirm without a preview are refused with a message).
    r(f"GET {STATE_A}/workbook.xlsx", *A_READS),
    r(f"GET {STATE_A}/answers.csv", *A_READS),
    r(f"GET {STATE_A}/workbook/import", LOGIN, OK, OK, NF, NF, NO, NO),
    r(f"POST {STATE_A}/workbook/import", LOGIN, INVALID, INVALID, NF, NF, NO, NO),
    r(f"POST {STATE_A}/workbook/import/confirm", LOGIN, BACK, BACK, NF, NF, NO, NO, data={"plan": "forged"}),
    r(f"GET {STATE_A}/profile.pdf?revision={{missing}}", *MISSING),
    r(f"POST {STATE_A}/profile.pdf", *A_JOBS, writes=True),
    r(f"POST {STATE_A}/profile.pdf?revision={{missing}}", *MISSING),
    r(f"GET {STATE_A}/assignments/", *A_READS),
    r(f"POST {STATE_A}/assignments/", LOGIN, GO, NO, NF, NF, NO, NO, writes=True),
    r(f"GET {STATE_A}/presence/", *A_READS),
    r(f"POST {STATE_A}/presence/", LOGIN, OK, OK, NF, NF, NO, NO, json={"section": "criminalization"},
      writes=True),
    r("GET /analysis/cycles/{cycle}/states/FRA/comparison", *A_READS),
    r("GET /attachments/{attachment_a}", *A_READS),
    r("GET /attachments/{missing}", *MISSING),
    # Comment threads, and threads of one response asked for through another.
    r(f"POST {STATE_A}/comments/", LOGIN, NO, NO, NF, NF, GO, GO, data={"body": "A new thread"}, writes=True),
    r(f"POST {STATE_A}/comments/{{comment_a}}/replies", *A_THREADS, data={"body": "A reply"}, writes=True),
    r(f"POST {STATE_A}/comments/{{comment_a}}/resolve", *A_THREADS, writes=True),
    r(f"POST {STATE_A}/comments/{{reply_a}}/replies", *MISSING, data={"body": "A reply"}),
    r(f"POST {STATE_A}/comments/{{comment_b}}/replies", *MISSING, data={"body": "A reply"}),
    r("POST /cycles/{cycle}/states/DEU/comments/{comment_a}/replies", *MISSING, data={"body": "A reply"}),
    r("POST /cycles/{cycle}/states/DEU/comments/{comment_a}/reopen", *MISSING),
    # Notifications: one's own only.
    r("GET /notifications/", *SIGNED_IN_READS),
    # From an e-mail (a GET writes nothing), and from the list (a POST marks it read).
    r("GET /notifications/{notification_a}", LOGIN, GO, NF, NF, NF, NF, NF),
    r("POST /notifications/{notification_a}", LOGIN, GO, NF, NF, NF, NF, NF, writes=True),
    r("GET /notifications/{missing}", *MISSING),
    r("POST /notifications/{missing}", *MISSING),
    r("POST /notifications/read", *SIGNED_IN_WRITES),
    # Invitations: a focal point invites contributors of their own State only.
    r("GET /invitations/", LOGIN, OK, NO, OK, NO, OK, OK),
    r("POST /invitations/", LOGIN, GO, NO, GO, NO, GO, GO, data=INVITE, writes=True, label="a new person"),
    r("POST /invitations/", LOGIN, GO, NO, SAME, NO, GO, GO, data=REINVITE, writes=True,
      label="State A's pending invitee"),
    r("GET /invitations/accept/guessed-token", *NOWHERE),
    r("POST /invitations/accept/guessed-token", *NOWHERE),
    # The review.
    r("GET /review/", LOGIN, NO, NO, NO, NO, GO, GO),
    r(f"GET {REVIEW_A}", *REVIEW_READS),
    r("GET /review/cycles/{cycle}/states/CHN", *REVIEW_MISSING),
    r(f"POST {REVIEW_A}/return", *REVIEW_WRITES, data={"comment": "Please clarify"}, status="submitted",
      writes=True),
    r(f"POST {REVIEW_A}/accept", *REVIEW_WRITES, status="submitted", writes=True),
    r(f"POST {REVIEW_A}/publish", *REVIEW_WRITES, status="accepted", writes=True),
    # The secretariat's pages across States.
    r("GET /analysis/", *REVIEW_READS),
    r("GET /analysis/cycles/{cycle}/questions", *REVIEW_READS),
    r("GET /analysis/cycles/{missing}/questions", *REVIEW_MISSING),
    r("GET /analysis/cycles/{cycle}/questions/crim_offence", *REVIEW_READS),
    r("GET /analysis/cycles/{cycle}/questions/no_such_question", *REVIEW_MISSING),
    r("GET /analysis/cycles/{cycle}/export", *REVIEW_READS),
    r("GET /analysis/cycles/{cycle}/export.csv", *REVIEW_READS),
    r("GET /analysis/cycles/{cycle}/export.xlsx", *REVIEW_READS),
    r("POST /analysis/cycles/{cycle}/export.xlsx", *REVIEW_JOBS, writes=True),
    r("POST /analysis/cycles/{cycle}/states/FRA/reminder", *REVIEW_JOBS, writes=True),
    r("GET /analysis/cycles/{cycle}/sdg-16-2-2.csv", *REVIEW_READS),
    r("GET /cycles/{cycle}/profiles-en.zip", *REVIEW_READS),
    r("GET /cycles/{missing}/profiles-all.zip", *REVIEW_MISSING),
    r("POST /cycles/{cycle}/profiles-en.zip", *REVIEW_JOBS, writes=True),
    r("POST /cycles/{missing}/profiles-all.zip", *REVIEW_MISSING),
    # Files of jobs: their requester's (and the reviewers', for cycle-wide files) only
    # (tests/test_profile_delivery.py follows one).
    r("GET /jobs/{missing}/file", *MISSING),
    r("GET /audit/", *REVIEW_READS),
    r("GET /questionnaires/", *REVIEW_READS),
    r("GET /questionnaires/test-questionnaire/{version}/", *REVIEW_READS),
    r("GET /questionnaires/test-questionnaire/{missing}/", *REVIEW_MISSING),
    r("GET /cycles/", *REVIEW_READS),
    r("POST /cycles/", *REVIEW_WRITES,
      data={"name": "2027", "version": "{version_id}", "opens_on": "2027-01-01", "closes_on": "2027-12-31",
            "first_year": "2022", "last_year": "2026", "question_set": "full"},
      writes=True),
    r("POST /cycles/{cycle}/close", *REVIEW_WRITES, writes=True),
    r("POST /cycles/{missing}/reopen", *REVIEW_MISSING),
    r("GET /api-tokens/", *REVIEW_READS),
    r("POST /api-tokens/", LOGIN, NO, NO, NO, NO, NEW, NEW, data={"name": "Portal", "scope": "all"},
      writes=True),
    r("POST /api-tokens/{token}/revoke", *REVIEW_WRITES, writes=True),
    r("POST /api-tokens/{missing}/revoke", *REVIEW_MISSING),
    # User accounts: administrators only, and never their own.
    r("GET /admin/users", LOGIN, NO, NO, NO, NO, NO, OK),
    r("POST /admin/users/{user_a}/disable", *ADMIN_WRITES, writes=True),
    r("POST /admin/users/{user_a}/enable", *ADMIN_WRITES),
    r("POST /admin/users/{user_secretariat}/reset-two-factor", *ADMIN_WRITES, writes=True),
    r("POST /admin/users/{missing}/disable", LOGIN, NO, NO, NO, NO, NO, NF),
    r("POST /admin/users/{user_admin}/disable", LOGIN, NO, NO, NO, NO, NO, NF),
    # Public: the blank questionnaire and the published profiles.
    r("GET /cycles/{cycle}/questionnaire.pdf", *PUBLIC),
    r("GET /cycles/{missing}/questionnaire.pdf", *NOWHERE),
    r("GET /profiles/", *PUBLIC),
    r("GET /help", *PUBLIC),
    r("GET /profiles/?q=arg&region=419", *PUBLIC),
    r("GET /profiles/ARG", *PUBLIC),
    r("GET /profiles/FRA", *NOWHERE),
    r("GET /profiles/ZZZ", *NOWHERE),
    r("GET /profiles/{cycle}/ARG/en.pdf", *PUBLIC),
    r("GET /profiles/{cycle}/FRA/en.pdf", *NOWHERE),
    r("POST /profiles/{cycle}/ARG/en.pdf", *(SEE,) * 7, writes=True),
    r("POST /profiles/{cycle}/FRA/en.pdf", *NOWHERE),
    # Probes for load balancers.
    r("GET /healthz", *PUBLIC),
    r("GET /readyz", *PUBLIC),
    # The API: a session adds nothing to what anyone sees without a token.
    r("GET /api/v1/", *PUBLIC),
    r("GET /api/v1/openapi.json", *PUBLIC),
    r("GET /api/v1/cycles", *PUBLIC),
    r("GET /api/v1/cycles/{cycle}", *PUBLIC),
    r("GET /api/v1/cycles/{missing}", *NOWHERE),
    r("GET /api/v1/cycles/{cycle}/responses", *PUBLIC),
    r("GET /api/v1/cycles/{cycle}/responses?status=returned", *(NO,) * 7),
    r("GET /api/v1/cycles/{cycle}/responses/ARG", *PUBLIC),
    r("GET /api/v1/cycles/{cycle}/responses/FRA", *NOWHERE),
    r("GET /api/v1/cycles/{cycle}/questions/crim_offence/distribution", *PUBLIC),
    r("GET /api/v1/cycles/{cycle}/answers.csv", *PUBLIC),
    r("GET /api/v1/cycles/{cycle}/sdg-16-2-2.csv", *PUBLIC),
    # The test questionnaire has no derived classification: 404 for everyone, in JSON.
    r("GET /api/v1/cycles/{cycle}/classifications/offence_coverage/distribution", *NOWHERE),
    r("GET /api/v1/no-such-thing", *NOWHERE),
    *(r(f"{method} /api/v1/cycles/{{cycle}}/responses/FRA", *(READ_ONLY,) * 7)
      for method in ("POST", "PUT", "PATCH", "DELETE")),
]

STAND_IN_PDF = b"%PDF-1.7\n%%EOF\n"


@pytest.fixture(autouse=True)
def quick_profiles(monkeypatch):
    """A profile is a PDF that WeasyPrint takes a second or more to render; who may download
    one is decided before that, so a stand-in does here."""
    monkeypatch.setattr("app.reports.operations.render_profile_pdf", lambda data: STAND_IN_PDF)


#: (status of the world, role) -> the session cookie its user got from the login form.
_sessions: dict[tuple[str, str], str] = {}


def _sign_in(client, login, world, status: str, role: str) -> None:
    """Log in through the login form (two-factor code included) the first time; later, with the
    cookie that login gave: the world is restored as it was, session tokens included."""
    cookie = client.application.config["SESSION_COOKIE_NAME"]
    if (status, role) in _sessions:
        client.set_cookie(cookie, _sessions[status, role])
        return
    login(world.users[role])
    _sessions[status, role] = client.get_cookie(cookie).value


def _send(client, route: Route, ids: dict):
    data = {name: value.format(**ids) for name, value in (route.data or {}).items()}
    return client.open(route.url.format(**ids), method=route.method,
                       **({"json": route.json} if route.json is not None else {"data": data}))


def _check_status(response, expected: Outcome) -> None:
    assert response.status_code == expected.status, response.get_data(as_text=True)[:300]
    if expected.to_login:
        assert response.location.startswith("/login")


def _check_nothing_of_a_shown(response, route: Route) -> None:
    """No trace of State A, in the body or the headers; the page may repeat what was posted."""
    shown = (response.get_data() + str(response.headers).encode()).lower()
    for value in (route.data or {}).values():
        shown = shown.replace(value.lower().encode(), b"")
    assert MARKER.encode() not in shown


def _watched(route: Route, role: str, expected: Outcome) -> bool:
    """Whether the request's effect on the data is checked (the others only read)."""
    return not expected.allowed or route.writes or role not in SEES_A


def _check_changes(before, after, route: Route, role: str, expected: Outcome, world) -> None:
    """Refused: nothing changed at all. Allowed to someone outside State A: nothing of State A."""
    if not expected.allowed:
        assert after == before, "a refused request changed data"
    elif route.writes:
        assert after != before, "the request changed nothing: does the matrix test what it says?"
    if role not in SEES_A:
        assert of_state_a(after, world) == of_state_a(before, world), "someone outside State A changed its data"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_access(client, login, route, role):
    world = world_with(route.status)
    if role != ANONYMOUS:
        _sign_in(client, login, world, route.status, role)
    expected = route.outcomes[ROLES.index(role)]
    skip = ("stashed_forms",) if route.keeps_input and role == ANONYMOUS else ()
    before = snapshot(skip) if _watched(route, role, expected) else None
    response = _send(client, route, world.ids)
    _check_status(response, expected)
    if role not in SEES_A or route.url.startswith("/api/"):
        _check_nothing_of_a_shown(response, route)
    if before is not None:
        _check_changes(before, snapshot(skip), route, role, expected, world)


class _AnyId(dict):
    def __missing__(self, key):
        return "1"


def _endpoint(app, route: Route) -> tuple[str, str] | None:
    """The endpoint and method a row reaches; None for a method no route of its address has
    (the router answers 405, which the row checks)."""
    path = route.url.split("?")[0].format_map(_AnyId())
    try:
        return app.url_map.bind("localhost").match(path, method=route.method)[0], route.method
    except MethodNotAllowed:
        return None


def test_every_route_is_in_the_matrix(app):
    routes = {(rule.endpoint, method) for rule in app.url_map.iter_rules() if rule.endpoint != "static"
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    in_matrix = {_endpoint(app, route) for route in ROUTES} - {None}
    assert sorted(routes - in_matrix) == []
    assert all(len(route.outcomes) == len(ROLES) for route in ROUTES)


def test_another_states_attachment_id_is_dropped_from_a_law_list(client, login):
    """State B cannot make State A's uploaded law its own by posting its id."""
    world = world_with()
    _sign_in(client, login, world, "returned", FOCAL_B)
    section = "/cycles/{cycle}/states/DEU/sections/criminalization".format(**world.ids)
    response = client.post(section, data={"q_crim_offence": "yes", "q_crim_laws-0-title": "Strafgesetzbuch",
                                          "q_crim_laws-0-attachment": str(world.ids["attachment_a"])})
    assert response.status_code == 302
    laws = answers_at(world.ids["response_b"])["crim_laws"]
    assert [(law["title"], law["attachment"]) for law in laws] == [("Strafgesetzbuch", None)]
    assert MARKER not in client.get(section).text


def test_an_api_token_reaches_what_its_scope_allows_until_it_is_revoked(client):
    """Beyond the matrix, where a session adds nothing to the API: the holder of a token."""
    world = world_with()
    everything = create_token("All", TokenScope.ALL, world.users[SECRETARIAT])
    published = create_token("Published", TokenScope.PUBLISHED, world.users[SECRETARIAT])[1]
    db.session.commit()
    url = "/api/v1/cycles/{cycle}/responses/FRA?status=returned".format(**world.ids)

    def get(secret):
        return client.get(url, headers={"Authorization": f"Bearer {secret}"})

    assert get(everything[1]).status_code == 200 and MARKER in get(everything[1]).text
    assert get(published).status_code == 403 and MARKER not in get(published).text
    assert get("tip_guessed").status_code == 401
    revoke_token(everything[0], world.users[SECRETARIAT])
    db.session.commit()
    assert get(everything[1]).status_code == 401 and MARKER not in get(everything[1]).text


def test_a_focal_point_gives_sections_and_invitations_within_their_own_state_only(client, login):
    """Guessed user ids and form fields a focal point's forms do not have are ignored."""
    world = world_with()
    _sign_in(client, login, world, "returned", FOCAL_A)
    assignments = "/cycles/{cycle}/states/FRA/assignments/".format(**world.ids)
    strangers = [world.users[role].id for role in (FOCAL_B, SECRETARIAT)]
    assert client.post(assignments, data={"section_criminalization": strangers}).status_code == 400
    assigned = assignments_of(world.ids["cycle"], "FRA")
    assert {section: [user.id for user in users] for section, users in assigned.items()} == {
        "criminalization": [world.users[CONTRIBUTOR_A].id]}
    invitation = {"email": "someone@example.org", "role": "admin", "state": "DEU", "locale": "en"}
    assert client.post("/invitations/", data=invitation).status_code == 302
    invited = db.session.scalar(select(User).filter_by(email="someone@example.org"))
    assert (invited.role, invited.state_code) == ("contributor", "FRA")
