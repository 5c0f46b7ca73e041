"""logins of their own: sessions that end, set-password links, single sign-on

Revision ID: accounts_1
Revises: 0001
Create Date: 2026-11-30
"""

from alembic import op
import sqlalchemy as sa
import tracker.db


revision = 'accounts_1'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('login_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('id_token', sa.Text(), nullable=True),
    sa.Column('created_at', tracker.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_login_sessions_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_sessions')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_login_sessions_key_hash'))
    )
    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_sessions_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_login_sessions_person_id'), ['person_id'], unique=False)

    op.create_table('password_link_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('remote_addr', sa.String(length=64), nullable=False),
    sa.Column('created_at', tracker.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_password_link_requests'))
    )
    with op.batch_alter_table('password_link_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_password_link_requests_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_password_link_requests_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_password_link_requests_remote_addr'), ['remote_addr'], unique=False)

    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_failures_remote_addr'), ['remote_addr'], unique=False)

    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('login_enabled', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('session_generation', sa.Integer(), nullable=False, server_default='1'))
        batch_op.add_column(sa.Column('oidc_subject', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('password_link_sent_at', tracker.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_people_oidc_subject'), ['oidc_subject'])
    # Whoever had a password had a login.
    op.execute("UPDATE people SET login_enabled = true WHERE password_hash IS NOT NULL")
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.alter_column('login_enabled', server_default=None)
        batch_op.alter_column('session_generation', server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_people_oidc_subject'), type_='unique')
        batch_op.drop_column('password_link_sent_at')
        batch_op.drop_column('oidc_subject')
        batch_op.drop_column('session_generation')
        batch_op.drop_column('login_enabled')

    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_failures_remote_addr'))

    with op.batch_alter_table('password_link_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_password_link_requests_remote_addr'))
        batch_op.drop_index(batch_op.f('ix_password_link_requests_email'))
        batch_op.drop_index(batch_op.f('ix_password_link_requests_created_at'))

    op.drop_table('password_link_requests')

    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_sessions_person_id'))
        batch_op.drop_index(batch_op.f('ix_login_sessions_created_at'))

    op.drop_table('login_sessions')
