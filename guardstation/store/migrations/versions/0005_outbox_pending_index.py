"""outbox: a partial index on the rows still waiting for the server's ack

The outbox keeps acknowledged rows (the audit of what was sent), so it grows by every
event for the life of the station. The sync worker and the top bar ask for the pending
rows every round; without this index each ask reads the whole table.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_outbox_pending", "outbox", ["seq"], sqlite_where=sa.text("acked_at IS NULL"))


def downgrade() -> None:
    op.drop_index("ix_outbox_pending", table_name="outbox")
