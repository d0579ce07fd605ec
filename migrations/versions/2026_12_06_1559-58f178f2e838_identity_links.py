"""Accounts at the organisation's OpenID Connect provider linked to accounts here.

Revision ID: 58f178f2e838
Revises: c23214c88deb
Create Date: 2026-12-06 15:59:14.631559
"""
from alembic import op
import sqlalchemy as sa


revision = '58f178f2e838'
down_revision = 'c23214c88deb'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('identity_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('issuer', sa.String(length=300), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=False),
    sa.Column('linked_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_identity_links_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_links')),
    sa.UniqueConstraint('issuer', 'subject', name=op.f('uq_identity_links_issuer_subject')),
    sa.UniqueConstraint('user_id', name=op.f('uq_identity_links_user_id'))
    )


def downgrade():
    op.drop_table('identity_links')
