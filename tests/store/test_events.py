"""Visit events: gapless seq, an outbox row in the same transaction, HLC order, no edits."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError as SADatabaseError

from guardstation.domain.hlc import Timestamp
from guardstation.store.db import open_database
from guardstation.store.events import append_event, ensure_station, load_station
from guardstation.store.models import Outbox, VisitEvent

WIB = timezone(timedelta(hours=7))
T0 = datetime(2026, 11, 23, 8, 0, tzinfo=WIB)


@pytest.fixture
def db(tmp_path):
    database = open_database(tmp_path / "station.sqlite")
    with database.transaction() as session:
        ensure_station(session, site_id="kab-probolinggo", gate_name="Pintu Depan", now=T0)
    yield database
    database.close()


def _append(db, occurred_at: datetime, visit_id: str = "v-1", kind: str = "check_in") -> VisitEvent:
    with db.transaction() as session:
        station = load_station(session)
        return append_event(
            session,
            station,
            kind=kind,
            visit_id=visit_id,
            occurred_at=occurred_at,
            body={"display_name": "Budi Santoso"},
            guard="Pak Joko",
        )


def _events(db) -> list[VisitEvent]:
    with db.read() as session:
        return list(session.scalars(select(VisitEvent).order_by(VisitEvent.seq)))


def test_load_station_without_identity_says_so(tmp_path):
    empty = open_database(tmp_path / "empty.sqlite")
    try:
        with empty.read() as session, pytest.raises(LookupError, match="station identity"):
            load_station(session)
    finally:
        empty.close()


def test_ensure_station_is_idempotent(db):
    with db.transaction() as session:
        again = ensure_station(session, site_id="other", gate_name="Pintu Belakang", now=T0)
        assert again.gate_name == "Pintu Depan"
    with db.read() as session:
        assert session.scalar(text("SELECT count(*) FROM station")) == 1


def test_seq_is_gapless_and_each_event_has_one_outbox_row(db):
    for i in range(12):
        _append(db, T0 + timedelta(minutes=i), visit_id=f"v-{i}")
    events = _events(db)
    assert [e.seq for e in events] == list(range(1, 13))
    with db.read() as session:
        outbox = list(session.scalars(select(Outbox).order_by(Outbox.seq)))
    assert [(o.seq, o.event_id) for o in outbox] == [(e.seq, e.event_id) for e in events]
    assert all(o.acked_at is None for o in outbox)
    assert len({e.event_id for e in events}) == 12


def test_event_body_and_fields_are_stored(db):
    _append(db, T0, visit_id="v-42", kind="check_out")
    (event,) = _events(db)
    assert event.kind == "check_out"
    assert event.visit_id == "v-42"
    assert event.guard == "Pak Joko"
    assert event.occurred_at == T0
    body = json.loads(event.body_json)
    assert body["display_name"] == "Budi Santoso"
    assert body["schema_v"] == 1
    with db.read() as session:
        assert event.station_id == load_station(session).station_id


def test_rolled_back_event_leaves_neither_event_nor_outbox_nor_a_seq_gap(db):
    _append(db, T0)
    with pytest.raises(RuntimeError):
        with db.transaction() as session:
            station = load_station(session)
            append_event(session, station, kind="check_in", visit_id="v-lost", occurred_at=T0, body={})
            session.flush()
            raise RuntimeError("disk pulled out mid-scan")
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(VisitEvent)) == 1
        assert session.scalar(select(func.count()).select_from(Outbox)) == 1
    _append(db, T0 + timedelta(minutes=1), visit_id="v-2")
    assert [e.seq for e in _events(db)] == [1, 2]


def test_hlc_strictly_increases_even_when_the_clock_goes_backwards(db):
    times = [
        T0,
        T0 + timedelta(minutes=5),
        T0 - timedelta(hours=2),
        T0 - timedelta(hours=2),
        T0 + timedelta(minutes=1),
        T0 + timedelta(days=1),
    ]
    for i, at in enumerate(times):
        _append(db, at, visit_id=f"v-{i}")
    events = _events(db)
    stamps = [e.hlc for e in events]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
    decoded = [Timestamp.decode(s) for s in stamps]
    assert all(b > a for a, b in zip(decoded, decoded[1:]))
    # Local time is kept as it was, even when it went backwards.
    assert [e.occurred_at for e in events] == times
    with db.read() as session:
        assert load_station(session).hlc_last == stamps[-1]


def test_visit_event_rows_cannot_be_updated(db):
    _append(db, T0)
    with pytest.raises(SADatabaseError, match="append-only"):
        with db.engine.begin() as conn:
            conn.exec_driver_sql("UPDATE visit_event SET kind = 'void'")
    (event,) = _events(db)
    assert event.kind == "check_in"


def test_event_with_pending_outbox_row_cannot_be_deleted(db):
    _append(db, T0)
    with pytest.raises(SADatabaseError):
        with db.engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM visit_event")
    assert len(_events(db)) == 1
