"""Hybrid logical clock: event order survives wall clocks that jump backwards."""

from __future__ import annotations

import random

from guardstation.domain.hlc import HybridClock, Timestamp


def test_timestamps_follow_a_forward_wall_clock():
    clock = HybridClock("node-a")
    first = clock.now(1_000)
    second = clock.now(2_000)
    assert first == Timestamp(1_000, 0, "node-a")
    assert second == Timestamp(2_000, 0, "node-a")


def test_monotonic_when_the_wall_clock_goes_backwards():
    clock = HybridClock("gate1")
    stamps = [clock.now(ms) for ms in (5_000, 5_000, 4_000, 1_000, 5_000, 6_000, 2_000)]
    for earlier, later in zip(stamps, stamps[1:]):
        assert later > earlier
        assert later.encode() > earlier.encode()
    # The clock never invents a wall time: it holds the highest seen and counts.
    assert stamps[3] == Timestamp(5_000, 3, "gate1")
    assert stamps[-1] == Timestamp(6_000, 1, "gate1")


def test_random_wall_clock_never_breaks_order():
    rng = random.Random(20261123)
    clock = HybridClock("n")
    previous = clock.now(0)
    for _ in range(2_000):
        current = clock.now(rng.randint(0, 10_000))
        assert current > previous
        previous = current


def test_observe_merges_a_remote_clock_that_is_ahead():
    clock = HybridClock("station")
    clock.now(1_000)
    remote = Timestamp(9_000, 4, "server")
    merged = clock.observe(remote, physical_ms=1_500)
    assert merged > remote
    assert merged == Timestamp(9_000, 5, "station")
    # Local events after the merge come after the remote one, even with a slow wall clock.
    later = clock.now(1_600)
    assert later > remote and later > merged


def test_observe_with_a_remote_clock_behind_keeps_local_time():
    clock = HybridClock("station")
    clock.now(5_000)
    merged = clock.observe(Timestamp(1_000, 7, "server"), physical_ms=5_000)
    assert merged == Timestamp(5_000, 1, "station")
    assert clock.observe(Timestamp(1_000, 0, "server"), physical_ms=8_000) == Timestamp(8_000, 0, "station")


def test_observe_with_equal_walls_takes_the_higher_counter():
    clock = HybridClock("a")
    clock.now(3_000)
    clock.now(3_000)  # counter 1
    merged = clock.observe(Timestamp(3_000, 9, "b"), physical_ms=2_000)
    assert merged == Timestamp(3_000, 10, "a")


def test_clock_resumes_from_its_last_stamp():
    first = HybridClock("a")
    last = first.now(7_000)
    resumed = HybridClock("a", Timestamp.decode(last.encode()))
    assert resumed.now(6_000) > last


def test_encode_decode_round_trip_with_dashes_in_the_node():
    ts = Timestamp(1_732_345_678_901, 42, "0192a3b4-c5d6")
    assert Timestamp.decode(ts.encode()) == ts


def test_encoded_text_sorts_like_the_timestamps():
    rng = random.Random(7)
    stamps = [
        Timestamp(
            rng.choice([0, 1, 999, 10**12, rng.randint(0, 10**14)]),
            rng.randint(0, 99_999),
            rng.choice(["", "a", "ab", "b", "0192a3b4", "zz"]),
        )
        for _ in range(3_000)
    ]
    assert sorted(stamps) == sorted(stamps, key=Timestamp.encode)
