"""Rows changed by an imported transfer package: before-state for undo, local counter to pass on.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 19:50:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'package_changes',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('package_id', sa.String(length=64), nullable=False),
        sa.Column('counter', sa.Integer(), nullable=False),
        sa.Column('table_name', sa.String(length=40), nullable=False),
        sa.Column('uuid', sa.String(length=36), nullable=False),
        sa.Column('before', sa.Text(), nullable=True),
        sa.Column('after_version', sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_package_changes')),
    )
    op.create_index(op.f('ix_package_changes_package_id'), 'package_changes', ['package_id'], unique=False)
    op.create_index(op.f('ix_package_changes_counter'), 'package_changes', ['counter'], unique=False)
    op.create_index(op.f('ix_package_changes_uuid'), 'package_changes', ['uuid'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_package_changes_uuid'), table_name='package_changes')
    op.drop_index(op.f('ix_package_changes_counter'), table_name='package_changes')
    op.drop_index(op.f('ix_package_changes_package_id'), table_name='package_changes')
    op.drop_table('package_changes')
