"""The central server's tables (docs/architecture.md §7). Portable between SQLite and PostgreSQL.

Append-only `event` rows are the truth for visits; `visit` is derived from
them (rebuildable with guardstation.server.ingest.rebuild_visits). Every
change a station must learn about is a row of `change_log` (see changelog.py).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# Autoincrement keys: BIGINT on PostgreSQL, the rowid alias INTEGER on SQLite.
BigId = BigInteger().with_variant(Integer, "sqlite")


class UtcDateTime(TypeDecorator):
    """timestamptz on PostgreSQL; on SQLite naive UTC text of one fixed format (so text order = time order).

    Values going in must be timezone-aware; values coming out are aware (UTC).
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; times must be timezone-aware")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    pass


class Site(Base):
    __tablename__ = "site"
    site_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    capacity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    policy_json: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Station(Base):
    __tablename__ = "station"
    station_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("site.site_id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    app_version: Mapped[str] = mapped_column(String(40), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 hex of the bearer token
    epoch: Mapped[int] = mapped_column(Integer, default=1)
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)  # highest seq stored in the current epoch
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_seen_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class StationEpoch(Base):
    """Every epoch a station has used, and why it changed (restore detected, or the station's own choice)."""

    __tablename__ = "station_epoch"
    station_id: Mapped[str] = mapped_column(ForeignKey("station.station_id"), primary_key=True)
    epoch: Mapped[int] = mapped_column(Integer, primary_key=True)
    reason: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(UtcDateTime)


class EnrollmentCode(Base):
    __tablename__ = "enrollment_code"
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256 hex; the code is never stored
    site_id: Mapped[str] = mapped_column(ForeignKey("site.site_id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    station_id: Mapped[str | None] = mapped_column(String(36), nullable=True)


class DeploymentSecret(Base):
    """The deployment's HMAC key for subject keys, handed to each station at enrolment (over HTTPS), so that a
    person gets the same subject key at every gate; the server needs it too, to flag a subject by NIK."""

    __tablename__ = "deployment_secret"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class AdminToken(Base):
    __tablename__ = "admin_token"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class Event(Base):
    """A visit event as pushed by a station, stored once (event_id is the idempotency key)."""

    __tablename__ = "event"
    # Only what a query uses is indexed: every index is paid for on each of thousands of inserts a second.
    # Occupancy and tracing read the derived `visit` table, not this one.
    __table_args__ = (UniqueConstraint("station_id", "epoch", "seq", name="uq_event_station_epoch_seq"),)
    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    station_id: Mapped[str] = mapped_column(String(36))
    site_id: Mapped[str] = mapped_column(String(36))
    epoch: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(20))
    schema_v: Mapped[int] = mapped_column(Integer)
    hlc: Mapped[str] = mapped_column(String(64))
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime)  # the station's clock
    clock_offset_ms: Mapped[int] = mapped_column(BigInteger)
    corrected_at: Mapped[datetime] = mapped_column(UtcDateTime)  # occurred_at - clock offset
    time_uncertain: Mapped[bool] = mapped_column(Boolean, default=False)
    visit_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    subject_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    gate: Mapped[str] = mapped_column(String(100), default="")
    body_json: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)


class RejectedEvent(Base):
    """An event the server could not accept: kept verbatim with the reason, and acknowledged."""

    __tablename__ = "rejected_event"
    __table_args__ = (UniqueConstraint("station_id", "event_id", name="uq_rejected_station_event"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(36))
    station_id: Mapped[str] = mapped_column(String(36))
    code: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(Text, default="")
    raw_json: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Visit(Base):
    """Derived from events by set union (domain.visit_merge); occupancy and tracing read it."""

    __tablename__ = "visit"
    __table_args__ = (
        # Occupancy counts open visits by site. Only open visits are in this index: a visit that comes and goes
        # within one push never enters it, and closing one does not add an entry (migration 0003).
        Index(
            "ix_visit_site_open",
            "site_id",
            "time_in",
            postgresql_where=text("time_out IS NULL"),
            sqlite_where=text("time_out IS NULL"),
        ),
        Index("ix_visit_site_time_in", "site_id", "time_in"),
        Index("ix_visit_subject", "subject_key", "time_in"),
    )
    visit_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    site_id: Mapped[str] = mapped_column(String(36))
    subject_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    time_in: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    in_event_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    gate_in: Mapped[str] = mapped_column(String(100), default="")
    station_in: Mapped[str] = mapped_column(String(36), default="")
    # The effective time out: the raw earliest check-out, unless a correction set it.
    time_out: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    raw_time_out: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    out_event_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    gate_out: Mapped[str] = mapped_column(String(100), default="")
    station_out: Mapped[str] = mapped_column(String(36), default="")
    correction_hlc: Mapped[str | None] = mapped_column(String(64), nullable=True)
    voided: Mapped[bool] = mapped_column(Boolean, default=False)
    time_uncertain: Mapped[bool] = mapped_column(Boolean, default=False)


class RulePackRow(Base):
    __tablename__ = "rule_pack"
    pack_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    effective_from: Mapped[datetime] = mapped_column(UtcDateTime)
    body_json: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(UtcDateTime)


class StatusEntry(Base):
    __tablename__ = "status_entry"
    subject_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    status: Mapped[str] = mapped_column(String(20), primary_key=True)  # positive | close_contact | deny
    valid_from: Mapped[datetime] = mapped_column(UtcDateTime)
    valid_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    source: Mapped[str] = mapped_column(String(100), default="")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class TrustKey(Base):
    __tablename__ = "trust_key"
    __table_args__ = (UniqueConstraint("scheme", "kid", "public_der", name="uq_trust_key"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    scheme: Mapped[str] = mapped_column(String(16))
    kid: Mapped[bytes] = mapped_column(LargeBinary)
    public_der: Mapped[bytes] = mapped_column(LargeBinary)
    label: Mapped[str] = mapped_column(String(200), default="")
    issuer: Mapped[str] = mapped_column(String(300), default="")
    usage: Mapped[str] = mapped_column(String(16), default="")
    not_before: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    not_after: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    added_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Alert(Base):
    __tablename__ = "alert"
    alert_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    site_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    body_json: Mapped[str] = mapped_column(Text)


class ChangeCounter(Base):
    """One row: the last change seq handed out. Its row lock serialises appends to change_log."""

    __tablename__ = "change_counter"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(BigInteger)


class ChangeLog(Base):
    """What stations pull, in one global order (see changelog.py for why the seq has no gaps)."""

    __tablename__ = "change_log"
    __table_args__ = (Index("ix_change_log_site_seq", "site_id", "seq"),)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    stream: Mapped[str] = mapped_column(String(20))
    op: Mapped[str] = mapped_column(String(10))  # upsert | delete | append
    site_id: Mapped[str | None] = mapped_column(String(36), nullable=True)  # None: every site
    origin_station_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    visit_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    event_time: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    # A visit event's change points at its stored event (its data is made from that row when pulled); every other
    # change holds its data. (Before migration 0004 visit events held a copy of the event too.)
    event_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    data_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
