"""The database guards the sequence of revisions, not only each step: a revision starts from the
status the previous one ended in, a response's status is its latest revision's, and revisions and
the answers they hold are never updated or deleted (history is never rewritten).

- revisions.previous_number (number - 1; NULL for revision 1) with (response_id, previous_number,
  status_before) referring to revisions (response_id, number, status): an accept on a draft
  response, or any step from a status the response was not in, has nothing to refer to.
- responses (id, revision_count, status) refers to revisions (response_id, number, status),
  checked at commit (a save raises the counter just before it adds the revision, a backup restores
  responses before revisions); triggers keep revision_count at the latest revision: it never goes
  down, and no revision is added beyond it. So responses.status changes only with a revision.
- revisions and answer_changes refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL), so a
  response is never deleted either; a revision takes at most change_count answers, so a stored
  revision (a submitted or accepted one holds none) never gains one.

Existing databases: previous_number is filled in; a database whose history already breaks these
rules is refused with the rows at fault, before anything changes.

On SQLite a later migration that rebuilds revisions, answer_changes or responses in batch mode
drops their triggers with the table (and a rename fails while a trigger names a dropped table):
drop the triggers first and create them again afterwards, as downgrade() and upgrade() do here.

Revision ID: 0510_history_guards
Revises: 0500_restore
Create Date: 2026-11-24 10:00:00
"""
from alembic import op
import sqlalchemy as sa

revision = '0510_history_guards'
down_revision = '0500_restore'
branch_labels = None
depends_on = None

FOLLOWS_THE_PREVIOUS = ("(number = 1 AND kind = 'create' AND previous_number IS NULL) "
                        "OR (number > 1 AND kind <> 'create' AND previous_number IS NOT NULL "
                        "AND previous_number = number - 1)")

APPEND_ONLY = ("revisions", "answer_changes")
_ABORT = "BEGIN SELECT RAISE(ABORT, '{message}'); END"
SQLITE_TRIGGERS = [
    *(f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
      + _ABORT.format(message=f"{table} is append-only: history is never rewritten")
      for table in APPEND_ONLY for action in ("UPDATE", "DELETE")),
    "CREATE TRIGGER revisions_not_beyond_the_latest BEFORE INSERT ON revisions "
    "WHEN NEW.number > (SELECT revision_count FROM responses WHERE id = NEW.response_id) "
    + _ABORT.format(message="a revision is added only as the latest: raise responses.revision_count to its number"),
    "CREATE TRIGGER responses_revision_count_never_decreases BEFORE UPDATE OF revision_count ON responses "
    "WHEN NEW.revision_count < OLD.revision_count "
    + _ABORT.format(message="responses.revision_count never goes down: history is never rewritten"),
    "CREATE TRIGGER answer_changes_as_many_as_counted BEFORE INSERT ON answer_changes "
    "WHEN (SELECT count(*) FROM answer_changes WHERE response_id = NEW.response_id "
    "AND revision_number = NEW.revision_number) >= (SELECT change_count FROM revisions "
    "WHERE response_id = NEW.response_id AND number = NEW.revision_number) "
    + _ABORT.format(message="a revision holds change_count answers: a stored revision gains none"),
]

