"""shift book: guards, shift notes, handover summary; auto-closed, corrected and overridden visits

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
    op.create_table(
        "guard",
        sa.Column("guard_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("pin_hash", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("guard_id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "shift_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shift_id", sa.String(length=36), nullable=False),
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.Column("author", sa.String(length=100), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["shift_id"], ["shift.shift_id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_shift_note_shift_id", "shift_note", ["shift_id"])
    # Plain ADD COLUMN, not batch mode: copying `visit` would drop its full-text triggers (0001).
    op.add_column("shift", sa.Column("guard_id", sa.String(length=36), nullable=True))
    op.add_column("shift", sa.Column("summary_json", sa.Text(), server_default="", nullable=False))
    op.add_column("visit", sa.Column("auto_closed", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column("visit", sa.Column("correction_hlc", sa.String(length=64), nullable=True))
    op.add_column("visit", sa.Column("override_of", sa.String(length=36), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("shift", schema=None) as batch_op:
        batch_op.drop_column("summary_json")
        batch_op.drop_column("guard_id")
    # SQLite >= 3.35 drops a column in place, keeping the visit table's triggers.
    for column in ("override_of", "correction_hlc", "auto_closed"):
        op.execute(f"ALTER TABLE visit DROP COLUMN {column}")
    op.drop_index("ix_shift_note_shift_id", table_name="shift_note")
    op.drop_table("shift_note")
    op.drop_table("guard")
