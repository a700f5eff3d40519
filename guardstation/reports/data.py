"""What the reports read from the station database: streamed, read-only, no ORM objects.

Rows are streamed from one SQLite cursor (`yield_per`), so memory does not grow with the
number of visits. A report reads while the gate keeps scanning: SQLite's WAL lets the
single writer commit meanwhile, and new rows are simply counted in (see output.Ticker).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import func, or_, select

from guardstation.store.db import Database
from guardstation.store.models import AuditLog, Outbox, Shift, SiteConfig, Station, Visit
from guardstation.store.visits import INSIDE, LEFT

STREAM_BATCH = 2000
ADMITTED = (INSIDE, LEFT)


@dataclass(frozen=True)
class Period:
    """[start, end): aware datetimes."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("period times must be timezone-aware")

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600


class VisitRow(NamedTuple):
    visit_id: str
    time_in: datetime
    time_out: datetime | None
    display_name: str
    nik_masked: str
    person_kind: str
    credential_kind: str
    manual: bool
    colour: str
    reason_code: str
    reason_params_json: str
    status: str
    purpose: str
    host: str
    gate_in: str
    gate_out: str
    guard: str
    subject_key: str | None


_COLUMNS = (
    Visit.visit_id,
    Visit.time_in,
    Visit.time_out,
    Visit.display_name,
    Visit.nik_masked,
    Visit.person_kind,
    Visit.credential_kind,
    Visit.manual,
    Visit.colour,
    Visit.reason_code,
    Visit.reason_params_json,
    Visit.status,
    Visit.purpose,
    Visit.host,
    Visit.gate_in,
    Visit.gate_out,
    Visit.guard,
    Visit.subject_key,
)


def _in_period(period: Period):
    return (Visit.time_in >= period.start) & (Visit.time_in < period.end)


def count_visits(db: Database, period: Period) -> int:
    with db.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(Visit).where(_in_period(period))) or 0


def stream_visits(db: Database, period: Period, *, statuses: tuple[str, ...] | None = None) -> Iterator[VisitRow]:
    """Visits whose time in lies in the period, oldest first, streamed."""
    stmt = select(*_COLUMNS).where(_in_period(period))
    if statuses:
        stmt = stmt.where(Visit.status.in_(statuses))
    stmt = stmt.order_by(Visit.time_in, Visit.visit_id)
    with db.engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=STREAM_BATCH).execute(stmt)
        for row in result:
            yield VisitRow(*row)


def inside_at(db: Database, at: datetime) -> list[VisitRow]:
    """Admitted visits that began before `at` and had not ended by then (the occupancy carried in)."""
    stmt = (
        select(*_COLUMNS)
        .where(Visit.status.in_(ADMITTED), Visit.time_in < at, or_(Visit.time_out.is_(None), Visit.time_out > at))
        .order_by(Visit.time_in)
    )
    with db.engine.connect() as conn:
        return [VisitRow(*row) for row in conn.execute(stmt)]


def inside_now(db: Database) -> list[VisitRow]:
    stmt = select(*_COLUMNS).where(Visit.status == INSIDE).order_by(Visit.gate_in, Visit.time_in)
    with db.engine.connect() as conn:
        return [VisitRow(*row) for row in conn.execute(stmt)]


def visits_of_subject(db: Database, subject_key: str) -> list[VisitRow]:
    stmt = select(*_COLUMNS).where(Visit.subject_key == subject_key, Visit.status.in_(ADMITTED)).order_by(Visit.time_in)
    with db.engine.connect() as conn:
        return [VisitRow(*row) for row in conn.execute(stmt)]


MAX_STAY = timedelta(days=1)  # closed stays longer than this are not looked for (forgotten check-outs close daily)


def admitted_overlapping(db: Database, start: datetime, end: datetime) -> list[VisitRow]:
    """Admitted visits that may overlap [start, end]: begun before `end`, and either still open or begun
    at most MAX_STAY before `start` (the time index bounds the search)."""
    stmt = (
        select(*_COLUMNS)
        .where(
            Visit.status.in_(ADMITTED),
            Visit.time_in <= end,
            or_(Visit.time_in >= start - MAX_STAY, Visit.status == INSIDE),
        )
        .order_by(Visit.time_in)
    )
    with db.engine.connect() as conn:
        return [VisitRow(*row) for row in conn.execute(stmt)]


