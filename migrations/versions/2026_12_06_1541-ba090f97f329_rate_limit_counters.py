"""Rate limit counters of the open-data API, shared by every worker process when Redis is not
configured (app/ratelimit/storage.py).

Revision ID: ba090f97f329
Revises: 6b0a9c70d579
Create Date: 2026-12-06 15:41:19.363790
"""
from alembic import op
import sqlalchemy as sa


revision = 'ba090f97f329'
down_revision = '6b0a9c70d579'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rate_limit_counters',
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('expires_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_rate_limit_counters'))
    )
    with op.batch_alter_table('rate_limit_counters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rate_limit_counters_expires_at'), ['expires_at'], unique=False)


def downgrade():
    with op.batch_alter_table('rate_limit_counters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rate_limit_counters_expires_at'))
    op.drop_table('rate_limit_counters')
