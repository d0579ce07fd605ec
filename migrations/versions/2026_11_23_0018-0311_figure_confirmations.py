"""Confirmations of figures flagged by a table check, tied to a revision and to the exact figures.

Revision ID: 0311_confirmations
Revises: 0310_attachments
Create Date: 2026-11-23 00:18:00
"""
from alembic import op
import sqlalchemy as sa

revision = '0311_confirmations'
down_revision = '0310_attachments'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('figure_confirmations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('revision_number', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.String(length=64), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('length(fingerprint) = 64', name=op.f('ck_figure_confirmations_fingerprint_length')),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['users.id'], name=op.f('fk_figure_confirmations_confirmed_by_id_users')),
    sa.ForeignKeyConstraint(['response_id', 'revision_number'], ['revisions.response_id', 'revisions.number'], name=op.f('fk_figure_confirmations_response_id_revisions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_figure_confirmations')),
    sa.UniqueConstraint('response_id', 'fingerprint', name=op.f('uq_figure_confirmations_response_id_fingerprint'))
    )


def downgrade():
    op.drop_table('figure_confirmations')
