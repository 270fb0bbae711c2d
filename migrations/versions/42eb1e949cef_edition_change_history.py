"""Edition change history: programme published or unpublished, by whom and when.

Revision ID: 42eb1e949cef
Revises: e0024f2539bf
Create Date: 2026-11-21 23:37:54.907990

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '42eb1e949cef'
down_revision = 'e0024f2539bf'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('edition_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_edition_change_actor_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['edition_id'], ['edition.id'], name=op.f('fk_edition_change_edition_id_edition'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_edition_change'))
    )
    with op.batch_alter_table('edition_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_edition_change_edition_id'), ['edition_id'], unique=False)



def downgrade():
    with op.batch_alter_table('edition_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_edition_change_edition_id'))

    op.drop_table('edition_change')
