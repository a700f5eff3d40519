"""The supervisor PIN: Argon2id hash (never the PIN), verification, lock-out after 5 failures for 5 minutes."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from argon2 import PasswordHasher

from guardstation.station.pin import (
    LOCKOUT_FILE,
    MAX_FAILURES,
    PinProblem,
    PinResult,
    SupervisorPin,
    check_new_pin,
    hash_pin,
)

FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # same algorithm, quicker tests


@pytest.fixture
def pin(tmp_path, clock):
    return SupervisorPin.for_home(tmp_path, hash_pin("2468", FAST), clock=clock, hasher=FAST)


def test_the_hash_is_argon2id_and_never_the_pin():
    stored = hash_pin("739155")
    assert stored.startswith("$argon2id$") and "739155" not in stored
    assert hash_pin("739155") != stored  # salted


@pytest.mark.parametrize(
    "new, confirm, problem",
    [
        ("", None, PinProblem.EMPTY),
        ("12a4", None, PinProblem.NOT_DIGITS),
        ("١٢٣٤٥", None, PinProblem.NOT_DIGITS),
        ("123", None, PinProblem.TOO_SHORT),
        ("1" * 13, None, PinProblem.TOO_LONG),
        ("0000", None, PinProblem.TOO_SIMPLE),
        ("1234", None, PinProblem.TOO_SIMPLE),
        ("98765", None, PinProblem.TOO_SIMPLE),
        ("2468", "2469", PinProblem.MISMATCH),
        ("2468", "2468", None),
        ("739155", None, None),
    ],
)
def test_new_pin_rules(new, confirm, problem):
    assert check_new_pin(new, confirm) is problem


def test_unacceptable_pin_is_never_hashed():
    with pytest.raises(ValueError):
        hash_pin("1111")


def test_right_pin_opens_wrong_pin_does_not(pin):
    assert pin.verify("2468").ok
    check = pin.verify("2469")
    assert check.result is PinResult.WRONG and check.tries_left == MAX_FAILURES - 1
    assert pin.verify("").result is PinResult.WRONG


def test_five_failures_lock_for_five_minutes_even_against_the_right_pin(pin, clock):
    for i in range(MAX_FAILURES - 1):
        assert pin.verify("0000").tries_left == MAX_FAILURES - 1 - i
    locked = pin.verify("0000")
    assert locked.result is PinResult.LOCKED and locked.seconds_locked(clock.current) == 300
    assert pin.verify("2468").result is PinResult.LOCKED
    clock.current += timedelta(minutes=4, seconds=59)
    assert pin.verify("2468").result is PinResult.LOCKED
    clock.current += timedelta(seconds=2)
    assert pin.verify("2468").ok
    assert pin.status().tries_left == MAX_FAILURES  # counter reset after the lock-out


def test_right_pin_resets_the_failure_count(pin):
    for _ in range(3):
        pin.verify("1357")
    assert pin.verify("2468").ok
    assert pin.status().tries_left == MAX_FAILURES


def test_lockout_survives_a_restart(tmp_path, pin, clock):
    for _ in range(MAX_FAILURES):
        pin.verify("0000")
    restarted = SupervisorPin.for_home(tmp_path, pin.pin_hash, clock=clock, hasher=FAST)
    assert restarted.verify("2468").result is PinResult.LOCKED


def test_clock_set_back_does_not_stretch_the_lockout(pin, clock):
    for _ in range(MAX_FAILURES):
        pin.verify("0000")
    clock.current -= timedelta(days=365)  # someone turns the clock back a year
    assert pin.status().seconds_locked(clock.current) <= 300


def test_damaged_counter_file_locks_rather_than_unlocks(tmp_path, pin):
    (tmp_path / LOCKOUT_FILE).write_text("{not json", "utf-8")
    assert pin.verify("2468").result is PinResult.LOCKED


def test_counter_file_holds_no_pin(tmp_path, pin):
    pin.verify("9753")
    text = (tmp_path / LOCKOUT_FILE).read_text("utf-8")
    assert "9753" not in text and json.loads(text)["failures"] == 1


def test_no_pin_set(tmp_path):
    empty = SupervisorPin.for_home(tmp_path, "")
    assert empty.verify("2468").result is PinResult.NOT_SET and not empty.is_set


def test_damaged_hash_rejects(tmp_path, clock):
    broken = SupervisorPin.for_home(tmp_path, "$argon2id$garbage", clock=clock, hasher=FAST)
    assert not broken.verify("2468").ok
