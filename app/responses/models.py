from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.cycles.models import ReportingCycle
from app.database import JSONType, UTCDateTime, utcnow
from app.extensions import db
from app.questionnaires.models import QuestionnaireVersion
from app.responses.workflow import Status, transition_check_sql
from app.states.models import State

_STATUSES = ", ".join(f"'{s.value}'" for s in Status)


class Response(db.Model):
    """A State's answers to one questionnaire version in one reporting cycle."""

    __tablename__ = "responses"
    __table_args__ = (
        sa.UniqueConstraint("state_code", "cycle_id", "questionnaire_version_id"),
        sa.CheckConstraint(f"status IN ({_STATUSES})", name="status_known"),
        sa.CheckConstraint("revision_count >= 1", name="has_revision"),
        # The status is the latest revision's: (id, revision_count, status) names a revision. Checked
        # at commit, since a save raises the counter just before it adds the revision (and a backup
        # restores responses before revisions). Triggers keep the counter at the latest revision:
        # it never goes down, and no revision is added beyond it (migration 0510_history_guards).
        sa.ForeignKeyConstraint(["id", "revision_count", "status"],
                                ["revisions.response_id", "revisions.number", "revisions.status"],
                                use_alter=True, deferrable=True, initially="DEFERRED"),
    )

    #: Generated although part of the foreign key to the latest revision.
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    state_code: Mapped[str] = mapped_column(sa.ForeignKey(State.code), index=True)
    cycle_id: Mapped[int] = mapped_column(sa.ForeignKey(ReportingCycle.id), index=True)
    questionnaire_version_id: Mapped[int] = mapped_column(sa.ForeignKey(QuestionnaireVersion.id))
    #: The status after the latest revision (kept here so lists need no revision query).
    status: Mapped[str] = mapped_column(sa.String(20))
    #: Number of the latest revision; revisions are numbered 1, 2, 3... per response.
    revision_count: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    state: Mapped[State] = relationship()
    cycle: Mapped[ReportingCycle] = relationship()
    questionnaire_version: Mapped[QuestionnaireVersion] = relationship()

    @property
    def status_enum(self) -> Status:
        return Status(self.status)

    def __repr__(self) -> str:
        return f"<Response {self.state_code} cycle={self.cycle_id} {self.status}>"


def _previous_number(context) -> int | None:
    number = context.get_current_parameters()["number"]
    return number - 1 if number > 1 else None


