"""Restoring an earlier revision is a workflow action of its own: the legal transitions (generated
from app/responses/workflow.py TRANSITIONS) gain restore in draft and returned, and a restore
names the revision it brought back.

Revision ID: 0500_restore
Revises: 0900_review_cycle
Create Date: 2026-11-23 01:08:51.475718
"""
from alembic import op
import sqlalchemy as sa

revision = '0500_restore'
down_revision = '0900_review_cycle'
branch_labels = None
depends_on = None

TRANSITIONS_BEFORE = (
    "(kind = 'accept' AND status_before IS NOT NULL AND status_before = 'submitted' AND status = 'accepted') OR "
    "(kind = 'create' AND status_before IS NULL AND status = 'draft') OR "
    "(kind = 'publish' AND status_before IS NOT NULL AND status_before = 'accepted' AND status = 'published') OR "
    "(kind = 'return' AND status_before IS NOT NULL AND status_before = 'submitted' AND status = 'returned') OR "
    "(kind = 'save' AND status_before IS NOT NULL AND status_before = 'draft' AND status = 'draft') OR "
    "(kind = 'save' AND status_before IS NOT NULL AND status_before = 'returned' AND status = 'returned') OR "
    "(kind = 'submit' AND status_before IS NOT NULL AND status_before = 'draft' AND status = 'submitted') OR "
    "(kind = 'submit' AND status_before IS NOT NULL AND status_before = 'returned' AND status = 'submitted')"
)
TRANSITIONS_AFTER = (
    "(kind = 'accept' AND status_before IS NOT NULL AND status_before = 'submitted' AND status = 'accepted') OR "
    "(kind = 'create' AND status_before IS NULL AND status = 'draft') OR "
    "(kind = 'publish' AND status_before IS NOT NULL AND status_before = 'accepted' AND status = 'published') OR "
    "(kind = 'restore' AND status_before IS NOT NULL AND status_before = 'draft' AND status = 'draft') OR "
    "(kind = 'restore' AND status_before IS NOT NULL AND status_before = 'returned' AND status = 'returned') OR "
    "(kind = 'return' AND status_before IS NOT NULL AND status_before = 'submitted' AND status = 'returned') OR "
    "(kind = 'save' AND status_before IS NOT NULL AND status_before = 'draft' AND status = 'draft') OR "
    "(kind = 'save' AND status_before IS NOT NULL AND status_before = 'returned' AND status = 'returned') OR "
    "(kind = 'submit' AND status_before IS NOT NULL AND status_before = 'draft' AND status = 'submitted') OR "
    "(kind = 'submit' AND status_before IS NOT NULL AND status_before = 'returned' AND status = 'submitted')"
)
RESTORE_SOURCE = ("(kind = 'restore' AND restored_from IS NOT NULL AND restored_from < number) "
                  "OR (kind <> 'restore' AND restored_from IS NULL)")


def upgrade():
    # recreate="always": SQLite can change a CHECK constraint only by rebuilding the table
    # (migrations/env.py turns foreign keys off meanwhile, so the answers that refer to it stay).
    with op.batch_alter_table('revisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('restored_from', sa.Integer(), nullable=True))
        batch_op.drop_constraint(batch_op.f('ck_revisions_legal_transition'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_revisions_legal_transition'), TRANSITIONS_AFTER)
        batch_op.create_check_constraint(batch_op.f('ck_revisions_restore_names_its_source'), RESTORE_SOURCE)


def downgrade():
    # Before restore existed, bringing answers back was an ordinary save: history keeps its rows.
    op.execute("UPDATE revisions SET kind = 'save', restored_from = NULL WHERE kind = 'restore'")
    with op.batch_alter_table('revisions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_revisions_restore_names_its_source'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_revisions_legal_transition'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_revisions_legal_transition'), TRANSITIONS_BEFORE)
        batch_op.drop_column('restored_from')
