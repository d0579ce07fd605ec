"""Unsaved input kept server-side (the language switcher posts the section form there), one
stash per user and page; anonymous stashes are named by a token until claimed.

Revision ID: 0100_stashed_forms
Revises: 0311_confirmations
Create Date: 2026-11-23 00:19:15.185730
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0100_stashed_forms'
down_revision = '0311_confirmations'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('stashed_forms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('path', sa.String(length=500), nullable=False),
    sa.Column('fields', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_stashed_forms_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stashed_forms')),
    sa.UniqueConstraint('token', name=op.f('uq_stashed_forms_token')),
    sa.UniqueConstraint('user_id', 'path', name=op.f('uq_stashed_forms_user_id_path'))
    )


def downgrade():
    op.drop_table('stashed_forms')
