"""apply_page on other gates' visit events: known ones found in one query, no savepoint per change, yet a bad
change is skipped whole, a repeated one stored once, and a check-out at another gate closes the visit."""

from __future__ import annotations

from sqlalchemy import func, select

from guardstation.store.models import RemoteEvent, Visit
from guardstation.sync.apply import apply_page
from guardstation.sync.wire import Change

OTHER = "01a20000-0000-7000-8000-00000000b0b0"


def change(seq: int, event_id: str, kind: str, visit_id: str, at: str, **drop) -> Change:
    data = {
        "event_id": event_id,
        "seq": seq,
        "kind": kind,
        "schema_v": 1,
        "hlc": f"00179543918{seq:04d}-00000-01a20000",
        "occurred_at": at,
        "clock_offset_ms": 0,
        "station_id": OTHER,
        "corrected_at": at,
        "time_uncertain": False,
        "body": {"visit_id": visit_id, "subject_key": "ab" * 16, "gate": "Pintu B", "display_name": "Siti"},
    }
    for key in drop:
        data.pop(key)
    return Change(seq, "visit_event", "append", data)


def test_other_gates_events_apply_once_and_a_bad_one_is_skipped_whole(station, clock):
    visit = "01a20000-0000-7000-8000-0000000000v1"
    check_in = change(1, "01a20000-0000-7000-8000-0000000000e1", "check_in", visit, "2026-11-23T01:00:00+00:00")
    bad = change(2, "01a20000-0000-7000-8000-0000000000e2", "check_out", visit, "2026-11-23T01:30:00+00:00", hlc=True)
    check_out = change(3, "01a20000-0000-7000-8000-0000000000e3", "check_out", visit, "2026-11-23T02:00:00+00:00")
    own = station.checkpoint.station_id
    with station.db.transaction() as session:
        first = apply_page(
            session, [check_in, check_in, bad], own_station_id=own, own_site_id="standalone", now=clock()
        )
    assert first.counts == {"visit_event": 2} and len(first.skipped) == 1 and "hlc" in first.skipped[0]
    with station.db.read() as session:
        assert session.scalar(select(func.count()).select_from(RemoteEvent)) == 1  # the bad one left nothing
        assert session.get(Visit, visit).status == "inside"
    with station.db.transaction() as session:  # sent again, plus the exit
        apply_page(session, [check_in, check_out], own_station_id=own, own_site_id="standalone", now=clock())
    with station.db.read() as session:
        assert session.scalar(select(func.count()).select_from(RemoteEvent)) == 2
        row = session.get(Visit, visit)
        assert row.status == "left" and row.gate_out == "Pintu B"
    assert station.checkpoint.occupancy().inside == 0
