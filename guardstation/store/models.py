"""SQLAlchemy models of the station database (docs/architecture.md §5).

Append-only `visit_event` rows are the truth; `visit` is derived from them and
could be rebuilt. Server-authored tables are only ever replaced by sync.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint, false, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator):
    """Stores aware datetimes as UTC ISO text (sortable) and returns them aware again."""

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; times must be timezone-aware")
        return value.astimezone(UTC).isoformat(timespec="microseconds")

    def process_result_value(self, value, dialect):
        return None if value is None else datetime.fromisoformat(value)


class Base(DeclarativeBase):
    pass


class Station(Base):
    """This station's identity and counters (one row)."""

    __tablename__ = "station"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    station_id: Mapped[str] = mapped_column(String(36))
    site_id: Mapped[str] = mapped_column(String(64))
    gate_name: Mapped[str] = mapped_column(String(100))
    epoch: Mapped[int] = mapped_column(Integer, default=1)
    next_seq: Mapped[int] = mapped_column(Integer, default=1)
    hlc_last: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class SiteConfig(Base):
    __tablename__ = "site_config"
    site_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    capacity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    policy_json: Mapped[str] = mapped_column(Text, default="{}")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class RulePackRow(Base):
    __tablename__ = "rule_pack"
    pack_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    body_json: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)


class StatusEntryRow(Base):
    __tablename__ = "status_entry"
    subject_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    status: Mapped[str] = mapped_column(String(20), primary_key=True)
    valid_from: Mapped[datetime] = mapped_column(UtcDateTime)
    valid_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class TrustKeyRow(Base):
    __tablename__ = "trust_key"
    __table_args__ = (UniqueConstraint("scheme", "kid", "public_der"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scheme: Mapped[str] = mapped_column(String(16))
    kid: Mapped[bytes] = mapped_column(LargeBinary)
    public_der: Mapped[bytes] = mapped_column(LargeBinary)
    label: Mapped[str] = mapped_column(String(200), default="")
    not_before: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    not_after: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    usage: Mapped[str] = mapped_column(String(16), default="")
    source: Mapped[str] = mapped_column(String(16), default="local")
    added_at: Mapped[datetime] = mapped_column(UtcDateTime)
    issuer: Mapped[str] = mapped_column(String(300), default="", server_default="")
    cert_der: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)  # DCC signer certificate


class DataFreshness(Base):
    """When each kind of verification data was last refreshed (by sync or an import)."""

    __tablename__ = "data_freshness"
    stream: Mapped[str] = mapped_column(String(32), primary_key=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    source: Mapped[str] = mapped_column(String(32), default="")


class AlertRow(Base):
    __tablename__ = "alert"
    alert_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    body_json: Mapped[str] = mapped_column(Text)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class Guard(Base):
    """A guard who may open a shift; the PIN is kept only as its Argon2id hash (station/pin.py)."""

    __tablename__ = "guard"
    guard_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    pin_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Shift(Base):
    __tablename__ = "shift"
    shift_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    guard_name: Mapped[str] = mapped_column(String(100))
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    guard_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    summary_json: Mapped[str] = mapped_column(Text, default="", server_default="")  # handover summary at close


class ShiftNote(Base):
    """The shift book (buku mutasi): handover notes and incidents, with time, author and category."""

    __tablename__ = "shift_note"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    shift_id: Mapped[str] = mapped_column(ForeignKey("shift.shift_id"), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    author: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(20))  # handover | incident | info
    text: Mapped[str] = mapped_column(Text)


class VisitEvent(Base):
    __tablename__ = "visit_event"
    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)  # gapless per station
    kind: Mapped[str] = mapped_column(String(20))  # check_in | check_out | denied | notice | ...
    visit_id: Mapped[str] = mapped_column(String(36), index=True)
    station_id: Mapped[str] = mapped_column(String(36))
    hlc: Mapped[str] = mapped_column(String(64))
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime)
    clock_offset_ms: Mapped[int] = mapped_column(Integer, default=0)
    guard: Mapped[str] = mapped_column(String(100), default="")
    body_json: Mapped[str] = mapped_column(Text)


class Visit(Base):
    """Materialised view of a visit (or of a denied scan), derived from its events."""

    __tablename__ = "visit"
    __table_args__ = (
        Index("ix_visit_time_in", "time_in"),
        Index("ix_visit_open", "subject_key", "status"),
        Index("ix_visit_status", "status"),
    )
    visit_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    subject_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    nik_masked: Mapped[str] = mapped_column(String(20), default="")
    person_kind: Mapped[str] = mapped_column(String(16), default="")
    credential_kind: Mapped[str] = mapped_column(String(16))
    purpose: Mapped[str] = mapped_column(String(200), default="")
    host: Mapped[str] = mapped_column(String(200), default="")
    colour: Mapped[str] = mapped_column(String(10))
    reason_code: Mapped[str] = mapped_column(String(40))
    reason_params_json: Mapped[str] = mapped_column(Text, default="{}")
    status: Mapped[str] = mapped_column(String(10))  # inside | left | denied | notice
    time_in: Mapped[datetime] = mapped_column(UtcDateTime)
    time_out: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    gate_in: Mapped[str] = mapped_column(String(100), default="")
    gate_out: Mapped[str] = mapped_column(String(100), default="")
    guard: Mapped[str] = mapped_column(String(100), default="")
    station_id: Mapped[str] = mapped_column(String(36))
    manual: Mapped[bool] = mapped_column(Boolean, default=False)
    auto_closed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())  # closed at closing time
    correction_hlc: Mapped[str | None] = mapped_column(String(64), nullable=True)  # HLC of the winning correction
    override_of: Mapped[str | None] = mapped_column(String(36), nullable=True)  # the denied visit admitted


class Outbox(Base):
    """Events waiting for the server's ack; written in the same transaction as the event."""

    __tablename__ = "outbox"
    # Acked rows stay, so the table only grows: the pending ones are found through this (migration 0005).
    __table_args__ = (Index("ix_outbox_pending", "seq", sqlite_where=text("acked_at IS NULL")),)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("visit_event.event_id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    acked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    reject_code: Mapped[str] = mapped_column(String(40), default="", server_default="")  # server refused it


class SyncState(Base):
    """Where this station stands with the central server (one row once enrolled; the token is in the keyring)."""

    __tablename__ = "sync_state"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    server_url: Mapped[str] = mapped_column(String(300))
    cursor: Mapped[int] = mapped_column(Integer, default=0)
    clock_offset_ms: Mapped[int] = mapped_column(Integer, default=0)  # station clock minus server clock
    last_push_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    last_pull_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    last_error: Mapped[str] = mapped_column(String(300), default="")
    enrolled_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class RemoteEvent(Base):
    """Another gate's visit event, as pulled from the server; merged into `visit` by set union."""

    __tablename__ = "remote_event"
    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    station_id: Mapped[str] = mapped_column(String(36))
    visit_id: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    hlc: Mapped[str] = mapped_column(String(64))
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime)  # the server's corrected time
    body_json: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)


class AuditLog(Base):
    """Append-only, hash-chained: each row's hash covers its content and the previous hash."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(50))
    detail_json: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
