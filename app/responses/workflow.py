"""The review workflow in one place: which action moves a response from which status to which,
and who may take it. The revisions table's CHECK constraint is generated from ``TRANSITIONS``,
so the database refuses an illegal transition even if code tried one; and it keeps the sequence
(app/responses/models.py, migration 0510_history_guards): each revision starts from the status
the previous one ended in, a response's status is its latest revision's, and revisions and their
answers are never updated or deleted."""
import enum

from app.auth.models import REVIEW_ROLES, Role


class Status(str, enum.Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    ACCEPTED = "accepted"
    PUBLISHED = "published"


class Action(str, enum.Enum):
    CREATE = "create"
    SAVE = "save"
    SUBMIT = "submit"
    RETURN = "return"
    ACCEPT = "accept"
    PUBLISH = "publish"
    #: Bring back the answers of an earlier revision (all, or one question's) as a new revision.
    RESTORE = "restore"


#: (action, status before) -> status after. ``None`` before: the response does not exist yet.
TRANSITIONS: dict[tuple[Action, Status | None], Status] = {
    (Action.CREATE, None): Status.DRAFT,
    (Action.SAVE, Status.DRAFT): Status.DRAFT,
    (Action.SAVE, Status.RETURNED): Status.RETURNED,
    (Action.SUBMIT, Status.DRAFT): Status.SUBMITTED,
    (Action.SUBMIT, Status.RETURNED): Status.SUBMITTED,
    (Action.RETURN, Status.SUBMITTED): Status.RETURNED,
    (Action.ACCEPT, Status.SUBMITTED): Status.ACCEPTED,
    (Action.PUBLISH, Status.ACCEPTED): Status.PUBLISHED,
    (Action.RESTORE, Status.DRAFT): Status.DRAFT,
    (Action.RESTORE, Status.RETURNED): Status.RETURNED,
}

#: Who may take each action (State roles act on their own State only; see the queries).
ACTORS: dict[Action, frozenset[Role]] = {
    Action.CREATE: frozenset({Role.FOCAL_POINT, Role.CONTRIBUTOR}),
    Action.SAVE: frozenset({Role.FOCAL_POINT, Role.CONTRIBUTOR}),
    Action.SUBMIT: frozenset({Role.FOCAL_POINT}),
    Action.RETURN: REVIEW_ROLES,
    Action.ACCEPT: REVIEW_ROLES,
    Action.PUBLISH: REVIEW_ROLES,
    Action.RESTORE: frozenset({Role.FOCAL_POINT, Role.CONTRIBUTOR}),
}

#: Statuses in which the State can still change its answers.
EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})


class TransitionError(Exception):
    """An action that the workflow does not allow from the response's current status."""


def next_status(action: Action, current: Status | None) -> Status:
    try:
        return TRANSITIONS[(action, current)]
    except KeyError:
        raise TransitionError(f"{action.value} is not allowed from {current.value if current else 'nothing'}")


def may(role: Role, action: Action) -> bool:
    return role in ACTORS[action]


def allowed_actions(current: Status | None) -> set[Action]:
    return {action for (action, before) in TRANSITIONS if before == current}


def transition_check_sql() -> str:
    """SQL for the revisions table: (kind, status_before, status) must be a legal transition."""
    clauses = []
    for (action, before), after in sorted(TRANSITIONS.items(), key=lambda t: (t[0][0].value, str(t[0][1]))):
        # "IS NOT NULL" first: a NULL status_before must fail the clause, not make it unknown
        # (a CHECK passes when its expression is NULL).
        before_sql = ("status_before IS NULL" if before is None
                      else f"status_before IS NOT NULL AND status_before = '{before.value}'")
        clauses.append(f"(kind = '{action.value}' AND {before_sql} AND status = '{after.value}')")
    return " OR ".join(clauses)
