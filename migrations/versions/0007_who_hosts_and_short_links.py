"""who hosts a conference, "Đồng chí" per agency group, the short link of a printed letter

A conference names its own issuing agency, parent agency, abbreviation, place and signer (empty: the host's
settings), and optionally a second issuing agency for a joint plan. An agency group may be addressed as
"Đồng chí". Every invitation gets a short code for the link typed from its printed letter.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 22:40:00

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

CONFERENCE_COLUMNS = [
    ('issuer_name', 200), ('issuer_parent_name', 200), ('issuer_abbreviation', 30), ('place_name', 100),
    ('signer_authority', 100), ('signer_title', 100), ('signer_name', 100),
    ('co_issuer_name', 200), ('co_issuer_parent_name', 200), ('co_issuer_abbreviation', 30),
]
ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"


def _backfill_short_codes():
    """Give each existing invitation its own code (the same rule as models.base.new_short_code)."""
    connection = op.get_bind()
    invitation = sa.table('invitation', sa.column('id', sa.Integer), sa.column('short_code', sa.String))
    ids = connection.execute(sa.select(invitation.c.id)).scalars().all()
    used = set()
    for invitation_id in ids:
        code = None
        while code is None or code in used:
            code = "".join(secrets.choice(ALPHABET) for _ in range(8))
        used.add(code)
        connection.execute(invitation.update().where(invitation.c.id == invitation_id).values(short_code=code))


RECEPTION_CHECK = "reception_minutes IS NULL OR (reception_minutes > 0 AND reception_minutes <= 240)"


def _add_reception_check():
    connection = op.get_bind()
    if connection.dialect.name != 'sqlite':
        op.create_check_constraint(op.f('ck_conference_reception_minutes_range'), 'conference', RECEPTION_CHECK)
        return
    connection.exec_driver_sql('PRAGMA foreign_keys=OFF')
    try:
        with op.batch_alter_table('conference', schema=None, recreate='always') as batch_op:
            batch_op.create_check_constraint(op.f('ck_conference_reception_minutes_range'), RECEPTION_CHECK)
    finally:
        connection.exec_driver_sql('PRAGMA foreign_keys=ON')


def upgrade():
    # Columns are only added (their server default stays: SQLite would otherwise copy tables that others refer to).
    for name, length in CONFERENCE_COLUMNS:
        op.add_column('conference', sa.Column(name, sa.String(length=length), nullable=False, server_default=''))

    # A CHECK needs SQLite to copy the table: conference is referred to by every table, so the copy runs with the
    # foreign keys not enforced (batch mode on SQLite; PostgreSQL adds the constraint in place).
    op.add_column('conference', sa.Column('reception_minutes', sa.Integer(), nullable=True))
    _add_reception_check()
    op.add_column('agency_group', sa.Column('address_as_comrade', sa.Boolean(), server_default=sa.false(),
                                            nullable=False))
    op.add_column('invitation', sa.Column('short_code', sa.String(length=12), nullable=True))
    _backfill_short_codes()
    op.create_index('uq_invitation_short_code', 'invitation', ['short_code'], unique=True)


def downgrade():
    op.drop_index('uq_invitation_short_code', table_name='invitation')
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_column('short_code')
    with op.batch_alter_table('agency_group', schema=None) as batch_op:
        batch_op.drop_column('address_as_comrade')
    with op.batch_alter_table('conference', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_conference_reception_minutes_range'), type_='check')
        batch_op.drop_column('reception_minutes')
        for name, _length in reversed(CONFERENCE_COLUMNS):
            batch_op.drop_column(name)
