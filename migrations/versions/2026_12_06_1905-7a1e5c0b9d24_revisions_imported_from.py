"""Revisions note the workbooks their answers were imported from.

Revision ID: 7a1e5c0b9d24
Revises: 7c1e4d2a9b35
Create Date: 2026-12-06 18:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '7a1e5c0b9d24'
down_revision = '7c1e4d2a9b35'
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN on both databases: a batch copy of the table on SQLite would drop the
    # triggers that keep revisions append-only.
    op.add_column('revisions', sa.Column('imported_from', sa.String(length=1000), nullable=True))


def downgrade():
    op.drop_column('revisions', 'imported_from')
