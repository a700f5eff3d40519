"""visit event changes point at their stored event instead of holding a copy of it

A visit event's change log row held the whole event again as JSON (the body included): every event was stored
twice and formatted at push time. Its row now holds `event_id`, and pull makes the data from the event row
(changelog.event_data_sql). Rows written before keep their data_json; downgrading writes it back.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("change_log") as batch_op:
        batch_op.add_column(sa.Column("event_id", sa.String(length=36), nullable=True))
        batch_op.alter_column("data_json", existing_type=sa.Text(), nullable=True)


def downgrade() -> None:
    from guardstation.server.changelog import event_data_sql

    bind = op.get_bind()
    op.execute(
        f"UPDATE change_log SET data_json = (SELECT {event_data_sql(bind.dialect.name)} FROM event e "
        f"WHERE e.event_id = change_log.event_id) WHERE data_json IS NULL"
    )
    with op.batch_alter_table("change_log") as batch_op:
        batch_op.alter_column("data_json", existing_type=sa.Text(), nullable=False)
        batch_op.drop_column("event_id")
