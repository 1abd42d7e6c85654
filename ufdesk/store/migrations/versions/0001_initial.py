"""The first schema: six ledgers and their sub-records, places, code edits, attachments,
audit, package log, peers, conflict and duplicate queues, users, import mappings.

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 19:18:15.544131
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Every table of the first release, as ufdesk.store.schema described it then.
    op.create_table('activities',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('township', sa.String(length=9), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.String(length=60), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.Column('updated_by', sa.String(length=60), nullable=True),
    sa.Column('changed_by', sa.String(length=32), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('born', sa.String(length=48), nullable=True),
    sa.Column('clock', sa.Text(), nullable=True),
    sa.Column('vv', sa.Text(), nullable=True),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=True),
    sa.Column('title', sa.String(length=500), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=True),
    sa.Column('organiser', sa.String(length=500), nullable=True),
    sa.Column('place', sa.String(length=500), nullable=True),
    sa.Column('headcount', sa.Integer(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('results', sa.Text(), nullable=True),
    sa.Column('funds', sa.Numeric(precision=14, scale=2, asdecimal=False), nullable=True),
    sa.Column('search', sa.Text(), nullable=True),
    sa.Column('sk_stroke', sa.String(length=400), nullable=True),
    sa.Column('sk_pinyin', sa.String(length=400), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activities')),
    sa.UniqueConstraint('uuid', name=op.f('uq_activities_uuid'))
    )
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activities_funds'), ['funds'], unique=False)
        batch_op.create_index(batch_op.f('ix_activities_headcount'), ['headcount'], unique=False)
        batch_op.create_index(batch_op.f('ix_activities_held_on'), ['held_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_activities_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_activities_organiser'), ['organiser'], unique=False)
        batch_op.create_index(batch_op.f('ix_activities_place'), ['place'], unique=False)
        batch_op.create_index(batch_op.f('ix_activities_sk_pinyin'), ['sk_pinyin'], unique=False)
        batch_op.create_index(batch_op.f('ix_activities_sk_stroke'), ['sk_stroke'], unique=False)
        batch_op.create_index(batch_op.f('ix_activities_title'), ['title'], unique=False)
        batch_op.create_index(batch_op.f('ix_activities_township'), ['township'], unique=False)

    op.create_table('attachments',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('township', sa.String(length=9), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.String(length=60), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.Column('updated_by', sa.String(length=60), nullable=True),
    sa.Column('changed_by', sa.String(length=32), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('born', sa.String(length=48), nullable=True),
    sa.Column('clock', sa.Text(), nullable=True),
    sa.Column('vv', sa.Text(), nullable=True),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('owner_table', sa.String(length=40), nullable=False),
    sa.Column('owner', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=True),
    sa.Column('mime', sa.String(length=100), nullable=True),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments')),
    sa.UniqueConstraint('uuid', name=op.f('uq_attachments_uuid'))
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachments_owner'), ['owner'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachments_township'), ['township'], unique=False)

    op.create_table('audit',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user', sa.String(length=60), nullable=True),
    sa.Column('installation', sa.String(length=32), nullable=True),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('ledger', sa.String(length=40), nullable=True),
    sa.Column('record', sa.String(length=36), nullable=True),
    sa.Column('summary', sa.String(length=400), nullable=True),
    sa.Column('details', sa.Text(), nullable=True),
    sa.Column('batch', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit'))
    )
    with op.batch_alter_table('audit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_batch'), ['batch'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_record'), ['record'], unique=False)

    op.create_table('cadres',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('township', sa.String(length=9), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.String(length=60), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.Column('updated_by', sa.String(length=60), nullable=True),
    sa.Column('changed_by', sa.String(length=32), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('born', sa.String(length=48), nullable=True),
    sa.Column('clock', sa.Text(), nullable=True),
    sa.Column('vv', sa.Text(), nullable=True),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('name', sa.String(length=30), nullable=True),
    sa.Column('gender', sa.String(length=16), nullable=True),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('id_number', sa.String(length=18), nullable=True),
    sa.Column('employer', sa.String(length=500), nullable=True),
    sa.Column('village', sa.String(length=12), nullable=True),
    sa.Column('post', sa.String(length=16), nullable=True),
    sa.Column('fulltime', sa.String(length=16), nullable=True),
    sa.Column('other_post', sa.String(length=500), nullable=True),
    sa.Column('appointed_on', sa.Date(), nullable=True),
    sa.Column('left_on', sa.Date(), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('education', sa.String(length=16), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('search', sa.Text(), nullable=True),
    sa.Column('sk_stroke', sa.String(length=400), nullable=True),
    sa.Column('sk_pinyin', sa.String(length=400), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cadres')),
    sa.UniqueConstraint('uuid', name=op.f('uq_cadres_uuid'))
    )
    with op.batch_alter_table('cadres', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cadres_appointed_on'), ['appointed_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_cadres_birth_date'), ['birth_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_cadres_education'), ['education'], unique=False)
        batch_op.create_index(batch_op.f('ix_cadres_employer'), ['employer'], unique=False)
        batch_op.create_index(batch_op.f('ix_cadres_fulltime'), ['fulltime'], unique=False)
        batch_op.create_index(batch_op.f('ix_cadres_gender'), ['gender'], unique=False)
        batch_op.create_index(batch_op.f('ix_cadres_id_number'), ['id_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_cadres_left_on'), ['left_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_cadres_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_cadres_other_post'), ['other_post'], unique=False)
        batch_op.create_index(batch_op.f('ix_cadres_phone'), ['phone'], unique=False)
        batch_op.create_index(batch_op.f('ix_cadres_post'), ['post'], unique=False)
        batch_op.create_index(batch_op.f('ix_cadres_sk_pinyin'), ['sk_pinyin'], unique=False)
        batch_op.create_index(batch_op.f('ix_cadres_sk_stroke'), ['sk_stroke'], unique=False)
        batch_op.create_index(batch_op.f('ix_cadres_township'), ['township'], unique=False)
        batch_op.create_index(batch_op.f('ix_cadres_village'), ['village'], unique=False)

    op.create_table('chambers',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('township', sa.String(length=9), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.String(length=60), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.Column('updated_by', sa.String(length=60), nullable=True),
    sa.Column('changed_by', sa.String(length=32), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('born', sa.String(length=48), nullable=True),
    sa.Column('clock', sa.Text(), nullable=True),
    sa.Column('vv', sa.Text(), nullable=True),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('name', sa.String(length=500), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=True),
    sa.Column('level', sa.String(length=16), nullable=True),
    sa.Column('founded_on', sa.Date(), nullable=True),
    sa.Column('credit_code', sa.String(length=18), nullable=True),
    sa.Column('leader', sa.String(length=500), nullable=True),
    sa.Column('leader_ref', sa.String(length=36), nullable=True),
    sa.Column('secretary', sa.String(length=500), nullable=True),
    sa.Column('member_count', sa.Integer(), nullable=True),
    sa.Column('address', sa.String(length=500), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('party_building', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('search', sa.Text(), nullable=True),
    sa.Column('sk_stroke', sa.String(length=400), nullable=True),
    sa.Column('sk_pinyin', sa.String(length=400), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chambers')),
    sa.UniqueConstraint('uuid', name=op.f('uq_chambers_uuid'))
    )
    with op.batch_alter_table('chambers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_chambers_address'), ['address'], unique=False)
        batch_op.create_index(batch_op.f('ix_chambers_credit_code'), ['credit_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_chambers_founded_on'), ['founded_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_chambers_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_chambers_leader'), ['leader'], unique=False)
        batch_op.create_index(batch_op.f('ix_chambers_level'), ['level'], unique=False)
        batch_op.create_index(batch_op.f('ix_chambers_member_count'), ['member_count'], unique=False)
        batch_op.create_index(batch_op.f('ix_chambers_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_chambers_phone'), ['phone'], unique=False)
        batch_op.create_index(batch_op.f('ix_chambers_secretary'), ['secretary'], unique=False)
        batch_op.create_index(batch_op.f('ix_chambers_sk_pinyin'), ['sk_pinyin'], unique=False)
        batch_op.create_index(batch_op.f('ix_chambers_sk_stroke'), ['sk_stroke'], unique=False)
        batch_op.create_index(batch_op.f('ix_chambers_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_chambers_township'), ['township'], unique=False)

    op.create_table('code_overrides',
    sa.Column('code_table', sa.String(length=40), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('aliases', sa.String(length=400), nullable=True),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.Column('counter', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('code_table', 'code', name=op.f('pk_code_overrides'))
    )
    op.create_table('conflicts',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('table_name', sa.String(length=40), nullable=False),
    sa.Column('record', sa.String(length=36), nullable=False),
    sa.Column('field', sa.String(length=40), nullable=False),
    sa.Column('mine', sa.Text(), nullable=True),
    sa.Column('theirs', sa.Text(), nullable=True),
    sa.Column('theirs_dot', sa.String(length=48), nullable=True),
    sa.Column('package', sa.String(length=64), nullable=True),
    sa.Column('since', sa.DateTime(), nullable=True),
    sa.Column('resolved', sa.String(length=16), nullable=True),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('resolved_by', sa.String(length=60), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conflicts'))
    )
    with op.batch_alter_table('conflicts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conflicts_record'), ['record'], unique=False)

    op.create_table('duplicates',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('table_name', sa.String(length=40), nullable=False),
    sa.Column('record', sa.String(length=36), nullable=False),
    sa.Column('other', sa.String(length=36), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=True),
    sa.Column('package', sa.String(length=64), nullable=True),
    sa.Column('since', sa.DateTime(), nullable=True),
    sa.Column('resolved', sa.String(length=16), nullable=True),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_duplicates'))
    )
    op.create_table('import_mappings',
    sa.Column('ledger', sa.String(length=40), nullable=False),
    sa.Column('header_key', sa.String(length=64), nullable=False),
    sa.Column('mapping', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('ledger', 'header_key', name=op.f('pk_import_mappings'))
    )
    op.create_table('installation',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('county_name', sa.String(length=60), nullable=False),
    sa.Column('township', sa.String(length=9), nullable=True),
    sa.Column('counter', sa.Integer(), server_default='0', nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_installation'))
    )
    op.create_table('package_log',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('package_id', sa.String(length=64), nullable=False),
    sa.Column('direction', sa.String(length=8), nullable=False),
    sa.Column('peer', sa.String(length=32), nullable=True),
    sa.Column('sender', sa.String(length=32), nullable=True),
    sa.Column('sender_township', sa.String(length=9), nullable=True),
    sa.Column('recipient', sa.String(length=20), nullable=True),
    sa.Column('seq', sa.Integer(), nullable=True),
    sa.Column('months', sa.String(length=200), nullable=True),
    sa.Column('exported_at', sa.DateTime(), nullable=True),
    sa.Column('imported_at', sa.DateTime(), nullable=True),
    sa.Column('records', sa.Integer(), nullable=True),
    sa.Column('counts', sa.Text(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=True),
    sa.Column('details', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_package_log'))
    )
    with op.batch_alter_table('package_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_package_log_package_id'), ['package_id'], unique=False)

    op.create_table('peers',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('township', sa.String(length=9), nullable=True),
    sa.Column('name', sa.String(length=60), nullable=True),
    sa.Column('last_seq_received', sa.Integer(), server_default='0', nullable=False),
    sa.Column('acked_counter', sa.Integer(), server_default='0', nullable=False),
    sa.Column('their_counter', sa.Integer(), server_default='0', nullable=False),
    sa.Column('last_seen_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_peers'))
    )
    op.create_table('proposals',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('township', sa.String(length=9), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.String(length=60), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.Column('updated_by', sa.String(length=60), nullable=True),
    sa.Column('changed_by', sa.String(length=32), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('born', sa.String(length=48), nullable=True),
    sa.Column('clock', sa.Text(), nullable=True),
    sa.Column('vv', sa.Text(), nullable=True),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=True),
    sa.Column('mode', sa.String(length=16), nullable=True),
    sa.Column('body', sa.String(length=500), nullable=True),
    sa.Column('proposer_names', sa.String(length=500), nullable=True),
    sa.Column('session', sa.String(length=500), nullable=True),
    sa.Column('number', sa.String(length=500), nullable=True),
    sa.Column('submitted_on', sa.Date(), nullable=True),
    sa.Column('domain', sa.String(length=16), nullable=True),
    sa.Column('host_unit', sa.String(length=500), nullable=True),
    sa.Column('co_units', sa.String(length=500), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=True),
    sa.Column('assigned_on', sa.Date(), nullable=True),
    sa.Column('replied_on', sa.Date(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('result', sa.String(length=16), nullable=True),
    sa.Column('satisfaction', sa.String(length=16), nullable=True),
    sa.Column('adoption', sa.String(length=16), nullable=True),
    sa.Column('instruction', sa.String(length=500), nullable=True),
    sa.Column('award', sa.String(length=500), nullable=True),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('search', sa.Text(), nullable=True),
    sa.Column('sk_stroke', sa.String(length=400), nullable=True),
    sa.Column('sk_pinyin', sa.String(length=400), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposals')),
    sa.UniqueConstraint('uuid', name=op.f('uq_proposals_uuid'))
    )
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposals_adoption'), ['adoption'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposals_assigned_on'), ['assigned_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposals_award'), ['award'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposals_body'), ['body'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposals_closed_on'), ['closed_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposals_co_units'), ['co_units'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposals_domain'), ['domain'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposals_host_unit'), ['host_unit'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposals_instruction'), ['instruction'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposals_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposals_mode'), ['mode'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposals_number'), ['number'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposals_proposer_names'), ['proposer_names'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposals_replied_on'), ['replied_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposals_result'), ['result'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposals_satisfaction'), ['satisfaction'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposals_session'), ['session'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposals_sk_pinyin'), ['sk_pinyin'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposals_sk_stroke'), ['sk_stroke'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposals_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposals_submitted_on'), ['submitted_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposals_title'), ['title'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposals_township'), ['township'], unique=False)

    op.create_table('representatives',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('township', sa.String(length=9), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.String(length=60), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.Column('updated_by', sa.String(length=60), nullable=True),
    sa.Column('changed_by', sa.String(length=32), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('born', sa.String(length=48), nullable=True),
    sa.Column('clock', sa.Text(), nullable=True),
    sa.Column('vv', sa.Text(), nullable=True),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('name', sa.String(length=30), nullable=True),
    sa.Column('gender', sa.String(length=16), nullable=True),
    sa.Column('ethnicity', sa.String(length=16), nullable=True),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('native_place', sa.String(length=500), nullable=True),
    sa.Column('id_number', sa.String(length=18), nullable=True),
    sa.Column('party', sa.String(length=16), nullable=True),
    sa.Column('party_joined', sa.Date(), nullable=True),
    sa.Column('education', sa.String(length=16), nullable=True),
    sa.Column('degree', sa.String(length=16), nullable=True),
    sa.Column('pro_title', sa.String(length=500), nullable=True),
    sa.Column('employer', sa.String(length=500), nullable=True),
    sa.Column('position', sa.String(length=500), nullable=True),
    sa.Column('kinds', sa.String(length=400), nullable=True),
    sa.Column('mobile', sa.String(length=20), nullable=True),
    sa.Column('address', sa.String(length=500), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=True),
    sa.Column('recognized_on', sa.Date(), nullable=True),
    sa.Column('left_on', sa.Date(), nullable=True),
    sa.Column('left_reason', sa.String(length=500), nullable=True),
    sa.Column('nonparty_cadre', sa.Boolean(), nullable=True),
    sa.Column('cadre_rank', sa.String(length=16), nullable=True),
    sa.Column('reserve', sa.Boolean(), nullable=True),
    sa.Column('contact_leader', sa.String(length=500), nullable=True),
    sa.Column('sort_no', sa.Integer(), nullable=True),
    sa.Column('resume', sa.Text(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('search', sa.Text(), nullable=True),
    sa.Column('sk_stroke', sa.String(length=400), nullable=True),
    sa.Column('sk_pinyin', sa.String(length=400), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_representatives')),
    sa.UniqueConstraint('uuid', name=op.f('uq_representatives_uuid'))
    )
    with op.batch_alter_table('representatives', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_representatives_address'), ['address'], unique=False)
        batch_op.create_index(batch_op.f('ix_representatives_birth_date'), ['birth_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_representatives_cadre_rank'), ['cadre_rank'], unique=False)
        batch_op.create_index(batch_op.f('ix_representatives_contact_leader'), ['contact_leader'], unique=False)
        batch_op.create_index(batch_op.f('ix_representatives_degree'), ['degree'], unique=False)
        batch_op.create_index(batch_op.f('ix_representatives_education'), ['education'], unique=False)
        batch_op.create_index(batch_op.f('ix_representatives_employer'), ['employer'], unique=False)
        batch_op.create_index(batch_op.f('ix_representatives_ethnicity'), ['ethnicity'], unique=False)
        batch_op.create_index(batch_op.f('ix_representatives_gender'), ['gender'], unique=False)
        batch_op.create_index(batch_op.f('ix_representatives_id_number'), ['id_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_representatives_kinds'), ['kinds'], unique=False)
        batch_op.create_index(batch_op.f('ix_representatives_left_on'), ['left_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_representatives_left_reason'), ['left_reason'], unique=False)
        batch_op.create_index(batch_op.f('ix_representatives_mobile'), ['mobile'], unique=False)
        batch_op.create_index(batch_op.f('ix_representatives_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_representatives_native_place'), ['native_place'], unique=False)
        batch_op.create_index(batch_op.f('ix_representatives_nonparty_cadre'), ['nonparty_cadre'], unique=False)
        batch_op.create_index(batch_op.f('ix_representatives_party'), ['party'], unique=False)
        batch_op.create_index(batch_op.f('ix_representatives_party_joined'), ['party_joined'], unique=False)
        batch_op.create_index(batch_op.f('ix_representatives_position'), ['position'], unique=False)
        batch_op.create_index(batch_op.f('ix_representatives_pro_title'), ['pro_title'], unique=False)
        batch_op.create_index(batch_op.f('ix_representatives_recognized_on'), ['recognized_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_representatives_reserve'), ['reserve'], unique=False)
        batch_op.create_index(batch_op.f('ix_representatives_sk_pinyin'), ['sk_pinyin'], unique=False)
        batch_op.create_index(batch_op.f('ix_representatives_sk_stroke'), ['sk_stroke'], unique=False)
        batch_op.create_index(batch_op.f('ix_representatives_sort_no'), ['sort_no'], unique=False)
        batch_op.create_index(batch_op.f('ix_representatives_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_representatives_township'), ['township'], unique=False)

    op.create_table('settings',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('value', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_settings'))
    )
    op.create_table('sites',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('township', sa.String(length=9), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.String(length=60), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.Column('updated_by', sa.String(length=60), nullable=True),
    sa.Column('changed_by', sa.String(length=32), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('born', sa.String(length=48), nullable=True),
    sa.Column('clock', sa.Text(), nullable=True),
    sa.Column('vv', sa.Text(), nullable=True),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('name', sa.String(length=500), nullable=True),
    sa.Column('religion', sa.String(length=16), nullable=True),
    sa.Column('site_type', sa.String(length=16), nullable=True),
    sa.Column('reg_no', sa.String(length=40), nullable=True),
    sa.Column('credit_code', sa.String(length=18), nullable=True),
    sa.Column('approved_on', sa.Date(), nullable=True),
    sa.Column('village', sa.String(length=12), nullable=True),
    sa.Column('address', sa.String(length=500), nullable=True),
    sa.Column('leader', sa.String(length=500), nullable=True),
    sa.Column('leader_phone', sa.String(length=40), nullable=True),
    sa.Column('clergy_count', sa.Integer(), nullable=True),
    sa.Column('believers', sa.Integer(), nullable=True),
    sa.Column('management', sa.String(length=500), nullable=True),
    sa.Column('rating', sa.String(length=16), nullable=True),
    sa.Column('model_site', sa.Boolean(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('search', sa.Text(), nullable=True),
    sa.Column('sk_stroke', sa.String(length=400), nullable=True),
    sa.Column('sk_pinyin', sa.String(length=400), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sites')),
    sa.UniqueConstraint('uuid', name=op.f('uq_sites_uuid'))
    )
    with op.batch_alter_table('sites', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sites_address'), ['address'], unique=False)
        batch_op.create_index(batch_op.f('ix_sites_approved_on'), ['approved_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_sites_believers'), ['believers'], unique=False)
        batch_op.create_index(batch_op.f('ix_sites_clergy_count'), ['clergy_count'], unique=False)
        batch_op.create_index(batch_op.f('ix_sites_credit_code'), ['credit_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_sites_leader'), ['leader'], unique=False)
        batch_op.create_index(batch_op.f('ix_sites_leader_phone'), ['leader_phone'], unique=False)
        batch_op.create_index(batch_op.f('ix_sites_management'), ['management'], unique=False)
        batch_op.create_index(batch_op.f('ix_sites_model_site'), ['model_site'], unique=False)
        batch_op.create_index(batch_op.f('ix_sites_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_sites_rating'), ['rating'], unique=False)
        batch_op.create_index(batch_op.f('ix_sites_reg_no'), ['reg_no'], unique=False)
        batch_op.create_index(batch_op.f('ix_sites_religion'), ['religion'], unique=False)
        batch_op.create_index(batch_op.f('ix_sites_site_type'), ['site_type'], unique=False)
        batch_op.create_index(batch_op.f('ix_sites_sk_pinyin'), ['sk_pinyin'], unique=False)
        batch_op.create_index(batch_op.f('ix_sites_sk_stroke'), ['sk_stroke'], unique=False)
        batch_op.create_index(batch_op.f('ix_sites_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_sites_township'), ['township'], unique=False)
        batch_op.create_index(batch_op.f('ix_sites_village'), ['village'], unique=False)

    op.create_table('townships',
    sa.Column('code', sa.String(length=9), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('sort_no', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_townships'))
    )
    op.create_table('users',
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('full_name', sa.String(length=60), nullable=True),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('pw_hash', sa.String(length=300), nullable=False),
    sa.Column('failed', sa.Integer(), server_default='0', nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('disabled', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('last_login', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_users'))
    )
    op.create_table('activity_participants',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('township', sa.String(length=9), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.String(length=60), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.Column('updated_by', sa.String(length=60), nullable=True),
    sa.Column('changed_by', sa.String(length=32), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('born', sa.String(length=48), nullable=True),
    sa.Column('clock', sa.Text(), nullable=True),
    sa.Column('vv', sa.Text(), nullable=True),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('parent', sa.String(length=36), nullable=False),
    sa.Column('person', sa.String(length=36), nullable=True),
    sa.Column('person_name', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['parent'], ['activities.uuid'], name=op.f('fk_activity_participants_parent_activities'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity_participants')),
    sa.UniqueConstraint('uuid', name=op.f('uq_activity_participants_uuid'))
    )
    with op.batch_alter_table('activity_participants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_participants_parent'), ['parent'], unique=False)
        batch_op.create_index(batch_op.f('ix_activity_participants_township'), ['township'], unique=False)

    op.create_table('cadre_trainings',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('township', sa.String(length=9), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.String(length=60), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.Column('updated_by', sa.String(length=60), nullable=True),
    sa.Column('changed_by', sa.String(length=32), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('born', sa.String(length=48), nullable=True),
    sa.Column('clock', sa.Text(), nullable=True),
    sa.Column('vv', sa.Text(), nullable=True),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('parent', sa.String(length=36), nullable=False),
    sa.Column('start_on', sa.Date(), nullable=True),
    sa.Column('end_on', sa.Date(), nullable=True),
    sa.Column('course', sa.String(length=500), nullable=True),
    sa.Column('organiser', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['parent'], ['cadres.uuid'], name=op.f('fk_cadre_trainings_parent_cadres'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cadre_trainings')),
    sa.UniqueConstraint('uuid', name=op.f('uq_cadre_trainings_uuid'))
    )
    with op.batch_alter_table('cadre_trainings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cadre_trainings_parent'), ['parent'], unique=False)
        batch_op.create_index(batch_op.f('ix_cadre_trainings_township'), ['township'], unique=False)

    op.create_table('chamber_members',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('township', sa.String(length=9), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.String(length=60), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.Column('updated_by', sa.String(length=60), nullable=True),
    sa.Column('changed_by', sa.String(length=32), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('born', sa.String(length=48), nullable=True),
    sa.Column('clock', sa.Text(), nullable=True),
    sa.Column('vv', sa.Text(), nullable=True),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('parent', sa.String(length=36), nullable=False),
    sa.Column('member', sa.String(length=36), nullable=True),
    sa.Column('member_name', sa.String(length=500), nullable=True),
    sa.Column('role', sa.String(length=16), nullable=True),
    sa.Column('joined_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['parent'], ['chambers.uuid'], name=op.f('fk_chamber_members_parent_chambers'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chamber_members')),
    sa.UniqueConstraint('uuid', name=op.f('uq_chamber_members_uuid'))
    )
    with op.batch_alter_table('chamber_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_chamber_members_parent'), ['parent'], unique=False)
        batch_op.create_index(batch_op.f('ix_chamber_members_township'), ['township'], unique=False)

    op.create_table('proposal_proposers',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('township', sa.String(length=9), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.String(length=60), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.Column('updated_by', sa.String(length=60), nullable=True),
    sa.Column('changed_by', sa.String(length=32), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('born', sa.String(length=48), nullable=True),
    sa.Column('clock', sa.Text(), nullable=True),
    sa.Column('vv', sa.Text(), nullable=True),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('parent', sa.String(length=36), nullable=False),
    sa.Column('person', sa.String(length=36), nullable=True),
    sa.Column('person_name', sa.String(length=500), nullable=True),
    sa.Column('lead', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['parent'], ['proposals.uuid'], name=op.f('fk_proposal_proposers_parent_proposals'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_proposers')),
    sa.UniqueConstraint('uuid', name=op.f('uq_proposal_proposers_uuid'))
    )
    with op.batch_alter_table('proposal_proposers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_proposers_parent'), ['parent'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_proposers_township'), ['township'], unique=False)

    op.create_table('rep_arrangements',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('township', sa.String(length=9), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.String(length=60), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.Column('updated_by', sa.String(length=60), nullable=True),
    sa.Column('changed_by', sa.String(length=32), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('born', sa.String(length=48), nullable=True),
    sa.Column('clock', sa.Text(), nullable=True),
    sa.Column('vv', sa.Text(), nullable=True),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('parent', sa.String(length=36), nullable=False),
    sa.Column('body', sa.String(length=16), nullable=True),
    sa.Column('level', sa.String(length=16), nullable=True),
    sa.Column('term', sa.String(length=500), nullable=True),
    sa.Column('elected_on', sa.Date(), nullable=True),
    sa.Column('term_end', sa.Date(), nullable=True),
    sa.Column('standing', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['parent'], ['representatives.uuid'], name=op.f('fk_rep_arrangements_parent_representatives'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rep_arrangements')),
    sa.UniqueConstraint('uuid', name=op.f('uq_rep_arrangements_uuid'))
    )
    with op.batch_alter_table('rep_arrangements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rep_arrangements_parent'), ['parent'], unique=False)
        batch_op.create_index(batch_op.f('ix_rep_arrangements_township'), ['township'], unique=False)

    op.create_table('rep_honours',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('township', sa.String(length=9), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.String(length=60), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.Column('updated_by', sa.String(length=60), nullable=True),
    sa.Column('changed_by', sa.String(length=32), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('born', sa.String(length=48), nullable=True),
    sa.Column('clock', sa.Text(), nullable=True),
    sa.Column('vv', sa.Text(), nullable=True),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('parent', sa.String(length=36), nullable=False),
    sa.Column('award_on', sa.Date(), nullable=True),
    sa.Column('honour', sa.String(length=500), nullable=True),
    sa.Column('grantor', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['parent'], ['representatives.uuid'], name=op.f('fk_rep_honours_parent_representatives'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rep_honours')),
    sa.UniqueConstraint('uuid', name=op.f('uq_rep_honours_uuid'))
    )
    with op.batch_alter_table('rep_honours', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rep_honours_parent'), ['parent'], unique=False)
        batch_op.create_index(batch_op.f('ix_rep_honours_township'), ['township'], unique=False)

    op.create_table('rep_secondments',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('township', sa.String(length=9), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.String(length=60), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.Column('updated_by', sa.String(length=60), nullable=True),
    sa.Column('changed_by', sa.String(length=32), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('born', sa.String(length=48), nullable=True),
    sa.Column('clock', sa.Text(), nullable=True),
    sa.Column('vv', sa.Text(), nullable=True),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('parent', sa.String(length=36), nullable=False),
    sa.Column('unit', sa.String(length=500), nullable=True),
    sa.Column('post', sa.String(length=500), nullable=True),
    sa.Column('start_on', sa.Date(), nullable=True),
    sa.Column('end_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['parent'], ['representatives.uuid'], name=op.f('fk_rep_secondments_parent_representatives'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rep_secondments')),
    sa.UniqueConstraint('uuid', name=op.f('uq_rep_secondments_uuid'))
    )
    with op.batch_alter_table('rep_secondments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rep_secondments_parent'), ['parent'], unique=False)
        batch_op.create_index(batch_op.f('ix_rep_secondments_township'), ['township'], unique=False)

    op.create_table('rep_trainings',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('township', sa.String(length=9), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.String(length=60), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.Column('updated_by', sa.String(length=60), nullable=True),
    sa.Column('changed_by', sa.String(length=32), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('born', sa.String(length=48), nullable=True),
    sa.Column('clock', sa.Text(), nullable=True),
    sa.Column('vv', sa.Text(), nullable=True),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('parent', sa.String(length=36), nullable=False),
    sa.Column('start_on', sa.Date(), nullable=True),
    sa.Column('end_on', sa.Date(), nullable=True),
    sa.Column('course', sa.String(length=500), nullable=True),
    sa.Column('organiser', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['parent'], ['representatives.uuid'], name=op.f('fk_rep_trainings_parent_representatives'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rep_trainings')),
    sa.UniqueConstraint('uuid', name=op.f('uq_rep_trainings_uuid'))
    )
    with op.batch_alter_table('rep_trainings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rep_trainings_parent'), ['parent'], unique=False)
        batch_op.create_index(batch_op.f('ix_rep_trainings_township'), ['township'], unique=False)

    op.create_table('rep_visits',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('township', sa.String(length=9), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.String(length=60), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.Column('updated_by', sa.String(length=60), nullable=True),
    sa.Column('changed_by', sa.String(length=32), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('born', sa.String(length=48), nullable=True),
    sa.Column('clock', sa.Text(), nullable=True),
    sa.Column('vv', sa.Text(), nullable=True),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('parent', sa.String(length=36), nullable=False),
    sa.Column('visit_on', sa.Date(), nullable=True),
    sa.Column('visitor', sa.String(length=500), nullable=True),
    sa.Column('content', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['parent'], ['representatives.uuid'], name=op.f('fk_rep_visits_parent_representatives'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rep_visits')),
    sa.UniqueConstraint('uuid', name=op.f('uq_rep_visits_uuid'))
    )
    with op.batch_alter_table('rep_visits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rep_visits_parent'), ['parent'], unique=False)
        batch_op.create_index(batch_op.f('ix_rep_visits_township'), ['township'], unique=False)

    op.create_table('site_inspections',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('township', sa.String(length=9), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.String(length=60), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.Column('updated_by', sa.String(length=60), nullable=True),
    sa.Column('changed_by', sa.String(length=32), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('born', sa.String(length=48), nullable=True),
    sa.Column('clock', sa.Text(), nullable=True),
    sa.Column('vv', sa.Text(), nullable=True),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('parent', sa.String(length=36), nullable=False),
    sa.Column('inspected_on', sa.Date(), nullable=True),
    sa.Column('inspectors', sa.String(length=500), nullable=True),
    sa.Column('findings', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['parent'], ['sites.uuid'], name=op.f('fk_site_inspections_parent_sites'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_site_inspections')),
    sa.UniqueConstraint('uuid', name=op.f('uq_site_inspections_uuid'))
    )
    with op.batch_alter_table('site_inspections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_site_inspections_parent'), ['parent'], unique=False)
        batch_op.create_index(batch_op.f('ix_site_inspections_township'), ['township'], unique=False)

    op.create_table('site_issues',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('township', sa.String(length=9), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.String(length=60), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.Column('updated_by', sa.String(length=60), nullable=True),
    sa.Column('changed_by', sa.String(length=32), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('born', sa.String(length=48), nullable=True),
    sa.Column('clock', sa.Text(), nullable=True),
    sa.Column('vv', sa.Text(), nullable=True),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('parent', sa.String(length=36), nullable=False),
    sa.Column('found_on', sa.Date(), nullable=True),
    sa.Column('issue', sa.Text(), nullable=True),
    sa.Column('measure', sa.Text(), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['parent'], ['sites.uuid'], name=op.f('fk_site_issues_parent_sites'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_site_issues')),
    sa.UniqueConstraint('uuid', name=op.f('uq_site_issues_uuid'))
    )
    with op.batch_alter_table('site_issues', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_site_issues_parent'), ['parent'], unique=False)
        batch_op.create_index(batch_op.f('ix_site_issues_township'), ['township'], unique=False)

    op.create_table('villages',
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('township', sa.String(length=9), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=True),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['township'], ['townships.code'], name=op.f('fk_villages_township_townships')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_villages'))
    )
    with op.batch_alter_table('villages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_villages_township'), ['township'], unique=False)



def downgrade() -> None:
    # Every table of the first release, as ufdesk.store.schema described it then.
    with op.batch_alter_table('villages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_villages_township'))

    op.drop_table('villages')
    with op.batch_alter_table('site_issues', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_site_issues_township'))
        batch_op.drop_index(batch_op.f('ix_site_issues_parent'))

    op.drop_table('site_issues')
    with op.batch_alter_table('site_inspections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_site_inspections_township'))
        batch_op.drop_index(batch_op.f('ix_site_inspections_parent'))

    op.drop_table('site_inspections')
    with op.batch_alter_table('rep_visits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rep_visits_township'))
        batch_op.drop_index(batch_op.f('ix_rep_visits_parent'))

    op.drop_table('rep_visits')
    with op.batch_alter_table('rep_trainings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rep_trainings_township'))
        batch_op.drop_index(batch_op.f('ix_rep_trainings_parent'))

    op.drop_table('rep_trainings')
    with op.batch_alter_table('rep_secondments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rep_secondments_township'))
        batch_op.drop_index(batch_op.f('ix_rep_secondments_parent'))

    op.drop_table('rep_secondments')
    with op.batch_alter_table('rep_honours', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rep_honours_township'))
        batch_op.drop_index(batch_op.f('ix_rep_honours_parent'))

    op.drop_table('rep_honours')
    with op.batch_alter_table('rep_arrangements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rep_arrangements_township'))
        batch_op.drop_index(batch_op.f('ix_rep_arrangements_parent'))

    op.drop_table('rep_arrangements')
    with op.batch_alter_table('proposal_proposers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_proposers_township'))
        batch_op.drop_index(batch_op.f('ix_proposal_proposers_parent'))

    op.drop_table('proposal_proposers')
    with op.batch_alter_table('chamber_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_chamber_members_township'))
        batch_op.drop_index(batch_op.f('ix_chamber_members_parent'))

    op.drop_table('chamber_members')
    with op.batch_alter_table('cadre_trainings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cadre_trainings_township'))
        batch_op.drop_index(batch_op.f('ix_cadre_trainings_parent'))

    op.drop_table('cadre_trainings')
    with op.batch_alter_table('activity_participants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_participants_township'))
        batch_op.drop_index(batch_op.f('ix_activity_participants_parent'))

    op.drop_table('activity_participants')
    op.drop_table('users')
    op.drop_table('townships')
    with op.batch_alter_table('sites', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sites_village'))
        batch_op.drop_index(batch_op.f('ix_sites_township'))
        batch_op.drop_index(batch_op.f('ix_sites_status'))
        batch_op.drop_index(batch_op.f('ix_sites_sk_stroke'))
        batch_op.drop_index(batch_op.f('ix_sites_sk_pinyin'))
        batch_op.drop_index(batch_op.f('ix_sites_site_type'))
        batch_op.drop_index(batch_op.f('ix_sites_religion'))
        batch_op.drop_index(batch_op.f('ix_sites_reg_no'))
        batch_op.drop_index(batch_op.f('ix_sites_rating'))
        batch_op.drop_index(batch_op.f('ix_sites_name'))
        batch_op.drop_index(batch_op.f('ix_sites_model_site'))
        batch_op.drop_index(batch_op.f('ix_sites_management'))
        batch_op.drop_index(batch_op.f('ix_sites_leader_phone'))
        batch_op.drop_index(batch_op.f('ix_sites_leader'))
        batch_op.drop_index(batch_op.f('ix_sites_credit_code'))
        batch_op.drop_index(batch_op.f('ix_sites_clergy_count'))
        batch_op.drop_index(batch_op.f('ix_sites_believers'))
        batch_op.drop_index(batch_op.f('ix_sites_approved_on'))
        batch_op.drop_index(batch_op.f('ix_sites_address'))

    op.drop_table('sites')
    op.drop_table('settings')
    with op.batch_alter_table('representatives', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_representatives_township'))
        batch_op.drop_index(batch_op.f('ix_representatives_status'))
        batch_op.drop_index(batch_op.f('ix_representatives_sort_no'))
        batch_op.drop_index(batch_op.f('ix_representatives_sk_stroke'))
        batch_op.drop_index(batch_op.f('ix_representatives_sk_pinyin'))
        batch_op.drop_index(batch_op.f('ix_representatives_reserve'))
        batch_op.drop_index(batch_op.f('ix_representatives_recognized_on'))
        batch_op.drop_index(batch_op.f('ix_representatives_pro_title'))
        batch_op.drop_index(batch_op.f('ix_representatives_position'))
        batch_op.drop_index(batch_op.f('ix_representatives_party_joined'))
        batch_op.drop_index(batch_op.f('ix_representatives_party'))
        batch_op.drop_index(batch_op.f('ix_representatives_nonparty_cadre'))
        batch_op.drop_index(batch_op.f('ix_representatives_native_place'))
        batch_op.drop_index(batch_op.f('ix_representatives_name'))
        batch_op.drop_index(batch_op.f('ix_representatives_mobile'))
        batch_op.drop_index(batch_op.f('ix_representatives_left_reason'))
        batch_op.drop_index(batch_op.f('ix_representatives_left_on'))
        batch_op.drop_index(batch_op.f('ix_representatives_kinds'))
        batch_op.drop_index(batch_op.f('ix_representatives_id_number'))
        batch_op.drop_index(batch_op.f('ix_representatives_gender'))
        batch_op.drop_index(batch_op.f('ix_representatives_ethnicity'))
        batch_op.drop_index(batch_op.f('ix_representatives_employer'))
        batch_op.drop_index(batch_op.f('ix_representatives_education'))
        batch_op.drop_index(batch_op.f('ix_representatives_degree'))
        batch_op.drop_index(batch_op.f('ix_representatives_contact_leader'))
        batch_op.drop_index(batch_op.f('ix_representatives_cadre_rank'))
        batch_op.drop_index(batch_op.f('ix_representatives_birth_date'))
        batch_op.drop_index(batch_op.f('ix_representatives_address'))

    op.drop_table('representatives')
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposals_township'))
        batch_op.drop_index(batch_op.f('ix_proposals_title'))
        batch_op.drop_index(batch_op.f('ix_proposals_submitted_on'))
        batch_op.drop_index(batch_op.f('ix_proposals_status'))
        batch_op.drop_index(batch_op.f('ix_proposals_sk_stroke'))
        batch_op.drop_index(batch_op.f('ix_proposals_sk_pinyin'))
        batch_op.drop_index(batch_op.f('ix_proposals_session'))
        batch_op.drop_index(batch_op.f('ix_proposals_satisfaction'))
        batch_op.drop_index(batch_op.f('ix_proposals_result'))
        batch_op.drop_index(batch_op.f('ix_proposals_replied_on'))
        batch_op.drop_index(batch_op.f('ix_proposals_proposer_names'))
        batch_op.drop_index(batch_op.f('ix_proposals_number'))
        batch_op.drop_index(batch_op.f('ix_proposals_mode'))
        batch_op.drop_index(batch_op.f('ix_proposals_kind'))
        batch_op.drop_index(batch_op.f('ix_proposals_instruction'))
        batch_op.drop_index(batch_op.f('ix_proposals_host_unit'))
        batch_op.drop_index(batch_op.f('ix_proposals_domain'))
        batch_op.drop_index(batch_op.f('ix_proposals_co_units'))
        batch_op.drop_index(batch_op.f('ix_proposals_closed_on'))
        batch_op.drop_index(batch_op.f('ix_proposals_body'))
        batch_op.drop_index(batch_op.f('ix_proposals_award'))
        batch_op.drop_index(batch_op.f('ix_proposals_assigned_on'))
        batch_op.drop_index(batch_op.f('ix_proposals_adoption'))

    op.drop_table('proposals')
    op.drop_table('peers')
    with op.batch_alter_table('package_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_package_log_package_id'))

    op.drop_table('package_log')
    op.drop_table('installation')
    op.drop_table('import_mappings')
    op.drop_table('duplicates')
    with op.batch_alter_table('conflicts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conflicts_record'))

    op.drop_table('conflicts')
    op.drop_table('code_overrides')
    with op.batch_alter_table('chambers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_chambers_township'))
        batch_op.drop_index(batch_op.f('ix_chambers_status'))
        batch_op.drop_index(batch_op.f('ix_chambers_sk_stroke'))
        batch_op.drop_index(batch_op.f('ix_chambers_sk_pinyin'))
        batch_op.drop_index(batch_op.f('ix_chambers_secretary'))
        batch_op.drop_index(batch_op.f('ix_chambers_phone'))
        batch_op.drop_index(batch_op.f('ix_chambers_name'))
        batch_op.drop_index(batch_op.f('ix_chambers_member_count'))
        batch_op.drop_index(batch_op.f('ix_chambers_level'))
        batch_op.drop_index(batch_op.f('ix_chambers_leader'))
        batch_op.drop_index(batch_op.f('ix_chambers_kind'))
        batch_op.drop_index(batch_op.f('ix_chambers_founded_on'))
        batch_op.drop_index(batch_op.f('ix_chambers_credit_code'))
        batch_op.drop_index(batch_op.f('ix_chambers_address'))

    op.drop_table('chambers')
    with op.batch_alter_table('cadres', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cadres_village'))
        batch_op.drop_index(batch_op.f('ix_cadres_township'))
        batch_op.drop_index(batch_op.f('ix_cadres_sk_stroke'))
        batch_op.drop_index(batch_op.f('ix_cadres_sk_pinyin'))
        batch_op.drop_index(batch_op.f('ix_cadres_post'))
        batch_op.drop_index(batch_op.f('ix_cadres_phone'))
        batch_op.drop_index(batch_op.f('ix_cadres_other_post'))
        batch_op.drop_index(batch_op.f('ix_cadres_name'))
        batch_op.drop_index(batch_op.f('ix_cadres_left_on'))
        batch_op.drop_index(batch_op.f('ix_cadres_id_number'))
        batch_op.drop_index(batch_op.f('ix_cadres_gender'))
        batch_op.drop_index(batch_op.f('ix_cadres_fulltime'))
        batch_op.drop_index(batch_op.f('ix_cadres_employer'))
        batch_op.drop_index(batch_op.f('ix_cadres_education'))
        batch_op.drop_index(batch_op.f('ix_cadres_birth_date'))
        batch_op.drop_index(batch_op.f('ix_cadres_appointed_on'))

    op.drop_table('cadres')
    with op.batch_alter_table('audit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_record'))
        batch_op.drop_index(batch_op.f('ix_audit_batch'))
        batch_op.drop_index(batch_op.f('ix_audit_at'))
        batch_op.drop_index(batch_op.f('ix_audit_action'))

    op.drop_table('audit')
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachments_township'))
        batch_op.drop_index(batch_op.f('ix_attachments_owner'))

    op.drop_table('attachments')
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activities_township'))
        batch_op.drop_index(batch_op.f('ix_activities_title'))
        batch_op.drop_index(batch_op.f('ix_activities_sk_stroke'))
        batch_op.drop_index(batch_op.f('ix_activities_sk_pinyin'))
        batch_op.drop_index(batch_op.f('ix_activities_place'))
        batch_op.drop_index(batch_op.f('ix_activities_organiser'))
        batch_op.drop_index(batch_op.f('ix_activities_kind'))
        batch_op.drop_index(batch_op.f('ix_activities_held_on'))
        batch_op.drop_index(batch_op.f('ix_activities_headcount'))
        batch_op.drop_index(batch_op.f('ix_activities_funds'))

    op.drop_table('activities')
