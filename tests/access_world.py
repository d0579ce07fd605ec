"""The world of the access matrix (tests/test_access_matrix.py): State A (France) with a response
and everything around it, State B (Germany) with its own, a published profile of a third State,
the secretariat and an administrator. Built through the app's own operations.

Everything of State A carries ``MARKER`` (answers, comments, a file name, its users' names, an
invitation), so a page that leaks any of it to someone who may not see it is caught."""
import hashlib
import io
from dataclasses import dataclass

from sqlalchemy import select

from app.api.models import TokenScope
from app.api.tokens import create_token
from app.assignments.operations import set_assignments
from app.attachments.operations import blob_path, store_attachment
from app.auth.models import Role, User
from app.auth.sessions import end_all_sessions
from app.extensions import db
from app.invitations.operations import invite
from app.models import metadata
from app.notifications.models import Notification
from app.presence.operations import heartbeat
from app.questionnaires.versions import questionnaire_for
from app.responses import operations as ops
from app.responses.models import Response
from app.responses.workflow import Action
from app.review import operations as review
from app.review.models import ReviewComment
from app.states.models import State
from tests import factories

MARKER = "fra-secret-7q"
PDF_BYTES = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
#: An id no object has.
MISSING = 987654

ANONYMOUS, FOCAL_A, CONTRIBUTOR_A, FOCAL_B, CONTRIBUTOR_B, SECRETARIAT, ADMIN = ROLES = (
    "anonymous", "focal_point_A", "contributor_A", "focal_point_B", "contributor_B", "secretariat", "admin")
#: Who may see State A's response; nothing of it may reach the others.
SEES_A = frozenset({FOCAL_A, CONTRIBUTOR_A, SECRETARIAT, ADMIN})
#: The statuses State A's response can be left in: each step after the first return.
TAILS = {"returned": (), "submitted": ("submit",), "accepted": ("submit", "accept")}


@dataclass
class World:
    users: dict[str, User]
    #: The values of the placeholders in the matrix's addresses.
    ids: dict[str, int]
    response_a: int


def _users() -> dict[str, User]:
    return {
        FOCAL_A: factories.user("focal_point", "FRA", name=f"Focal {MARKER}", email=f"focal.{MARKER}@example.org"),
        CONTRIBUTOR_A: factories.user("contributor", "FRA", name=f"Contributor {MARKER}"),
        FOCAL_B: factories.user("focal_point", "DEU", name="Focal DEU"),
        CONTRIBUTOR_B: factories.user("contributor", "DEU", name="Contributor DEU"),
        SECRETARIAT: factories.user("secretariat"),
        ADMIN: factories.user("admin"),
    }


def _response(code: str, cycle, author: User, answers: dict) -> Response:
    ops.create_response(db.session.get(State, code), cycle, author, answers)
    return db.session.scalar(select(Response).filter_by(state_code=code, cycle_id=cycle.id))


def _state_a(cycle, users, status: str) -> dict[str, int]:
    """France: a law with its uploaded text, a save by the contributor, a submission returned
    with a comment thread (and so notifications), then ``status``."""
    focal, contributor, reviewer = users[FOCAL_A], users[CONTRIBUTOR_A], users[SECRETARIAT]
    attachment = store_attachment("FRA", cycle.id, focal, f"law-{MARKER}.pdf", io.BytesIO(PDF_BYTES))
    law = {"title": f"Code {MARKER}", "article": None, "adopted": None, "status": None, "url": None,
           "attachment": attachment.id}
    response = _response("FRA", cycle, focal, {"crim_offence": "yes", "crim_law": f"Article {MARKER}",
                                                "crim_laws": [law], "prot_shelter": "no"})
    ops.save_answers(response, contributor, {"data_body": f"Ministry {MARKER}"})
    review.submit_response(response, focal)
    review.return_response(response, reviewer, f"Clarify {MARKER}")
    root = db.session.scalar(select(ReviewComment).filter_by(response_id=response.id))
    review.reply(response, root, reviewer, f"Also {MARKER}")
    answer = review.reply(response, root, focal, f"Answer {MARKER}")
    for step in TAILS[status]:
        ops.change_status(response, Action(step), focal if step == "submit" else reviewer)
    set_assignments(focal, cycle.id, questionnaire_for(cycle.questionnaire_version),
                    {"criminalization": {contributor.id}})
    heartbeat(contributor, cycle.id, "FRA", "criminalization")
    invitee = invite(focal, f"invitee.{MARKER}@example.org", Role.CONTRIBUTOR, None, "en")[0]
    notification = db.session.scalar(select(Notification).filter_by(user_id=focal.id, kind="commented"))
    return {"response_a": response.id, "comment_a": root.id, "reply_a": answer.id, "attachment_a": attachment.id,
            "notification_a": notification.id, "invitee_a": invitee.id}


