"""A reporting cycle's reference period (the years its tables ask for) and question set (every
question, or the core set). Cycles opened before keep what their definitions asked: 2021 to 2025,
every question.

Revision ID: 7c1e4d2a9b35
Revises: 58f178f2e838
Create Date: 2026-12-06 19:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '7c1e4d2a9b35'
down_revision = '58f178f2e838'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reporting_cycles') as batch:
        batch.add_column(sa.Column('first_year', sa.Integer(), nullable=False, server_default='2021'))
        batch.add_column(sa.Column('last_year', sa.Integer(), nullable=False, server_default='2025'))
        batch.add_column(sa.Column('question_set', sa.String(length=10), nullable=False, server_default='full'))
        batch.create_check_constraint(
            op.f('ck_reporting_cycles_reference_period'), "last_year >= first_year AND first_year >= 1900 AND last_year - first_year < 20")
        batch.create_check_constraint(op.f('ck_reporting_cycles_question_set'), "question_set IN ('full', 'core')")


def downgrade():
    with op.batch_alter_table('reporting_cycles') as batch:
        batch.drop_constraint(op.f('ck_reporting_cycles_question_set'), type_='check')
        batch.drop_constraint(op.f('ck_reporting_cycles_reference_period'), type_='check')
        batch.drop_column('question_set')
        batch.drop_column('last_year')
        batch.drop_column('first_year')