@dataclass(frozen=True)
class StationInfo:
    station_id: str
    site_id: str
    site_name: str
    gate_name: str
    capacity: int | None
    policy: dict[str, Any]


def station_info(db: Database) -> StationInfo:
    with db.read() as session:
        station = session.scalars(select(Station).limit(1)).first()
        site = session.scalars(select(SiteConfig).limit(1)).first()
        try:
            policy = json.loads(site.policy_json) if site and site.policy_json else {}
        except ValueError:
            policy = {}
        return StationInfo(
            station.station_id if station else "",
            station.site_id if station else "",
            site.name if site else "",
            station.gate_name if station else "",
            site.capacity if site else None,
            policy if isinstance(policy, dict) else {},
        )


def guards_in_period(db: Database, period: Period) -> list[str]:
    """Guards who recorded something in the period, plus those with a shift overlapping it."""
    with db.engine.connect() as conn:
        names = set(conn.scalars(select(Visit.guard).where(_in_period(period)).distinct()))
        names |= set(
            conn.scalars(
                select(Shift.guard_name).where(
                    Shift.opened_at < period.end, or_(Shift.closed_at.is_(None), Shift.closed_at > period.start)
                )
            )
        )
    return sorted(n for n in names if n)


def gates_in_period(db: Database, period: Period) -> list[str]:
    with db.engine.connect() as conn:
        return sorted(g for g in conn.scalars(select(Visit.gate_in).where(_in_period(period)).distinct()) if g)


@dataclass(frozen=True)
class ShiftRow:
    guard: str
    opened_at: datetime
    closed_at: datetime | None


def shifts_in_period(db: Database, period: Period) -> list[ShiftRow]:
    stmt = (
        select(Shift.guard_name, Shift.opened_at, Shift.closed_at)
        .where(Shift.opened_at < period.end, or_(Shift.closed_at.is_(None), Shift.closed_at > period.start))
        .order_by(Shift.opened_at)
    )
    with db.engine.connect() as conn:
        return [ShiftRow(*row) for row in conn.execute(stmt)]


def count_by_guard(db: Database, start: datetime, end: datetime, guard: str) -> int:
    stmt = (
        select(func.count()).select_from(Visit).where(Visit.time_in >= start, Visit.time_in < end, Visit.guard == guard)
    )
    with db.engine.connect() as conn:
        return conn.scalar(stmt) or 0


@dataclass(frozen=True)
class AuditEvent:
    at: datetime
    actor: str
    action: str
    detail: dict[str, Any]


def audit_events(db: Database, period: Period, actions: tuple[str, ...]) -> list[AuditEvent]:
    stmt = (
        select(AuditLog.at, AuditLog.actor, AuditLog.action, AuditLog.detail_json)
        .where(AuditLog.action.in_(actions), AuditLog.at >= period.start, AuditLog.at < period.end)
        .order_by(AuditLog.id)
    )
    events = []
    with db.engine.connect() as conn:
        for at, actor, action, detail_json in conn.execute(stmt):
            try:
                detail = json.loads(detail_json)
            except ValueError:
                detail = {}
            events.append(AuditEvent(at, actor, action, detail if isinstance(detail, dict) else {}))
    return events


def unsent_events(db: Database) -> tuple[int, datetime | None]:
    """Events still waiting for the central server's ack: (count, oldest)."""
    stmt = select(func.count(), func.min(Outbox.created_at)).where(Outbox.acked_at.is_(None))
    with db.engine.connect() as conn:
        count, oldest = conn.execute(stmt).one()
    if oldest is not None and not isinstance(oldest, datetime):  # func.min bypasses the column type
        oldest = datetime.fromisoformat(oldest)
    return count or 0, oldest


def count_checkouts(db: Database, period: Period) -> int:
    stmt = select(func.count()).select_from(Visit).where(Visit.time_out >= period.start, Visit.time_out < period.end)
    with db.engine.connect() as conn:
        return conn.scalar(stmt) or 0


def count_inside(db: Database) -> int:
    with db.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(Visit).where(Visit.status == INSIDE)) or 0
