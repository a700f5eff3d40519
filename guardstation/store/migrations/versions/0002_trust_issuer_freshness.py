"""trust key issuer and certificate, data freshness

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "data_freshness",
        sa.Column("stream", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("stream"),
    )
    with op.batch_alter_table("trust_key", schema=None) as batch_op:
        batch_op.add_column(sa.Column("issuer", sa.String(length=300), server_default="", nullable=False))
        batch_op.add_column(sa.Column("cert_der", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("trust_key", schema=None) as batch_op:
        batch_op.drop_column("cert_der")
        batch_op.drop_column("issuer")
    op.drop_table("data_freshness")
