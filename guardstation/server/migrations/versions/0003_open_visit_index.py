"""open visits only in the occupancy index (ix_visit_site_open becomes (site_id, time_in) WHERE time_out IS NULL)

Occupancy reads open visits of a site; closed visits were in the index too, and every check-out (an update of
time_out) added an entry. Now a visit that is already closed when it is first written never enters the index.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_visit_site_open", table_name="visit")
    op.create_index(
        "ix_visit_site_open",
        "visit",
        ["site_id", "time_in"],
        unique=False,
        postgresql_where=sa.text("time_out IS NULL"),
        sqlite_where=sa.text("time_out IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_visit_site_open", table_name="visit")
    op.create_index("ix_visit_site_open", "visit", ["site_id", "time_out"], unique=False)
