"""Uploaded files (the texts of laws cited in law lists), stored by content hash outside static/.

Revision ID: 0310_attachments
Revises: 0002
Create Date: 2026-11-23 00:17:00
"""
from alembic import op
import sqlalchemy as sa

revision = '0310_attachments'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('state_code', sa.String(length=3), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("media_type IN ('application/pdf', 'application/vnd.oasis.opendocument.text', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'image/gif', 'image/jpeg', 'image/png', 'image/tiff', 'image/webp', 'text/plain')", name=op.f('ck_attachments_media_type_allowed')),
    sa.CheckConstraint('length(sha256) = 64', name=op.f('ck_attachments_sha256_length')),
    sa.CheckConstraint('size > 0', name=op.f('ck_attachments_size_positive')),
    sa.ForeignKeyConstraint(['cycle_id'], ['reporting_cycles.id'], name=op.f('fk_attachments_cycle_id_reporting_cycles')),
    sa.ForeignKeyConstraint(['state_code'], ['states.code'], name=op.f('fk_attachments_state_code_states')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_attachments_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments'))
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index('ix_attachments_state_cycle', ['state_code', 'cycle_id'], unique=False)


def downgrade():
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index('ix_attachments_state_cycle')
    op.drop_table('attachments')
