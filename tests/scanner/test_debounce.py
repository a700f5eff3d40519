"""Debouncer: a code held up for a while is one scan; it scans again only after leaving view."""

from __future__ import annotations

from guardstation.scanner import Debouncer
from tests.helpers.clock import FakeClock

FRAME = 1 / 30


def test_same_code_in_consecutive_frames_is_one_scan():
    clock = FakeClock()
    debouncer = Debouncer(cooldown_s=3.0, clock=clock.monotonic)
    accepted = []
    for _ in range(30 * 60):  # held in front of the camera for a minute
        accepted.append(debouncer.accept("GUEST-1"))
        clock.advance(FRAME)
    assert accepted.count(True) == 1
    assert accepted[0] is True


def test_same_code_after_cooldown_is_a_second_scan():
    clock = FakeClock()
    debouncer = Debouncer(cooldown_s=3.0, clock=clock.monotonic)
    assert debouncer.accept("GUEST-1")
    clock.advance(2.9)
    assert not debouncer.accept("GUEST-1")  # refreshes last-seen
    clock.advance(2.9)
    assert not debouncer.accept("GUEST-1")  # still within 3 s of the last sighting
    clock.advance(3.0)
    assert debouncer.accept("GUEST-1")


def test_two_codes_interleaved_are_two_scans():
    clock = FakeClock()
    debouncer = Debouncer(cooldown_s=3.0, clock=clock.monotonic)
    results = []
    for _ in range(50):
        results.append(("A", debouncer.accept("A")))
        results.append(("B", debouncer.accept("B")))
        clock.advance(FRAME)
    assert [code for code, accepted in results if accepted] == ["A", "B"]


def test_reset_forgets_everything():
    clock = FakeClock()
    debouncer = Debouncer(cooldown_s=3.0, clock=clock.monotonic)
    assert debouncer.accept("A")
    debouncer.reset()
    assert debouncer.accept("A")


def test_memory_is_bounded_by_one_cooldown():
    clock = FakeClock()
    debouncer = Debouncer(cooldown_s=3.0, clock=clock.monotonic)
    for i in range(10_000):
        assert debouncer.accept(f"CODE-{i}")
        clock.advance(1.0)
    assert len(debouncer._last_seen) <= 4
