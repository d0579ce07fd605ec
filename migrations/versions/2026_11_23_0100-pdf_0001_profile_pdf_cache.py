"""Rendered country profiles are kept, one per response, language and audience (with its
revision and template version), so that downloading one again is immediate.

Revision ID: pdf_0001
Revises: 0700_accounts
Create Date: 2026-11-23 00:17:55.731239
"""
from alembic import op
import sqlalchemy as sa

revision = 'pdf_0001'
down_revision = '0700_accounts'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('profile_pdfs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('revision_number', sa.Integer(), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('audience', sa.String(length=10), nullable=False),
    sa.Column('template_version', sa.String(length=64), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("audience IN ('internal', 'public')", name=op.f('ck_profile_pdfs_audience_known')),
    sa.ForeignKeyConstraint(['response_id', 'revision_number'], ['revisions.response_id', 'revisions.number'], name=op.f('fk_profile_pdfs_response_id_revisions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_profile_pdfs')),
    sa.UniqueConstraint('response_id', 'locale', 'audience', name=op.f('uq_profile_pdfs_response_id_locale_audience'))
    )


def downgrade():
    op.drop_table('profile_pdfs')
