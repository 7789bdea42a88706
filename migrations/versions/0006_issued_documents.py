"""issued documents: the clerk's number and signing date per conference and kind

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 22:15:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'issued_document',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('conference_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('number', sa.String(length=60), nullable=False),
        sa.Column('signed_on', sa.Date(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint("kind IN ('giay_moi', 'ke_hoach', 'bao_cao', 'du_toan', 'quyet_toan')",
                           name=op.f('ck_issued_document_kind_valid')),
        sa.ForeignKeyConstraint(['conference_id'], ['conference.id'], name=op.f('fk_issued_document_conference_id_conference'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_issued_document_updated_by_id_user'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_issued_document')),
        sa.UniqueConstraint('conference_id', 'kind', name='uq_issued_document_kind'),
    )


def downgrade():
    op.drop_table('issued_document')
