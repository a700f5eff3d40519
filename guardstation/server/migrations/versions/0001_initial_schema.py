"""Initial schema of the central server: sites, stations, events, derived visits, reference data, change log.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "admin_token",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    op.create_table(
        "alert",
        sa.Column("alert_id", sa.String(length=36), nullable=False),
        sa.Column("site_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("body_json", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("alert_id"),
    )
    with op.batch_alter_table("alert", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alert_site_id"), ["site_id"], unique=False)

    op.create_table(
        "change_counter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "change_log",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("stream", sa.String(length=20), nullable=False),
        sa.Column("op", sa.String(length=10), nullable=False),
        sa.Column("site_id", sa.String(length=36), nullable=True),
        sa.Column("origin_station_id", sa.String(length=36), nullable=True),
        sa.Column("visit_id", sa.String(length=64), nullable=True),
        sa.Column("event_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("data_json", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
    )
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.create_index("ix_change_log_site_seq", ["site_id", "seq"], unique=False)

    op.create_table(
        "event",
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("station_id", sa.String(length=36), nullable=False),
        sa.Column("site_id", sa.String(length=36), nullable=False),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("schema_v", sa.Integer(), nullable=False),
        sa.Column("hlc", sa.String(length=64), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("clock_offset_ms", sa.BigInteger(), nullable=False),
        sa.Column("corrected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("time_uncertain", sa.Boolean(), nullable=False),
        sa.Column("visit_id", sa.String(length=64), nullable=True),
        sa.Column("subject_key", sa.String(length=64), nullable=True),
        sa.Column("gate", sa.String(length=100), nullable=False),
        sa.Column("body_json", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id"),
        sa.UniqueConstraint("station_id", "epoch", "seq", name="uq_event_station_epoch_seq"),
    )

    op.create_table(
        "rejected_event",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("station_id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("raw_json", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("station_id", "event_id", name="uq_rejected_station_event"),
    )
    op.create_table(
        "rule_pack",
        sa.Column("pack_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("effective_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("body_json", sa.Text(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("pack_id"),
    )
    op.create_table(
        "site",
        sa.Column("site_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("policy_json", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("site_id"),
    )
    op.create_table(
        "status_entry",
        sa.Column("subject_key", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("subject_key", "status"),
    )
    op.create_table(
        "trust_key",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("scheme", sa.String(length=16), nullable=False),
        sa.Column("kid", sa.LargeBinary(), nullable=False),
        sa.Column("public_der", sa.LargeBinary(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("issuer", sa.String(length=300), nullable=False),
        sa.Column("usage", sa.String(length=16), nullable=False),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=True),
        sa.Column("not_after", sa.DateTime(timezone=True), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("scheme", "kid", "public_der", name="uq_trust_key"),
    )
    op.create_table(
        "visit",
        sa.Column("visit_id", sa.String(length=64), nullable=False),
        sa.Column("site_id", sa.String(length=36), nullable=False),
        sa.Column("subject_key", sa.String(length=64), nullable=True),
        sa.Column("time_in", sa.DateTime(timezone=True), nullable=True),
        sa.Column("in_event_id", sa.String(length=36), nullable=True),
        sa.Column("gate_in", sa.String(length=100), nullable=False),
        sa.Column("station_in", sa.String(length=36), nullable=False),
        sa.Column("time_out", sa.DateTime(timezone=True), nullable=True),
        sa.Column("raw_time_out", sa.DateTime(timezone=True), nullable=True),
        sa.Column("out_event_id", sa.String(length=36), nullable=True),
        sa.Column("gate_out", sa.String(length=100), nullable=False),
        sa.Column("station_out", sa.String(length=36), nullable=False),
        sa.Column("correction_hlc", sa.String(length=64), nullable=True),
        sa.Column("voided", sa.Boolean(), nullable=False),
        sa.Column("time_uncertain", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("visit_id"),
    )
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.create_index("ix_visit_site_open", ["site_id", "time_out"], unique=False)
        batch_op.create_index("ix_visit_site_time_in", ["site_id", "time_in"], unique=False)
        batch_op.create_index("ix_visit_subject", ["subject_key", "time_in"], unique=False)

    op.create_table(
        "enrollment_code",
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("site_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("station_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["site.site_id"],
        ),
        sa.PrimaryKeyConstraint("code_hash"),
    )
    op.create_table(
        "station",
        sa.Column("station_id", sa.String(length=36), nullable=False),
        sa.Column("site_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("app_version", sa.String(length=40), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["site.site_id"],
        ),
        sa.PrimaryKeyConstraint("station_id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("station", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_station_site_id"), ["site_id"], unique=False)

    op.create_table(
        "station_epoch",
        sa.Column("station_id", sa.String(length=36), nullable=False),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.station_id"],
        ),
        sa.PrimaryKeyConstraint("station_id", "epoch"),
    )
    # The change-log counter starts at 0; its single row is what appends lock (see server/changelog.py).
    op.bulk_insert(
        sa.table("change_counter", sa.column("id", sa.Integer()), sa.column("last_seq", sa.BigInteger())),
        [{"id": 1, "last_seq": 0}],
    )


def downgrade() -> None:
    op.drop_table("station_epoch")
    with op.batch_alter_table("station", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_station_site_id"))

    op.drop_table("station")
    op.drop_table("enrollment_code")
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_index("ix_visit_subject")
        batch_op.drop_index("ix_visit_site_time_in")
        batch_op.drop_index("ix_visit_site_open")

    op.drop_table("visit")
    op.drop_table("trust_key")
    op.drop_table("status_entry")
    op.drop_table("site")
    op.drop_table("rule_pack")
    op.drop_table("rejected_event")
    op.drop_table("event")
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.drop_index("ix_change_log_site_seq")

    op.drop_table("change_log")
    op.drop_table("change_counter")
    with op.batch_alter_table("alert", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_site_id"))

    op.drop_table("alert")
    op.drop_table("admin_token")
