"""A damaged PIN lock-out file fails safe: locked for 5 minutes from when the damage was found, then a
fresh valid file takes over; the damage is written to the audit log. Never unlocked, never locked for ever."""

from __future__ import annotations

import json

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from guardstation.station import pin as pin_module
from guardstation.station.pin import (
    LOCKOUT_FILE,
    MAX_FAILURES,
    PinResult,
    SupervisorPin,
    audit_lockout_damage,
    hash_pin,
)
from guardstation.station.shift_book import GUARD_LOCKOUT_DIR, ShiftBook, ShiftBookError
from guardstation.store.audit import verify_chain
from guardstation.store.models import AuditLog

FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
ACTION = "pin_lockout_file_damaged"

DAMAGED = {
    "garbage bytes": b"\x00\xff\xfe\x9c garbage \x81",
    "empty": b"",
    "json list": b"[]",
    "json number": b"42",
    "json string": b'"locked"',
    "json null": b"null",
    "failures not a number": b'{"failures": "many", "locked_until": null}',
    "failures negative": b'{"failures": -100, "locked_until": null}',
    "locked_until not a time": b'{"failures": 5, "locked_until": 12}',
    "locked_until without zone": b'{"failures": 5, "locked_until": "2026-11-23T08:00:00"}',
}


def damage_rows(station) -> list[AuditLog]:
    with station.db.read() as session:
        return list(session.scalars(select(AuditLog).where(AuditLog.action == ACTION)))


def supervisor_pin(station, clock) -> SupervisorPin:
    return SupervisorPin.for_home(
        station.home,
        hash_pin("2468", FAST),
        clock=clock,
        hasher=FAST,
        on_damaged=lambda damage: audit_lockout_damage(station.db, damage),
    )


@pytest.mark.parametrize("content", DAMAGED.values(), ids=DAMAGED.keys())
def test_damaged_supervisor_lockout_locks_five_minutes_then_resets(station, clock, content):
    path = station.home / LOCKOUT_FILE
    path.write_bytes(content)
    pin = supervisor_pin(station, clock)
    found = clock.current

    locked = pin.verify("2468")
    assert locked.result is PinResult.LOCKED and locked.seconds_locked(clock.current) == 300
    state = json.loads(path.read_text("utf-8"))  # a fresh, valid file
    assert state["failures"] == MAX_FAILURES
    assert state["locked_until"] == (found + pin_module.LOCKOUT).isoformat()

    clock.advance(minutes=4)
    assert pin.status().result is PinResult.LOCKED
    restarted = supervisor_pin(station, clock)  # the lock-out survives a restart, and is not stretched
    assert restarted.verify("2468").result is PinResult.LOCKED
    assert restarted.status().seconds_locked(clock.current) == 60

    clock.advance(minutes=1, seconds=1)
    assert pin.verify("2468").ok
    assert pin.status().tries_left == MAX_FAILURES

    rows = damage_rows(station)
    assert len(rows) == 1  # found once, audited once
    detail = json.loads(rows[0].detail_json)
    assert detail["file"] == LOCKOUT_FILE and detail["locked_until"] == state["locked_until"]
    assert rows[0].at == found
    with station.db.read() as session:
        assert verify_chain(session).ok


def test_the_dialog_polling_status_does_not_keep_it_locked(station, clock):
    """The PIN dialog asks status() every second: that must not push the end of the lock-out back."""
    (station.home / LOCKOUT_FILE).write_bytes(b"{broken")
    pin = supervisor_pin(station, clock)
    for _ in range(300):
        assert pin.status().result is PinResult.LOCKED
        clock.advance(seconds=1)
    assert pin.status().result is PinResult.OK
    assert pin.verify("2468").ok
    assert len(damage_rows(station)) == 1


def test_a_lockout_file_that_cannot_be_replaced_still_unlocks_after_five_minutes(station, clock, monkeypatch):
    (station.home / LOCKOUT_FILE).write_bytes(b"\xff\xfe")
    pin = supervisor_pin(station, clock)

    def read_only(self, failures, locked_until):
        raise PermissionError(13, "read-only")

    monkeypatch.setattr(SupervisorPin, "_save", read_only)
    assert pin.verify("2468").result is PinResult.LOCKED
    clock.advance(minutes=4)
    assert supervisor_pin(station, clock).verify("2468").result is PinResult.LOCKED
    clock.advance(minutes=1, seconds=1)
    assert supervisor_pin(station, clock).verify("2468").ok
    assert len(damage_rows(station)) == 1


def test_damaged_guard_lockout_locks_the_guard_for_five_minutes_and_is_audited(station, clock):
    book = ShiftBook(station.db, station.home, station.checkpoint)
    budi = book.add_guard("Budi Santoso", "2580", "2580", supervisor="Pak Anton")
    path = station.home / GUARD_LOCKOUT_DIR / f"{budi.guard_id}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x00\x01 not json")

    with pytest.raises(ShiftBookError) as refused:
        book.open_shift("Budi Santoso", "2580")
    assert refused.value.code == "locked"
    clock.advance(minutes=4)
    with pytest.raises(ShiftBookError) as still:
        book.open_shift("Budi Santoso", "2580")
    assert still.value.code == "locked"
    clock.advance(minutes=1, seconds=1)
    assert book.open_shift("Budi Santoso", "2580").guard_name == "Budi Santoso"

    rows = damage_rows(station)
    assert len(rows) == 1 and rows[0].actor == "Budi Santoso"
    assert json.loads(rows[0].detail_json)["file"] == f"{budi.guard_id}.json"
    assert json.loads(path.read_text("utf-8"))["failures"] == MAX_FAILURES