#: Errors raised as integrity violations (SQLSTATE 23000), as SQLite's RAISE(ABORT) and the
#: constraints are: the driver reports them all as IntegrityError.
_RAISE = "RAISE EXCEPTION {message} USING ERRCODE = 'integrity_constraint_violation'"
POSTGRESQL_FUNCTIONS = {
    "history_is_append_only":
        "BEGIN " + _RAISE.format(message="'% is append-only: history is never rewritten', TG_TABLE_NAME") + "; END",
    "revision_not_beyond_the_latest":
        "BEGIN IF NEW.number > (SELECT revision_count FROM responses WHERE id = NEW.response_id) THEN "
        + _RAISE.format(message="'revision % of response % is added without raising its revision_count', "
                                "NEW.number, NEW.response_id")
        + "; END IF; RETURN NEW; END",
    "revision_count_never_decreases":
        "BEGIN " + _RAISE.format(message="'responses.revision_count never goes down: history is never rewritten'")
        + "; END",
    "answers_as_many_as_counted":
        "BEGIN IF (SELECT count(*) FROM answer_changes WHERE response_id = NEW.response_id "
        "AND revision_number = NEW.revision_number) >= (SELECT change_count FROM revisions "
        "WHERE response_id = NEW.response_id AND number = NEW.revision_number) THEN "
        + _RAISE.format(message="'revision % of response % holds change_count answers: a stored revision "
                                "gains none', NEW.revision_number, NEW.response_id")
        + "; END IF; RETURN NEW; END",
}
POSTGRESQL_TRIGGERS = [
    *(statement for table in APPEND_ONLY for statement in (
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION history_is_append_only()",
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION history_is_append_only()")),
    "CREATE TRIGGER revisions_not_beyond_the_latest BEFORE INSERT ON revisions "
    "FOR EACH ROW EXECUTE FUNCTION revision_not_beyond_the_latest()",
    "CREATE TRIGGER responses_revision_count_never_decreases BEFORE UPDATE OF revision_count ON responses "
    "FOR EACH ROW WHEN (NEW.revision_count < OLD.revision_count) EXECUTE FUNCTION revision_count_never_decreases()",
    "CREATE TRIGGER answer_changes_as_many_as_counted BEFORE INSERT ON answer_changes "
    "FOR EACH ROW EXECUTE FUNCTION answers_as_many_as_counted()",
]
SQLITE_TRIGGER_NAMES = [statement.split()[2] for statement in SQLITE_TRIGGERS]
POSTGRESQL_TRIGGER_NAMES = [(statement.split()[2], statement.split(" ON ")[1].split()[0])
                            for statement in POSTGRESQL_TRIGGERS]

#: Histories these rules would refuse: each query returns the rows at fault.
FAULTS = {
    "revisions that do not start from the status the previous revision ended in": """
        SELECT r.response_id, r.number FROM revisions r
        LEFT JOIN revisions p ON p.response_id = r.response_id AND p.number = r.number - 1
        WHERE (r.number = 1 AND r.kind <> 'create')
           OR (r.number > 1 AND (p.number IS NULL OR r.status_before IS NULL OR r.status_before <> p.status))""",
    "responses whose status or revision_count is not their latest revision's": """
        SELECT s.id, s.revision_count FROM responses s
        LEFT JOIN revisions r ON r.response_id = s.id AND r.number = s.revision_count
        WHERE r.number IS NULL OR r.status <> s.status
           OR EXISTS (SELECT 1 FROM revisions x WHERE x.response_id = s.id AND x.number > s.revision_count)""",
    "revisions holding more answers than their change_count": """
        SELECT a.response_id, a.revision_number FROM answer_changes a
        JOIN revisions r ON r.response_id = a.response_id AND r.number = a.revision_number
        GROUP BY a.response_id, a.revision_number, r.change_count HAVING count(*) > r.change_count""",
}


def _refuse_broken_history() -> None:
    connection = op.get_bind()
    problems = []
    for description, query in FAULTS.items():
        rows = connection.execute(sa.text(query)).fetchmany(10)
        if rows:
            problems.append(f"{description}: {', '.join(str(tuple(row)) for row in rows)}")
    if problems:
        raise RuntimeError("The history of some responses breaks the rules this migration makes the database "
                           "keep; correct it first. " + "; ".join(problems))


def upgrade():
    _refuse_broken_history()
    with op.batch_alter_table('revisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('previous_number', sa.Integer(), nullable=True))
    op.execute("UPDATE revisions SET previous_number = number - 1 WHERE number > 1")
    with op.batch_alter_table('revisions', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_revisions_response_id_number_status'),
                                          ['response_id', 'number', 'status'])
        batch_op.create_check_constraint(batch_op.f('ck_revisions_follows_the_previous'), FOLLOWS_THE_PREVIOUS)
        batch_op.create_foreign_key(batch_op.f('fk_revisions_response_id_revisions'), 'revisions',
                                    ['response_id', 'previous_number', 'status_before'],
                                    ['response_id', 'number', 'status'])
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_responses_id_revisions'), 'revisions',
                                    ['id', 'revision_count', 'status'], ['response_id', 'number', 'status'],
                                    deferrable=True, initially='DEFERRED')
    if op.get_bind().dialect.name == "postgresql":
        for name, body in POSTGRESQL_FUNCTIONS.items():
            op.execute(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ {body} $$")
        statements = POSTGRESQL_TRIGGERS
    else:
        statements = SQLITE_TRIGGERS
    for statement in statements:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for name, table in POSTGRESQL_TRIGGER_NAMES:
            op.execute(f"DROP TRIGGER {name} ON {table}")
        for name in POSTGRESQL_FUNCTIONS:
            op.execute(f"DROP FUNCTION {name}()")
    else:
        for name in SQLITE_TRIGGER_NAMES:
            op.execute(f"DROP TRIGGER {name}")
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_responses_id_revisions'), type_='foreignkey')
    with op.batch_alter_table('revisions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_revisions_response_id_revisions'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('ck_revisions_follows_the_previous'), type_='check')
        batch_op.drop_constraint(batch_op.f('uq_revisions_response_id_number_status'), type_='unique')
        batch_op.drop_column('previous_number')
