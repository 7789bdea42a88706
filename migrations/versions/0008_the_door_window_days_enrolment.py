"""the door: a check-in window per conference, one live check-in per delegate and day, desk enrolment links

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 22:20:00

"""
from datetime import UTC
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

SCAN_RESULTS = ('ok', 'already_checked_in', 'unknown_code', 'invalid_code', 'other_conference', 'not_admitted')


def _results_check(results) -> str:
    return "result IN ({})".format(", ".join(f"'{r}'" for r in results))


def _backfill_days() -> None:
    """Each existing check-in's day: the local (Asia/Ho_Chi_Minh) date of its time."""
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    checkin = sa.table('checkin', sa.column('id', sa.Integer), sa.column('checked_in_at', sa.DateTime),
                       sa.column('day', sa.Date))
    connection = op.get_bind()
    for row in connection.execute(sa.select(checkin.c.id, checkin.c.checked_in_at)).all():
        day = row.checked_in_at.replace(tzinfo=UTC).astimezone(zone).date()
        connection.execute(checkin.update().where(checkin.c.id == row.id).values(day=day))


def upgrade():
    with op.batch_alter_table('conference', schema=None) as batch_op:
        batch_op.add_column(sa.Column('checkin_opens_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('checkin_closes_at', sa.DateTime(), nullable=True))
        batch_op.create_check_constraint(
            'checkin_window_ordered',
            'checkin_opens_at IS NULL OR checkin_closes_at IS NULL OR checkin_closes_at > checkin_opens_at')

    op.create_table(
        'desk_enrolment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('conference_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.Column('used_at', sa.DateTime(), nullable=True),
        sa.Column('device_id', sa.Integer(), nullable=True),
        sa.CheckConstraint('expires_at > created_at', name=op.f('ck_desk_enrolment_expires_after_creation')),
        sa.ForeignKeyConstraint(['conference_id'], ['conference.id'],
                                name=op.f('fk_desk_enrolment_conference_id_conference'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_desk_enrolment_created_by_id_user'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['device_id'], ['device.id'], name=op.f('fk_desk_enrolment_device_id_device'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_desk_enrolment')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_desk_enrolment_token_hash')),
    )
    with op.batch_alter_table('desk_enrolment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_desk_enrolment_conference_id'), ['conference_id'], unique=False)

    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.add_column(sa.Column('day', sa.Date(), nullable=True))
    _backfill_days()
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.alter_column('day', existing_type=sa.Date(), nullable=False)
        batch_op.drop_index('uq_checkin_live_per_delegate')
        batch_op.create_index('uq_checkin_live_per_delegate_day', ['delegate_id', 'day'], unique=True,
                              sqlite_where=sa.text('undone_at IS NULL'),
                              postgresql_where=sa.text('undone_at IS NULL'))

    with op.batch_alter_table('scan', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_scan_result_valid'), type_='check')
        batch_op.create_check_constraint('result_valid', _results_check(SCAN_RESULTS + ('outside_window',)))


def downgrade():
    op.execute("DELETE FROM scan WHERE result = 'outside_window'")
    with op.batch_alter_table('scan', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_scan_result_valid'), type_='check')
        batch_op.create_check_constraint('result_valid', _results_check(SCAN_RESULTS))

    # one live check-in per delegate again: the first day's is kept, later days' are undone
    op.execute("UPDATE checkin SET undone_at = recorded_at WHERE undone_at IS NULL AND EXISTS ("
               "SELECT 1 FROM checkin AS earlier WHERE earlier.delegate_id = checkin.delegate_id "
               "AND earlier.undone_at IS NULL AND earlier.day < checkin.day)")
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.drop_index('uq_checkin_live_per_delegate_day', sqlite_where=sa.text('undone_at IS NULL'),
                            postgresql_where=sa.text('undone_at IS NULL'))
        batch_op.create_index('uq_checkin_live_per_delegate', ['delegate_id'], unique=True,
                              sqlite_where=sa.text('undone_at IS NULL'),
                              postgresql_where=sa.text('undone_at IS NULL'))
        batch_op.drop_column('day')

    with op.batch_alter_table('desk_enrolment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_desk_enrolment_conference_id'))
    op.drop_table('desk_enrolment')

    with op.batch_alter_table('conference', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_conference_checkin_window_ordered'), type_='check')
        batch_op.drop_column('checkin_closes_at')
        batch_op.drop_column('checkin_opens_at')
