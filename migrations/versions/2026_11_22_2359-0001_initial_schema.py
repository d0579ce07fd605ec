"""Initial schema: States, users, questionnaire versions, cycles, responses, revisions, answer changes
and review comments.

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 23:59:31.186329
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('questionnaire_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('definition', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=False),
    sa.Column('checksum', sa.String(length=64), nullable=False),
    sa.Column('loaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('version >= 1', name=op.f('ck_questionnaire_versions_version_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questionnaire_versions')),
    sa.UniqueConstraint('code', 'version', name=op.f('uq_questionnaire_versions_code_version'))
    )
    op.create_table('states',
    sa.Column('code', sa.String(length=3), nullable=False),
    sa.Column('alpha2', sa.String(length=2), nullable=False),
    sa.Column('m49', sa.String(length=3), nullable=False),
    sa.CheckConstraint('length(alpha2) = 2', name=op.f('ck_states_alpha2_length')),
    sa.CheckConstraint('length(code) = 3 AND code = upper(code)', name=op.f('ck_states_code_alpha3')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_states')),
    sa.UniqueConstraint('alpha2', name=op.f('uq_states_alpha2')),
    sa.UniqueConstraint('m49', name=op.f('uq_states_m49'))
    )
    op.create_table('reporting_cycles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('questionnaire_version_id', sa.Integer(), nullable=False),
    sa.Column('opens_on', sa.Date(), nullable=False),
    sa.Column('closes_on', sa.Date(), nullable=False),
    sa.Column('is_open', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('closes_on >= opens_on', name=op.f('ck_reporting_cycles_dates_ordered')),
    sa.ForeignKeyConstraint(['questionnaire_version_id'], ['questionnaire_versions.id'], name=op.f('fk_reporting_cycles_questionnaire_version_id_questionnaire_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reporting_cycles')),
    sa.UniqueConstraint('name', name=op.f('uq_reporting_cycles_name'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('state_code', sa.String(length=3), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('locale', sa.String(length=5), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("(role IN ('contributor', 'focal_point')) = (state_code IS NOT NULL)", name=op.f('ck_users_state_matches_role')),
    sa.CheckConstraint("role IN ('admin', 'contributor', 'focal_point', 'secretariat')", name=op.f('ck_users_role_known')),
    sa.CheckConstraint('email = lower(email)', name=op.f('ck_users_email_lowercase')),
    sa.ForeignKeyConstraint(['state_code'], ['states.code'], name=op.f('fk_users_state_code_states')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_state_code'), ['state_code'], unique=False)

    op.create_table('responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('state_code', sa.String(length=3), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('questionnaire_version_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('revision_count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('draft', 'submitted', 'returned', 'accepted', 'published')", name=op.f('ck_responses_status_known')),
    sa.CheckConstraint('revision_count >= 1', name=op.f('ck_responses_has_revision')),
    sa.ForeignKeyConstraint(['cycle_id'], ['reporting_cycles.id'], name=op.f('fk_responses_cycle_id_reporting_cycles')),
    sa.ForeignKeyConstraint(['questionnaire_version_id'], ['questionnaire_versions.id'], name=op.f('fk_responses_questionnaire_version_id_questionnaire_versions')),
    sa.ForeignKeyConstraint(['state_code'], ['states.code'], name=op.f('fk_responses_state_code_states')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_responses')),
    sa.UniqueConstraint('state_code', 'cycle_id', 'questionnaire_version_id', name=op.f('uq_responses_state_code_cycle_id_questionnaire_version_id'))
    )
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_responses_cycle_id'), ['cycle_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_responses_state_code'), ['state_code'], unique=False)

    op.create_table('review_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('revision_number', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.String(length=64), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('length(body) > 0', name=op.f('ck_review_comments_body_not_empty')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_review_comments_author_id_users')),
    sa.ForeignKeyConstraint(['response_id'], ['responses.id'], name=op.f('fk_review_comments_response_id_responses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_comments'))
    )
    with op.batch_alter_table('review_comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_comments_response_id'), ['response_id'], unique=False)

    op.create_table('revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status_before', sa.String(length=20), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('change_count', sa.Integer(), nullable=False),
    sa.CheckConstraint("(kind = 'accept' AND status_before = 'submitted' AND status = 'accepted') OR (kind = 'create' AND status_before IS NULL AND status = 'draft') OR (kind = 'publish' AND status_before = 'accepted' AND status = 'published') OR (kind = 'return' AND status_before = 'submitted' AND status = 'returned') OR (kind = 'save' AND status_before = 'draft' AND status = 'draft') OR (kind = 'save' AND status_before = 'returned' AND status = 'returned') OR (kind = 'submit' AND status_before = 'draft' AND status = 'submitted') OR (kind = 'submit' AND status_before = 'returned' AND status = 'submitted')", name=op.f('ck_revisions_legal_transition')),
    sa.CheckConstraint('number >= 1', name=op.f('ck_revisions_number_positive')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_revisions_author_id_users')),
    sa.ForeignKeyConstraint(['response_id'], ['responses.id'], name=op.f('fk_revisions_response_id_responses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_revisions')),
    sa.UniqueConstraint('response_id', 'number', name=op.f('uq_revisions_response_id_number'))
    )
    op.create_table('answer_changes',
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('revision_number', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.String(length=64), nullable=False),
    sa.Column('value', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=True),
    sa.ForeignKeyConstraint(['response_id', 'revision_number'], ['revisions.response_id', 'revisions.number'], name=op.f('fk_answer_changes_response_id_revisions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('response_id', 'revision_number', 'question_id', name=op.f('pk_answer_changes'))
    )
    with op.batch_alter_table('answer_changes', schema=None) as batch_op:
        batch_op.create_index('ix_answer_changes_lookup', ['response_id', 'question_id', 'revision_number'], unique=False)



def downgrade():
    with op.batch_alter_table('answer_changes', schema=None) as batch_op:
        batch_op.drop_index('ix_answer_changes_lookup')

    op.drop_table('answer_changes')
    op.drop_table('revisions')
    with op.batch_alter_table('review_comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_comments_response_id'))

    op.drop_table('review_comments')
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_responses_state_code'))
        batch_op.drop_index(batch_op.f('ix_responses_cycle_id'))

    op.drop_table('responses')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_state_code'))

    op.drop_table('users')
    op.drop_table('reporting_cycles')
    op.drop_table('states')
    op.drop_table('questionnaire_versions')
