"""Reading comment threads, what changed between submissions and what is still missing before
one. Every function here takes a fixed number of queries, whatever the number of questions or
comments."""
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.cycles.models import ReportingCycle
from app.extensions import db
from app.questionnaires.answers import is_answered
from app.questionnaires.schema import Question, Questionnaire
from app.questionnaires.versions import questionnaire_for
from app.responses.diff import compare_answers, mark_changes
from app.responses.models import Response, Revision
from app.responses.operations import answer_states_at, confidential_of, values_of
from app.responses.prefill import accepted_source
from app.responses.workflow import Action
from app.review.models import ReviewComment


@dataclass(frozen=True)
class EarlierAnswers:
    """The State's answers as accepted in an earlier cycle, with that cycle's questions."""

    cycle: ReportingCycle
    questions: dict[str, Question]
    values: dict


def earlier_accepted(state_code: str, cycle: ReportingCycle) -> EarlierAnswers | None:
    """The State's latest accepted (or published) answers of a cycle opened before this one,
    as the reviewer sets them beside this cycle's; None when it has none. Two queries."""
    source = accepted_source(state_code, cycle)
    if source is None:
        return None
    response_id, number, earlier_cycle = source
    questions = questionnaire_for(earlier_cycle.questionnaire_version).questions
    values = {qid: state.value for qid, state in answer_states_at(response_id, number).items()
              if qid in questions and is_answered(state.value)}
    return EarlierAnswers(earlier_cycle, questions, values)


@dataclass
class Thread:
    """A comment of the secretariat and the replies to it, oldest first."""

    root: ReviewComment
    replies: list[ReviewComment] = field(default_factory=list)

    @property
    def id(self) -> int:
        return self.root.id

    @property
    def question_id(self) -> str | None:
        return self.root.question_id

    @property
    def is_open(self) -> bool:
        return self.root.is_open

    @property
    def comments(self) -> list[ReviewComment]:
        return [self.root, *self.replies]


def threads_for(response_id: int) -> list[Thread]:
    """Every thread of a response, in the order they were started."""
    comments = db.session.scalars(
        select(ReviewComment).where(ReviewComment.response_id == response_id)
        .options(joinedload(ReviewComment.author), joinedload(ReviewComment.resolved_by))
        .order_by(ReviewComment.created_at, ReviewComment.id)
    ).all()
    threads = {c.id: Thread(c) for c in comments if c.parent_id is None}
    for comment in comments:
        if comment.parent_id is not None:
            threads[comment.parent_id].replies.append(comment)
    return list(threads.values())


def threads_by_question(threads: list[Thread]) -> dict[str | None, list[Thread]]:
    grouped: dict[str | None, list[Thread]] = {}
    for thread in threads:
        grouped.setdefault(thread.question_id, []).append(thread)
    return grouped


def thread_root(response_id: int, comment_id: int) -> ReviewComment | None:
    """The first comment of a thread, only within the given response (reached through
    ``load_context``, which enforces who may see it)."""
    return db.session.scalar(select(ReviewComment).where(
        ReviewComment.id == comment_id, ReviewComment.response_id == response_id,
        ReviewComment.parent_id.is_(None)))


def open_comment_counts(cycle_id: int) -> dict[int, int]:
    """Unresolved threads per response id, in one query: the one definition of an "open"
    comment (the analysis dashboard counts these)."""
    rows = db.session.execute(
        select(ReviewComment.response_id, func.count())
        .join(Response, Response.id == ReviewComment.response_id)
        .where(Response.cycle_id == cycle_id, ReviewComment.parent_id.is_(None),
               ReviewComment.resolved_at.is_(None))
        .group_by(ReviewComment.response_id)
    )
    return {response_id: count for response_id, count in rows}


def submission_numbers(response_id: int) -> tuple[int | None, int | None]:
    """(the submission before the latest, the latest submission): revision numbers or None."""
    numbers = db.session.scalars(
        select(Revision.number).where(Revision.response_id == response_id, Revision.kind == Action.SUBMIT.value)
        .order_by(Revision.number.desc()).limit(2)
    ).all()
    return (numbers[1] if len(numbers) > 1 else None), (numbers[0] if numbers else None)


@dataclass(frozen=True)
class SubmissionChanges:
    """What differs between the previous submission and the latest one (revision numbers; both
    None before a second submission)."""

    previous: int | None = None
    latest: int | None = None
    #: Questions whose answer differs.
    answers: frozenset[str] = frozenset()
    #: Questions whose confidentiality mark differs.
    marks: frozenset[str] = frozenset()
    #: Of those, the ones marked confidential in the latest submission.
    marked: frozenset[str] = frozenset()

    @property
    def questions(self) -> frozenset[str]:
        return self.answers | self.marks


def changes_since_previous_submission(questionnaire: Questionnaire, response_id: int,
                                      locale: str = "en") -> SubmissionChanges:
    """The answers and confidentiality marks as submitted the time before, compared with those of
    the latest submission (app/responses/diff.py): a question changed and changed back is not
    listed. Three queries."""
    previous, latest = submission_numbers(response_id)
    if previous is None:
        return SubmissionChanges(latest=latest)
    old, new = answer_states_at(response_id, previous), answer_states_at(response_id, latest)
    diffs = compare_answers(questionnaire, values_of(old), values_of(new), locale)
    marks = mark_changes(questionnaire, confidential_of(old), confidential_of(new))
    return SubmissionChanges(previous, latest, frozenset(d.question.id for d in diffs),
                             frozenset(q.id for q, _ in marks), frozenset(q.id for q, marked in marks if marked))