def _state_b(cycle, users) -> dict[str, int]:
    """Germany: a submission returned with a comment."""
    response = _response("DEU", cycle, users[FOCAL_B], {"crim_offence": "no", "prot_shelter": "yes"})
    review.submit_response(response, users[FOCAL_B])
    review.return_response(response, users[SECRETARIAT], "Clarify DEU")
    return {"response_b": response.id,
            "comment_b": db.session.scalar(select(ReviewComment.id).filter_by(response_id=response.id))}


def _published(cycle, reviewer: User) -> None:
    """Argentina: a published profile, which everyone may download."""
    response = _response("ARG", cycle, factories.user("focal_point", "ARG"), {"crim_offence": "yes"})
    for step in ("submit", "accept", "publish"):
        ops.change_status(response, Action(step), reviewer)


def build_world(status: str = "returned") -> World:
    cycle = factories.cycle()
    users = _users()
    ids = {"cycle": cycle.id, "missing": MISSING, "version": cycle.questionnaire_version.version,
           "version_id": cycle.questionnaire_version.id, "user_a": users[FOCAL_A].id,
           "user_secretariat": users[SECRETARIAT].id, "user_admin": users[ADMIN].id}
    ids |= _state_a(cycle, users, status) | _state_b(cycle, users)
    _published(cycle, users[SECRETARIAT])
    ids["token"] = create_token("Data portal", TokenScope.ALL, users[SECRETARIAT])[0].id
    for user in users.values():  # recorded, so that a session cookie of one test works in the next
        end_all_sessions(user)
    db.session.commit()
    return World(users, ids, ids["response_a"])


#: Reference data no request changes (and the conftest keeps between tests).
REFERENCE_TABLES = {"states", "questionnaire_versions", "alembic_version"}
#: status -> (the rows of the world built for it, by table; its ids; its users' ids by role).
_recorded: dict[str, tuple[dict[str, list[dict]], dict, dict[str, int]]] = {}


def _tables():
    return [table for table in metadata.sorted_tables if table.name not in REFERENCE_TABLES]


def world_with(status: str = "returned") -> World:
    """The world with State A's response in ``status``: built through the operations the first
    time, then restored from the rows recorded then (the conftest empties the database after
    each test, and a few inserts cost far less than the operations)."""
    if status not in _recorded:
        built = build_world(status)
        rows = {table.name: [dict(row._mapping) for row in db.session.execute(
            table.select().order_by(*table.primary_key.columns))] for table in _tables()}
        _recorded[status] = rows, built.ids, {role: user.id for role, user in built.users.items()}
        db.session.rollback()
        return built
    rows, ids, user_ids = _recorded[status]
    for table in _tables():
        if rows[table.name]:
            db.session.execute(table.insert(), rows[table.name])
    db.session.commit()
    _keep_upload()
    users = {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(user_ids.values())))}
    return World({role: users[user_id] for role, user_id in user_ids.items()}, ids, ids["response_a"])


def _keep_upload() -> None:
    """The uploaded file's content, in case another test emptied the upload folder."""
    path = blob_path(hashlib.sha256(PDF_BYTES).hexdigest())
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(PDF_BYTES)


def _a_column(table, world: World) -> tuple[int, set] | None:
    """(position of the column, its values) that select State A's rows of ``table``; None when
    the table holds nothing of a State."""
    names = list(table.c.keys())
    if "state_code" in names:
        return names.index("state_code"), {"FRA"}
    if "response_id" in names:
        return names.index("response_id"), {world.response_a}
    if "user_id" in names:
        return names.index("user_id"), {world.users[FOCAL_A].id, world.users[CONTRIBUTOR_A].id,
                                        world.ids["invitee_a"]}
    return None


#: Tables that count requests rather than hold data: every request to the API counts, refused or not.
BOOKKEEPING = ("rate_limit_counters",)


def snapshot(skip: tuple[str, ...] = ()) -> dict[str, list[tuple]]:
    """Every row of every table but ``skip``, to compare before and after a request."""
    rows = {table.name: sorted((tuple(row) for row in db.session.execute(table.select())), key=repr)
            for table in _tables() if table.name not in skip + BOOKKEEPING}
    db.session.rollback()
    return rows


def of_state_a(rows: dict[str, list[tuple]], world: World) -> dict[str, list[tuple]]:
    """State A's rows of a snapshot: those of its State, its response or its users."""
    kept = {}
    for table in _tables():
        column = _a_column(table, world)
        if column is not None and table.name in rows:
            kept[table.name] = [row for row in rows[table.name] if row[column[0]] in column[1]]
    return kept
