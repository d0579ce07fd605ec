"""API tokens expire (existing ones a year after they were made) and record their last use.

Revision ID: c23214c88deb
Revises: ba090f97f329
Create Date: 2026-12-06 15:44:45.737791
"""
from datetime import timedelta, timezone

from alembic import op
import sqlalchemy as sa


revision = 'c23214c88deb'
down_revision = 'ba090f97f329'
branch_labels = None
depends_on = None


#: What a token made before tokens expired is given: the default lifetime of a new one.
LIFETIME = timedelta(days=365)


def _aware(value):
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def upgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True))
    tokens = sa.table('api_tokens', sa.column('id', sa.Integer), sa.column('created_at', sa.DateTime(timezone=True)),
                      sa.column('expires_at', sa.DateTime(timezone=True)))
    connection = op.get_bind()
    for token_id, created_at in connection.execute(sa.select(tokens.c.id, tokens.c.created_at)).all():
        connection.execute(tokens.update().where(tokens.c.id == token_id)
                           .values(expires_at=_aware(created_at) + LIFETIME))
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.alter_column('expires_at', existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.create_check_constraint(op.f('ck_api_tokens_expires_after_creation'), 'expires_at > created_at')


def downgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_api_tokens_expires_after_creation'), type_='check')
        batch_op.drop_column('last_used_at')
        batch_op.drop_column('expires_at')
