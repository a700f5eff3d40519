"""Appending visit events: gapless seq, HLC stamp and the outbox row, in the caller's transaction."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from guardstation.domain.hlc import HybridClock, Timestamp
from guardstation.domain.ids import new_id
from guardstation.store.models import Outbox, Station, SyncState, VisitEvent

SCHEMA_VERSION = 1


def load_station(session: Session) -> Station:
    station = session.scalars(select(Station).limit(1)).first()
    if station is None:
        raise LookupError("this database has no station identity yet (run the first-run setup)")
    return station


def ensure_station(session: Session, *, site_id: str, gate_name: str, now: datetime) -> Station:
    station = session.scalars(select(Station).limit(1)).first()
    if station is None:
        station = Station(
            station_id=new_id(), site_id=site_id, gate_name=gate_name, epoch=1, next_seq=1, hlc_last="", created_at=now
        )
        session.add(station)
        session.flush()
    return station


def append_event(
    session: Session,
    station: Station,
    *,
    kind: str,
    visit_id: str,
    occurred_at: datetime,
    body: dict[str, Any],
    guard: str = "",
    clock_offset_ms: int | None = None,
) -> VisitEvent:
    """The station row is the single counter: the seq is gapless because it commits with the event.

    The clock offset defaults to the last one sync estimated, so the server can correct this time."""
    if clock_offset_ms is None:
        state = session.get(SyncState, 1)
        clock_offset_ms = state.clock_offset_ms if state is not None else 0
    clock = HybridClock(station.station_id[:8], Timestamp.decode(station.hlc_last) if station.hlc_last else None)
    stamp = clock.now(int(occurred_at.timestamp() * 1000))
    event = VisitEvent(
        event_id=new_id(),
        seq=station.next_seq,
        kind=kind,
        visit_id=visit_id,
        station_id=station.station_id,
        hlc=stamp.encode(),
        occurred_at=occurred_at,
        clock_offset_ms=clock_offset_ms,
        guard=guard,
        body_json=json.dumps({"schema_v": SCHEMA_VERSION, **body}, ensure_ascii=False, sort_keys=True, default=str),
    )
    station.next_seq += 1
    station.hlc_last = stamp.encode()
    session.add(event)
    session.flush()
    session.add(Outbox(seq=event.seq, event_id=event.event_id, created_at=occurred_at))
    return event
