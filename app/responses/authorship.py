"""Who wrote what: for each answer, the person who last changed it and when, from the
revisions (one query for a whole response)."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from app.auth.models import User
from app.auth.people import person_label
from app.extensions import db
from app.responses.models import AnswerChange, Revision


@dataclass(frozen=True)
class LastChange:
    name: str
    email: str
    organisation: str
    at: datetime
    revision_number: int
    #: The revision's kind (``create`` for the first answers, perhaps prefilled).
    kind: str

    @property
    def person(self) -> str:
        return person_label(self.name, self.email, self.organisation)


def last_changes(response_id: int) -> dict[str, LastChange]:
    """The latest change of every answer of the response, by question id."""
    latest = (
        select(AnswerChange.question_id, func.max(AnswerChange.revision_number).label("number"))
        .where(AnswerChange.response_id == response_id)
        .group_by(AnswerChange.question_id)
        .subquery()
    )
    rows = db.session.execute(
        select(latest.c.question_id, User.name, User.email, User.organisation, Revision.created_at,
               Revision.number, Revision.kind)
        .join(Revision, (Revision.response_id == response_id) & (Revision.number == latest.c.number))
        .join(User, User.id == Revision.author_id)
    )
    return {qid: LastChange(name, email, organisation, at, number, kind)
            for qid, name, email, organisation, at, number, kind in rows}