class Revision(db.Model):
    """One immutable step in a response's life: a save of changed answers or a status change.

    The database keeps the sequence: revision 1 creates the response, each later one starts
    from the status the one before it ended in (the foreign key on ``previous_number``), and
    takes a legal step from there (``legal_transition``). Rows are never updated or deleted,
    nor are the answers they hold (triggers of migration 0510_history_guards)."""

    __tablename__ = "revisions"
    __table_args__ = (
        sa.UniqueConstraint("response_id", "number"),
        # What the next revision's ``status_before`` and the response's status refer to.
        sa.UniqueConstraint("response_id", "number", "status"),
        sa.CheckConstraint("number >= 1", name="number_positive"),
        sa.CheckConstraint(transition_check_sql(), name="legal_transition"),
        sa.CheckConstraint("(number = 1 AND kind = 'create' AND previous_number IS NULL) "
                           "OR (number > 1 AND kind <> 'create' AND previous_number IS NOT NULL "
                           "AND previous_number = number - 1)", name="follows_the_previous"),
        sa.ForeignKeyConstraint(["response_id", "previous_number", "status_before"],
                                ["revisions.response_id", "revisions.number", "revisions.status"]),
        sa.CheckConstraint("(kind = 'restore' AND restored_from IS NOT NULL AND restored_from < number) "
                           "OR (kind <> 'restore' AND restored_from IS NULL)", name="restore_names_its_source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(sa.ForeignKey(Response.id, ondelete="CASCADE"))
    number: Mapped[int]
    #: The workflow action: create, save, submit, return, accept, publish, restore.
    kind: Mapped[str] = mapped_column(sa.String(20))
    status_before: Mapped[str | None] = mapped_column(sa.String(20))
    status: Mapped[str] = mapped_column(sa.String(20))
    author_id: Mapped[int] = mapped_column(sa.ForeignKey(User.id))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: How many answers this revision changed.
    change_count: Mapped[int] = mapped_column(default=0)
    #: For a restore: the earlier revision whose answers it brought back.
    restored_from: Mapped[int | None]
    #: For answers imported from workbooks (app/workbooks): the names of the files.
    imported_from: Mapped[str | None] = mapped_column(sa.String(1000))
    #: ``number - 1`` (NULL for revision 1), set by default: with ``status_before`` it must name
    #: the previous revision and the status it ended in.
    previous_number: Mapped[int | None] = mapped_column(default=_previous_number)

    author: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<Revision {self.response_id}#{self.number} {self.kind}>"


class AnswerChange(db.Model):
    """The new value of one answer in one revision. Only changed answers are stored; the answer
    at revision N is the change with the highest revision number <= N. A null value is a
    cleared answer. Never updated or deleted; a revision holds at most ``change_count`` of
    them, so no answer is added to a revision once it is stored (a submitted or accepted one
    holds none)."""

    __tablename__ = "answer_changes"
    __table_args__ = (
        sa.ForeignKeyConstraint(
            ["response_id", "revision_number"], [Revision.response_id, Revision.number], ondelete="CASCADE"
        ),
        sa.Index("ix_answer_changes_lookup", "response_id", "question_id", "revision_number"),
    )

    response_id: Mapped[int] = mapped_column(primary_key=True)
    revision_number: Mapped[int] = mapped_column(primary_key=True)
    #: The question's stable id from the definition.
    question_id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    value: Mapped[object | None] = mapped_column(JSONType)
    #: Whether the State marked the answer confidential: the secretariat sees it, public
    #: profiles, exports and the public API leave it out.
    confidential: Mapped[bool] = mapped_column(default=False, server_default=sa.false())


class FigureConfirmation(db.Model):
    """A respondent's confirmation that figures flagged by a warning are correct, recorded with
    the revision whose figures it confirms. It holds only while those exact figures stand (the
    ``fingerprint`` of the check and its figures): changed figures need a new confirmation.
    Never changed or deleted."""

    __tablename__ = "figure_confirmations"
    __table_args__ = (
        sa.ForeignKeyConstraint(
            ["response_id", "revision_number"], [Revision.response_id, Revision.number], ondelete="CASCADE"
        ),
        sa.UniqueConstraint("response_id", "fingerprint"),
        sa.CheckConstraint("length(fingerprint) = 64", name="fingerprint_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int]
    #: The latest revision when the figures were confirmed: the figures it holds are those confirmed.
    revision_number: Mapped[int]
    #: The table question whose warning was confirmed.
    question_id: Mapped[str] = mapped_column(sa.String(64))
    #: SHA-256 of the check and the figures it flagged (see app/questionnaires/checks.py).
    fingerprint: Mapped[str] = mapped_column(sa.String(64))
    confirmed_by_id: Mapped[int] = mapped_column(sa.ForeignKey(User.id))
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    confirmed_by: Mapped[User] = relationship()


class ResponsePrefill(db.Model):
    """Where a response's first answers came from: the last accepted answers of the State in
    an earlier cycle, copied into revision 1 when the State started the new cycle's response."""

    __tablename__ = "response_prefills"

    response_id: Mapped[int] = mapped_column(sa.ForeignKey(Response.id, ondelete="CASCADE"), primary_key=True)
    source_cycle_id: Mapped[int] = mapped_column(sa.ForeignKey(ReportingCycle.id))
    source_response_id: Mapped[int] = mapped_column(sa.ForeignKey(Response.id))
    #: The accepted (or published) revision of the source response whose answers were copied.
    source_revision_number: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    source_cycle: Mapped[ReportingCycle] = relationship()
