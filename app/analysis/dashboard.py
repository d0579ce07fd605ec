"""The secretariat's dashboard: every State of a cycle with its status, completion, last
activity, open comments and days to the deadline (for the summary above it), filtered by status and region and sorted by
any column. A fixed handful of queries, whatever the number of States or questions."""
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Text, and_, case, cast, func, select

from app.analysis.names import by_name, name_key
from app.analysis.regions import geoscheme
from app.cycles.models import ReportingCycle
from app.extensions import db
from app.questionnaires.schema import Questionnaire
from app.responses.models import AnswerChange, Response
from app.responses.operations import section_progress
from app.responses.workflow import Status
from app.review.queries import open_comment_counts
from app.states.models import State
from app.states.names import state_name

NOT_STARTED = "not_started"
#: Statuses in workflow order, which is also their sort order.
STATUS_ORDER = (NOT_STARTED, Status.DRAFT.value, Status.RETURNED.value, Status.SUBMITTED.value,
                Status.ACCEPTED.value, Status.PUBLISHED.value)
#: States that still have to act before the deadline.
AWAITING_STATE = frozenset({NOT_STARTED, Status.DRAFT.value, Status.RETURNED.value})


@dataclass(frozen=True)
class DashboardRow:
    code: str
    name: str
    #: Names of the State's regions, from the largest to the most specific.
    regions: tuple[str, ...]
    status: str
    answered: int
    applicable: int
    last_activity: datetime | None
    open_comments: int
    #: Days left before the deadline (negative once passed); None when the State has submitted.
    days_left: int | None

    @property
    def completion(self) -> float | None:
        return self.answered / self.applicable if self.applicable else None

    @property
    def region(self) -> str:
        return self.regions[-1] if self.regions else ""


SORT_KEYS = {
    "name": lambda row: name_key(row.name),
    "region": lambda row: tuple(name_key(name) for name in row.regions),
    "status": lambda row: STATUS_ORDER.index(row.status),
    "completion": lambda row: row.completion,
    "activity": lambda row: row.last_activity,
    "comments": lambda row: row.open_comments,
}


@dataclass(frozen=True)
class Filters:
    status: str | None = None
    region: str | None = None
    sort: str = "name"
    descending: bool = False

    @classmethod
    def parse(cls, args) -> "Filters":
        """Filters from a query string; unknown values fall back to no filter and sorting by name."""
        status = args.get("status")
        region = args.get("region")
        sort = args.get("sort")
        return cls(
            status=status if status in STATUS_ORDER else None,
            region=region if geoscheme().region(region) else None,
            sort=sort if sort in SORT_KEYS else "name",
            descending=args.get("order") == "desc",
        )


def _states_and_responses(cycle: ReportingCycle):
    return db.session.execute(
        select(State.code, State.alpha2, Response.id, Response.status, Response.updated_at)
        .outerjoin(Response, and_(Response.state_code == State.code, Response.cycle_id == cycle.id,
                                  Response.questionnaire_version_id == cycle.questionnaire_version_id))
    ).all()


def progress_values(cycle: ReportingCycle, questionnaire: Questionnaire) -> dict[int, dict[str, object]]:
    """Per response, what progress needs of its current answers, in one query: the values of the
    questions that display conditions depend on, and for every other answered question only the
    fact that it is answered (reading 29,000 answers whole would cost more than the page itself)."""
    sources = sorted({q.condition.question for q in questionnaire.questions.values() if q.condition})
    latest = (
        select(AnswerChange.response_id, AnswerChange.question_id,
               func.max(AnswerChange.revision_number).label("number"))
        .join(Response, Response.id == AnswerChange.response_id).where(Response.cycle_id == cycle.id)
        .group_by(AnswerChange.response_id, AnswerChange.question_id).subquery()
    )
    rows = db.session.execute(
        select(AnswerChange.response_id, AnswerChange.question_id,
               case((AnswerChange.question_id.in_(sources), AnswerChange.value)))
        .join(latest, and_(AnswerChange.response_id == latest.c.response_id,
                           AnswerChange.question_id == latest.c.question_id,
                           AnswerChange.revision_number == latest.c.number))
        .where(cast(AnswerChange.value, Text) != "null")  # a cleared answer is stored as JSON null
    )
    values: dict[int, dict[str, object]] = {}
    for response_id, question_id, value in rows:
        values.setdefault(response_id, {})[question_id] = True if value is None else value
    return values


def build_rows(cycle: ReportingCycle, questionnaire: Questionnaire, locale: str, today: date) -> list[DashboardRow]:
    """One row per State (started or not), in no particular order."""
    states = _states_and_responses(cycle)
    answers = progress_values(cycle, questionnaire)
    comments = open_comment_counts(cycle.id)
    scheme = geoscheme()
    rows = []
    for code, alpha2, response_id, status, updated_at in states:
        status = status or NOT_STARTED
        progress = section_progress(questionnaire, answers.get(response_id, {})).values()
        rows.append(DashboardRow(
            code=code, name=state_name(alpha2, locale), regions=scheme.path_names(code, locale), status=status,
            answered=sum(done for done, _ in progress), applicable=sum(total for _, total in progress),
            last_activity=updated_at, open_comments=comments.get(response_id, 0),
            days_left=(cycle.closes_on - today).days if status in AWAITING_STATE else None,
        ))
    return rows


def in_region(rows: list[DashboardRow], region: str | None) -> list[DashboardRow]:
    if region is None:
        return rows
    scheme = geoscheme()
    return [row for row in rows if scheme.contains(region, row.code)]


def status_counts(rows: list[DashboardRow]) -> dict[str, int]:
    return {status: sum(1 for row in rows if row.status == status) for status in STATUS_ORDER}


def sort_rows(rows: list[DashboardRow], sort: str, descending: bool) -> list[DashboardRow]:
    """Sorted by ``sort`` then by name; rows without a value (no activity yet...) come last."""
    key = SORT_KEYS[sort]
    rows = by_name(rows)
    present = sorted((row for row in rows if key(row) is not None), key=key, reverse=descending)
    return present + [row for row in rows if key(row) is None]


def filtered(rows: list[DashboardRow], filters: Filters) -> tuple[list[DashboardRow], dict[str, int]]:
    """The rows to show, and the count per status within the region (for the status filter)."""
    rows = in_region(rows, filters.region)
    counts = status_counts(rows)
    if filters.status:
        rows = [row for row in rows if row.status == filters.status]
    return sort_rows(rows, filters.sort, filters.descending), counts
