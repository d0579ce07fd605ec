"""The review cycle and working together: threaded comments that can be resolved, section
assignments, who is editing where, notifications and deadline reminders, prefilled responses,
and the organisation of each user.

Revision ID: 0900_review_cycle
Revises: pdf_0001
Create Date: 2026-11-24 09:00:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0900_review_cycle'
down_revision = 'pdf_0001'
branch_labels = None
depends_on = None

#: The legal (kind, status before, status) of a revision, as app/responses/workflow.py
#: generates them; "status_before IS NOT NULL" so that a missing status fails the check
#: instead of making it unknown (which a CHECK lets pass).
LEGAL_TRANSITION = (
    "(kind = 'accept' AND status_before IS NOT NULL AND status_before = 'submitted' AND status = 'accepted') "
    "OR (kind = 'create' AND status_before IS NULL AND status = 'draft') "
    "OR (kind = 'publish' AND status_before IS NOT NULL AND status_before = 'accepted' AND status = 'published') "
    "OR (kind = 'return' AND status_before IS NOT NULL AND status_before = 'submitted' AND status = 'returned') "
    "OR (kind = 'save' AND status_before IS NOT NULL AND status_before = 'draft' AND status = 'draft') "
    "OR (kind = 'save' AND status_before IS NOT NULL AND status_before = 'returned' AND status = 'returned') "
    "OR (kind = 'submit' AND status_before IS NOT NULL AND status_before = 'draft' AND status = 'submitted') "
    "OR (kind = 'submit' AND status_before IS NOT NULL AND status_before = 'returned' AND status = 'submitted')"
)
#: The check as the initial schema had it (a NULL status_before slipped through).
OLD_LEGAL_TRANSITION = (
    "(kind = 'accept' AND status_before = 'submitted' AND status = 'accepted') "
    "OR (kind = 'create' AND status_before IS NULL AND status = 'draft') "
    "OR (kind = 'publish' AND status_before = 'accepted' AND status = 'published') "
    "OR (kind = 'return' AND status_before = 'submitted' AND status = 'returned') "
    "OR (kind = 'save' AND status_before = 'draft' AND status = 'draft') "
    "OR (kind = 'save' AND status_before = 'returned' AND status = 'returned') "
    "OR (kind = 'submit' AND status_before = 'draft' AND status = 'submitted') "
    "OR (kind = 'submit' AND status_before = 'returned' AND status = 'submitted')"
)


def _replace_transition_check(sql: str) -> None:
    with op.batch_alter_table('revisions', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_revisions_legal_transition'), type_='check')
        batch_op.create_check_constraint(op.f('ck_revisions_legal_transition'), sql)


def upgrade():
    _replace_transition_check(LEGAL_TRANSITION)
    op.create_table('deadline_reminders',
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('state_code', sa.String(length=3), nullable=False),
    sa.Column('days_before', sa.Integer(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cycle_id'], ['reporting_cycles.id'], name=op.f('fk_deadline_reminders_cycle_id_reporting_cycles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['state_code'], ['states.code'], name=op.f('fk_deadline_reminders_state_code_states')),
    sa.PrimaryKeyConstraint('cycle_id', 'state_code', 'days_before', name=op.f('pk_deadline_reminders'))
    )
    op.create_table('editing_presence',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('state_code', sa.String(length=3), nullable=False),
    sa.Column('section_id', sa.String(length=64), nullable=False),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cycle_id'], ['reporting_cycles.id'], name=op.f('fk_editing_presence_cycle_id_reporting_cycles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['state_code'], ['states.code'], name=op.f('fk_editing_presence_state_code_states')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_editing_presence_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'cycle_id', 'state_code', 'section_id', name=op.f('pk_editing_presence'))
    )
    with op.batch_alter_table('editing_presence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_editing_presence_seen_at'), ['seen_at'], unique=False)

    op.create_table('section_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('state_code', sa.String(length=3), nullable=False),
    sa.Column('section_id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('assigned_by_id', sa.Integer(), nullable=False),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['users.id'], name=op.f('fk_section_assignments_assigned_by_id_users')),
    sa.ForeignKeyConstraint(['cycle_id'], ['reporting_cycles.id'], name=op.f('fk_section_assignments_cycle_id_reporting_cycles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['state_code'], ['states.code'], name=op.f('fk_section_assignments_state_code_states')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_section_assignments_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_section_assignments')),
    sa.UniqueConstraint('cycle_id', 'state_code', 'section_id', 'user_id', name=op.f('uq_section_assignments_cycle_id_state_code_section_id_user_id'))
    )
    with op.batch_alter_table('section_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_section_assignments_user_id'), ['user_id'], unique=False)

    op.create_table('response_prefills',
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('source_cycle_id', sa.Integer(), nullable=False),
    sa.Column('source_response_id', sa.Integer(), nullable=False),
    sa.Column('source_revision_number', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['response_id'], ['responses.id'], name=op.f('fk_response_prefills_response_id_responses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_cycle_id'], ['reporting_cycles.id'], name=op.f('fk_response_prefills_source_cycle_id_reporting_cycles')),
    sa.ForeignKeyConstraint(['source_response_id'], ['responses.id'], name=op.f('fk_response_prefills_source_response_id_responses')),
    sa.PrimaryKeyConstraint('response_id', name=op.f('pk_response_prefills'))
    )
    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('state_code', sa.String(length=3), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('comment_id', sa.Integer(), nullable=True),
    sa.Column('details', sa.JSON().with_variant(postgresql.JSONB(), 'postgresql'), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('submitted', 'returned', 'commented', 'accepted', 'deadline')", name=op.f('ck_notifications_kind_known')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_notifications_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['comment_id'], ['review_comments.id'], name=op.f('fk_notifications_comment_id_review_comments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['cycle_id'], ['reporting_cycles.id'], name=op.f('fk_notifications_cycle_id_reporting_cycles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['state_code'], ['states.code'], name=op.f('fk_notifications_state_code_states')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_unread', ['user_id', 'read_at'], unique=False)

    with op.batch_alter_table('review_comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parent_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('resolved_by_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_review_comments_parent_id'), ['parent_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_review_comments_parent_id_review_comments'), 'review_comments', ['parent_id'], ['id'], ondelete='CASCADE')
        batch_op.create_foreign_key(batch_op.f('fk_review_comments_resolved_by_id_users'), 'users', ['resolved_by_id'], ['id'])
        batch_op.create_check_constraint(batch_op.f('ck_review_comments_only_threads_resolved'),
                                         'parent_id IS NULL OR resolved_at IS NULL')
        batch_op.create_check_constraint(batch_op.f('ck_review_comments_resolution_complete'),
                                         '(resolved_at IS NULL) = (resolved_by_id IS NULL)')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organisation', sa.String(length=200), server_default='', nullable=False))



def downgrade():
    _replace_transition_check(OLD_LEGAL_TRANSITION)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('organisation')

    with op.batch_alter_table('review_comments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_review_comments_resolution_complete'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_review_comments_only_threads_resolved'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_review_comments_resolved_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_review_comments_parent_id_review_comments'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_review_comments_parent_id'))
        batch_op.drop_column('resolved_by_id')
        batch_op.drop_column('resolved_at')
        batch_op.drop_column('parent_id')

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_unread')

    op.drop_table('notifications')
    op.drop_table('response_prefills')
    with op.batch_alter_table('section_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_section_assignments_user_id'))

    op.drop_table('section_assignments')
    with op.batch_alter_table('editing_presence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_editing_presence_seen_at'))

    op.drop_table('editing_presence')
    op.drop_table('deadline_reminders')
