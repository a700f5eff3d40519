"""UUIDv7 ids: valid version 7 UUIDs that sort by creation time."""

from __future__ import annotations

import time
import uuid

from guardstation.domain import ids
from guardstation.domain.ids import new_id, uuid7


def test_uuid7_has_version_7_and_rfc_variant():
    value = uuid7()
    assert value.version == 7
    assert value.variant == uuid.RFC_4122
    parsed = uuid.UUID(new_id())
    assert parsed.version == 7
    assert len(new_id()) == 36


def test_uuid7_carries_the_current_unix_milliseconds():
    before = int(time.time() * 1000)
    value = uuid7()
    after = int(time.time() * 1000)
    # Never earlier than now; a later value is possible only if an id was borrowed from the next ms.
    assert before <= value.int >> 80 <= after + 1


def test_ten_thousand_ids_in_a_tight_loop_are_unique_and_time_ordered():
    made = [new_id() for _ in range(10_000)]
    assert len(set(made)) == len(made)
    assert made == sorted(made)  # as text (what the database sorts)
    as_uuids = [uuid.UUID(m) for m in made]
    assert as_uuids == sorted(as_uuids)


def test_ids_in_the_same_millisecond_still_sort_even_past_the_counter(monkeypatch):
    # Isolate the module's counter state; monkeypatch restores it afterwards.
    monkeypatch.setattr(ids, "_last_ms", 0)
    monkeypatch.setattr(ids, "_counter", 0)
    ms = 1_700_000_000_000
    made = [uuid7(ms) for _ in range(5_000)]  # more than the 4096 values of the 12-bit counter
    assert len(set(made)) == 5_000
    assert made == sorted(made)
    assert all(m.version == 7 for m in made)
    assert made[0].int >> 80 == ms


def test_a_clock_that_steps_back_does_not_reorder_ids(monkeypatch):
    monkeypatch.setattr(ids, "_last_ms", 0)
    monkeypatch.setattr(ids, "_counter", 0)
    first = uuid7(2_000_000_000_000)
    second = uuid7(1_999_999_999_000)  # wall clock corrected backwards by a second
    assert second > first
