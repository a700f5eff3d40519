"""The shift book: guards with PINs, shifts, notes and incidents, the handover summary, scans per guard."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from guardstation.station.checkpoint import ManualEntry
from guardstation.station.context import open_station
from guardstation.station.pin import MAX_FAILURES, PinProblem
from guardstation.station.shift_book import HandoverSummary, ShiftBook, ShiftBookError, current_shift, scan_counts
from guardstation.store.audit import verify_chain
from guardstation.store.models import AuditLog, Guard, Shift, VisitEvent

PEOPLE = [
    ("3513010101800001", "Hadi Prasetyo"),
    ("3513014202850002", "Lina Marlina"),
    ("3513010303900003", "Joko Susilo"),
    ("3513014404920004", "Ratna Dewi"),
]


@pytest.fixture
def book(station):
    return ShiftBook(station.db, station.home, station.checkpoint)


@pytest.fixture
def budi(book):
    return book.add_guard("Budi  Santoso", "2580", "2580", supervisor="Pak Anton")


def enter(station, i):
    nik, name = PEOPLE[i]
    return station.checkpoint.manual_entry(ManualEntry(nik, name, "Rapat", "Sekda"))


def audit_rows(station, action):
    with station.db.read() as session:
        return list(session.scalars(select(AuditLog).where(AuditLog.action == action)))


def test_guard_pin_is_stored_as_argon2id_hash_only(station, budi):
    with station.db.read() as session:
        guard = session.get(Guard, budi.guard_id)
    assert guard.name == "Budi Santoso"
    assert guard.pin_hash.startswith("$argon2id$") and "2580" not in guard.pin_hash
    assert audit_rows(station, "guard_added")[0].actor == "Pak Anton"


def test_new_guard_refused_for_weak_pin_mismatch_or_same_name(book, budi):
    with pytest.raises(ShiftBookError) as weak:
        book.add_guard("Sari", "1234", "1234", supervisor="Pak Anton")
    assert weak.value.code == "pin" and weak.value.params["problem"] is PinProblem.TOO_SIMPLE
    with pytest.raises(ShiftBookError) as mismatch:
        book.add_guard("Sari", "2580", "2581", supervisor="Pak Anton")
    assert mismatch.value.params["problem"] is PinProblem.MISMATCH
    with pytest.raises(ShiftBookError) as same:
        book.add_guard("budi santoso", "3690", "3690", supervisor="Pak Anton")
    assert same.value.code == "guard_exists"


def test_open_shift_needs_the_guards_pin_and_then_every_record_names_the_guard(station, book, budi, clock):
    with pytest.raises(ShiftBookError) as wrong:
        book.open_shift("Budi Santoso", "0000")
    assert wrong.value.code == "wrong" and wrong.value.params["check"].tries_left == MAX_FAILURES - 1
    assert station.checkpoint.guard == ""

    shift = book.open_shift("budi santoso", "2580")  # the name as typed at the desk
    assert shift.guard_name == "Budi Santoso" and station.checkpoint.guard == "Budi Santoso"
    outcome = enter(station, 0)
    with station.db.read() as session:
        event = session.scalars(select(VisitEvent).where(VisitEvent.visit_id == outcome.visit_id)).one()
        assert event.guard == "Budi Santoso"
    assert audit_rows(station, "shift_opened")[0].actor == "Budi Santoso"


def test_unknown_guard_and_second_open_shift_are_refused(book, budi):
    with pytest.raises(ShiftBookError) as unknown:
        book.open_shift("Sari", "2580")
    assert unknown.value.code == "unknown_guard"
    book.open_shift("Budi Santoso", "2580")
    with pytest.raises(ShiftBookError) as again:
        book.open_shift("Budi Santoso", "2580")
    assert again.value.code == "shift_open" and again.value.params["guard"] == "Budi Santoso"


def test_guard_pin_locks_after_repeated_failures_even_against_the_right_pin(book, budi, clock):
    for _ in range(MAX_FAILURES):
        with pytest.raises(ShiftBookError):
            book.open_shift("Budi Santoso", "9999")
    with pytest.raises(ShiftBookError) as locked:
        book.open_shift("Budi Santoso", "2580")
    assert locked.value.code == "locked"
    clock.advance(minutes=6)
    assert book.open_shift("Budi Santoso", "2580").guard_name == "Budi Santoso"


def test_notes_need_an_open_shift_and_text(book, budi):
    with pytest.raises(ShiftBookError) as no_shift:
        book.add_note("incident", "Pintu samping macet")
    assert no_shift.value.code == "no_shift"
    book.open_shift("Budi Santoso", "2580")
    with pytest.raises(ShiftBookError) as empty:
        book.add_note("incident", "   ")
    assert empty.value.code == "note_empty"
    note = book.add_note("incident", "Pintu samping macet")
    assert note.author == "Budi Santoso" and note.category == "incident"


def test_close_shift_gives_the_handover_summary_and_keeps_it(station, book, budi, clock):
    book.open_shift("Budi Santoso", "2580")
    first = enter(station, 0)
    enter(station, 1)
    enter(station, 2)
    denied = enter(station, 3)  # capacity 3: PENUH
    clock.advance(minutes=30)
    station.checkpoint.check_out(first.visit_id)
    book.add_note("incident", "Tamu memaksa masuk saat penuh")
    book.add_note("handover", "Kunci gudang dititipkan ke Pak RT", author="Budi Santoso")
    book.add_note("info", "Hujan deras")
    clock.advance(hours=7)

    summary = book.close_shift()
    assert [row.name for row in summary.inside] == ["Lina Marlina", "Joko Susilo"]
    assert [n.text for n in summary.incidents] == ["Tamu memaksa masuk saat penuh"]
    assert [n.text for n in summary.handover_notes] == ["Kunci gudang dititipkan ke Pak RT"]
    assert summary.by_colour[denied.decision.colour.value] == 1
    assert sum(summary.by_colour.values()) == 4
    assert summary.check_outs == 1 and summary.auto_check_outs == 0
    assert station.checkpoint.guard == ""

    with station.db.read() as session:
        assert current_shift(session) is None
        shift = session.scalars(select(Shift)).one()
        assert shift.closed_at == clock()
        kept = HandoverSummary.from_json(shift.summary_json)
    assert kept.inside == summary.inside and kept.incidents == summary.incidents
    detail = json.loads(audit_rows(station, "shift_closed")[0].detail_json)
    assert detail["inside"] == 2 and detail["incidents"] == 1
    with station.db.read() as session:
        assert verify_chain(session).ok


def test_scans_are_counted_per_guard(station, book, budi, clock):
    book.add_guard("Sari Wulandari", "3690", "3690", supervisor="Pak Anton")
    start = clock()
    book.open_shift("Budi Santoso", "2580")
    a = enter(station, 0)
    enter(station, 1)
    station.checkpoint.check_out(a.visit_id)
    book.close_shift()
    clock.advance(minutes=1)
    book.open_shift("Sari Wulandari", "3690")
    enter(station, 2)
    with station.db.read() as session:
        counts = scan_counts(session, start)
    assert counts == {"Budi Santoso": 3, "Sari Wulandari": 1}


def test_an_open_shift_survives_a_restart(home, clock, book, budi, station):
    book.open_shift("Budi Santoso", "2580")
    station.close()
    again = open_station(home, clock=clock)
    try:
        assert again.checkpoint.guard == ""
        shift = ShiftBook(again.db, again.home, again.checkpoint).resume()
        assert shift is not None and again.checkpoint.guard == "Budi Santoso"
    finally:
        again.close()
