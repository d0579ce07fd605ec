"""Jobs and their items; profiles cached per revision within a size bound; the job queue's
schema (procrastinate) on PostgreSQL.

The queue's schema is the SQL procrastinate 3.10.0 ships (copied to migrations/sql/ so that
this migration always applies the same schema, whatever procrastinate is installed later); a
later procrastinate's own migration files go into later Alembic migrations. SQLite has no
queue: jobs run in the process there.

Revision ID: 6b0a9c70d579
Revises: 0510_history_guards
Create Date: 2026-12-06 15:33:57.017950
"""
from pathlib import Path

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '6b0a9c70d579'
down_revision = '0510_history_guards'
branch_labels = None
depends_on = None

QUEUE_SCHEMA = Path(__file__).resolve().parent.parent / "sql" / "procrastinate-3.10.0-schema.sql"
#: Drops every object of the queue's schema (their names all begin with procrastinate_).
DROP_QUEUE = r"""
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT tablename FROM pg_tables
           WHERE schemaname = current_schema() AND tablename LIKE 'procrastinate\_%' LOOP
    EXECUTE 'DROP TABLE IF EXISTS ' || quote_ident(r.tablename) || ' CASCADE';
  END LOOP;
  FOR r IN SELECT p.oid::regprocedure AS signature FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate\_%' LOOP
    EXECUTE 'DROP FUNCTION IF EXISTS ' || r.signature || ' CASCADE';
  END LOOP;
  FOR r IN SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
           WHERE n.nspname = current_schema() AND t.typname LIKE 'procrastinate\_%' AND t.typtype IN ('e', 'c') LOOP
    EXECUTE 'DROP TYPE IF EXISTS ' || quote_ident(r.typname) || ' CASCADE';
  END LOOP;
END $$;
"""


def _run_script(sql: str) -> None:
    """SQL run as it is written, in the migration's transaction: through the driver's own cursor
    without parameters, so that the ``%`` of the script's format strings stay text."""
    with op.get_bind().connection.driver_connection.cursor() as cursor:
        cursor.execute(sql)


def upgrade():
    op.create_table('jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('shared', sa.Boolean(), nullable=False),
    sa.Column('params', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('result', sa.LargeBinary(), nullable=True),
    sa.Column('result_name', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_jobs_requested_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jobs'))
    )
    op.create_index('ix_jobs_requested_by_id_created_at', 'jobs', ['requested_by_id', 'created_at'], unique=False)
    op.create_index('ix_jobs_unfinished_key', 'jobs', ['key'], unique=True,
                    sqlite_where=sa.text('finished_at IS NULL'), postgresql_where=sa.text('finished_at IS NULL'))
    op.create_table('job_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('job_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=False),
    sa.Column('params', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'done', 'failed')", name=op.f('ck_job_items_status_known')),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_job_items_job_id_jobs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_items'))
    )
    op.create_index(op.f('ix_job_items_job_id'), 'job_items', ['job_id'], unique=False)
    # The cache held one profile per response, language and audience: alternating two revisions
    # rendered on every request. Now one per revision too; its rows are dropped, not migrated
    # (they are a cache: the next request renders them again).
    op.execute(sa.text("DELETE FROM profile_pdfs"))
    with op.batch_alter_table('profile_pdfs') as batch_op:
        batch_op.add_column(sa.Column('size_bytes', sa.Integer(), nullable=False, server_default='0'))
        batch_op.drop_constraint('uq_profile_pdfs_response_id_locale_audience', type_='unique')
        batch_op.create_unique_constraint(op.f('uq_profile_pdfs_response_id_revision_number_locale_audience'),
                                          ['response_id', 'revision_number', 'locale', 'audience'])
        batch_op.create_index('ix_profile_pdfs_created_at', ['created_at'], unique=False)
    with op.batch_alter_table('profile_pdfs') as batch_op:
        batch_op.alter_column('size_bytes', server_default=None)
    if op.get_bind().dialect.name == "postgresql":
        _run_script(QUEUE_SCHEMA.read_text())


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        _run_script(DROP_QUEUE)
    op.execute(sa.text("DELETE FROM profile_pdfs"))
    with op.batch_alter_table('profile_pdfs') as batch_op:
        batch_op.drop_index('ix_profile_pdfs_created_at')
        batch_op.drop_constraint(op.f('uq_profile_pdfs_response_id_revision_number_locale_audience'), type_='unique')
        batch_op.create_unique_constraint('uq_profile_pdfs_response_id_locale_audience',
                                          ['response_id', 'locale', 'audience'])
        batch_op.drop_column('size_bytes')
    op.drop_index(op.f('ix_job_items_job_id'), table_name='job_items')
    op.drop_table('job_items')
    op.drop_index('ix_jobs_unfinished_key', table_name='jobs', sqlite_where=sa.text('finished_at IS NULL'),
                  postgresql_where=sa.text('finished_at IS NULL'))
    op.drop_index('ix_jobs_requested_by_id_created_at', table_name='jobs')
    op.drop_table('jobs')
