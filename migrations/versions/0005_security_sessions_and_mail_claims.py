"""sessions end on sign-out, mail claims per worker

user.session_generation is part of every session and remember cookie (User.get_id); raising it ends them all.
outbox_message.locked_by names the worker's claim, so that a worker never sends or records a message another
worker took over.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 20:09:27.726796

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locked_by', sa.String(length=32), nullable=True))

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_generation', sa.Integer(), server_default='0', nullable=False))



def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('session_generation')

    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_column('locked_by')

