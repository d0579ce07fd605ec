"""Answers can be marked confidential (kept from public profiles, exports and the public API).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 00:06:25.464297
"""
from alembic import op
import sqlalchemy as sa

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('answer_changes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confidential', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('answer_changes', schema=None) as batch_op:
        batch_op.drop_column('confidential')

