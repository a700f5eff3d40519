"""The push body's two decoders (schemas.decode_push): msgspec's fast path may only take a body that PushRequest
(pydantic, the documented schema) also takes, with the same values; whatever it leaves goes to PushRequest."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from guardstation.server.schemas import FastPush, PushRequest, decode_push, decode_push_fast

GOOD_EVENT = {
    "event_id": "01A20978-D0D2-7002-82C3-7285956D4F55",
    "seq": 7,
    "kind": "check_in",
    "schema_v": 1,
    "hlc": "001795393801000-00000-6526b649",
    "occurred_at": "2026-11-23T07:30:01.250+07:00",
    "clock_offset_ms": -1500,
    "body": {"visit_id": "v1", "gate": "Pintu Depan", "n": [1, 2.5, None]},
}

# Values each field may take instead of a good one: near misses of every bound and format either decoder knows.
ODD_VALUES = [
    None,
    True,
    False,
    0,
    1,
    -1,
    2**53,
    2**53 + 1,
    2**31 - 1,
    2**31,
    1000,
    1001,
    4_000_000_000_000,
    4_000_000_000_001,
    -4_000_000_000_001,
    1.0,
    7.5,
    "7",
    "",
    "x",
    "check_out",
    "a" * 32,
    "a" * 33,
    "a" * 64,
    "a" * 65,
    "\u0000",
    "ch\u0000eck",
    "\ud800",
    "é",
    [],
    {},
    {"a": 1},
    [1, "2"],
    "01a20978-d0d2-7002-82c3-7285956d4f55",
    "01a20978-d0d2-7002-82c3-7285956d4f55\n",
    "01a20978d0d2700282c37285956d4f55",
    "2026-11-23T07:30:01+07:00",
    "2026-11-23T07:30:01Z",
    "2026-11-23t07:30:01z",
    "2026-11-23 07:30:01+07:00",
    "2026-11-23T07:30:01",
    "2026-11-23T07:30Z",
    "2026-11-23T07:30:01.1234567Z",
    "2026-11-23T07:30:01.999999+00:00",
    "2026-11-23T07:30:01,5Z",
    "2026-11-23T07:30:01+0700",
    "2026-11-23T07:30:01+07",
    "2026-11-23T07:30:01-00:00",
    "2026-11-23T24:00:00Z",
    "2026-02-29T07:30:01Z",
    "1999-12-31T23:59:59+00:00",
    "2000-01-01T00:00:00+14:00",
    "2200-12-31T23:59:59-12:00",
    "2201-01-01T00:00:00Z",
    "0001-01-01T00:00:00Z",
    1795393801,
    1795393801.5,
    "1795393801",
]
FIELDS = list(GOOD_EVENT)


def _mostly(good, odd):
    """The good value four times in five: a body with one odd field must often be otherwise valid."""
    return st.one_of(st.just(good), st.just(good), st.just(good), st.just(good), st.sampled_from(odd))


@st.composite
def push_documents(draw) -> bytes:
    events = []
    for _ in range(draw(st.integers(1, 3))):
        event = dict(GOOD_EVENT)
        for name in draw(st.lists(st.sampled_from(FIELDS), min_size=1, max_size=2, unique=True)):
            if draw(st.integers(0, 9)) == 0:
                del event[name]
            else:
                event[name] = draw(st.sampled_from(ODD_VALUES))
        if draw(st.integers(0, 19)) == 0:
            event["extra"] = 1
        events.append(event)
    doc = {
        "station_id": draw(_mostly("s1", ["a" * 36, "a" * 37, 5])),
        "epoch": draw(_mostly(1, [0, 2**31 - 1, 2**31, "1", 1.0])),
        "events": events,
    }
    return json.dumps(doc, ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")


def _one_odd(field: str, value) -> bytes:
    return json.dumps({"station_id": "s1", "epoch": 1, "events": [{**GOOD_EVENT, field: value}]}).encode()


def _pydantic(body: bytes) -> PushRequest | None:
    try:
        return PushRequest.model_validate_json(body)
    except ValueError:
        return None


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(push_documents())
@example(json.dumps({"station_id": "s1", "epoch": 1, "events": [GOOD_EVENT]}).encode())
@example(_one_odd("occurred_at", "1999-12-31T23:59:59+00:00"))  # each bound that is checked by hand
@example(_one_odd("occurred_at", "2201-01-01T00:00:00Z"))
@example(_one_odd("occurred_at", "2026-11-23T07:30:01.1234567Z"))
@example(_one_odd("kind", "ch\u0000eck"))
@example(_one_odd("event_id", "01a20978-d0d2-7002-82c3-7285956d4f55\n"))
def test_the_fast_path_takes_only_what_pydantic_takes_with_the_same_values(body: bytes) -> None:
    fast = decode_push_fast(body)
    slow = _pydantic(body)
    if fast is None:
        return
    assert slow is not None, f"msgspec took a body pydantic refuses: {body!r}"
    assert (fast.station_id, fast.epoch, len(fast.events)) == (slow.station_id, slow.epoch, len(slow.events))
    for a, b in zip(fast.events, slow.events):
        assert (a.event_id, a.seq, a.kind, a.schema_v, a.hlc, a.clock_offset_ms, a.body) == (
            b.event_id,
            b.seq,
            b.kind,
            b.schema_v,
            b.hlc,
            b.clock_offset_ms,
            b.body,
        )
        assert a.occurred_at == b.occurred_at and a.occurred_at.utcoffset() == b.occurred_at.utcoffset()


def test_a_station_push_takes_the_fast_path_with_standard_time_zones() -> None:
    """What stations send (sync/wire.py's shape) is decoded by msgspec: the speed-up cannot silently vanish."""
    body = json.dumps({"station_id": "s1", "epoch": 1, "events": [GOOD_EVENT, {**GOOD_EVENT, "seq": 8}]}).encode()
    push = decode_push(body)
    assert isinstance(push, FastPush)
    event = push.events[0]
    assert event.event_id == GOOD_EVENT["event_id"].lower()
    assert event.occurred_at == datetime(2026, 11, 23, 0, 30, 1, 250000, tzinfo=UTC)
    assert event.occurred_at.tzinfo == timezone(timedelta(hours=7))  # the standard library's, not pydantic's


def test_what_the_fast_path_leaves_pydantic_decides() -> None:
    # Taken by pydantic alone: a seq written as a string, a time with seven digits of fraction (truncated).
    body = json.dumps(
        {
            "station_id": "s1",
            "epoch": 1,
            "events": [{**GOOD_EVENT, "seq": "7", "occurred_at": "2026-11-23T07:30:01.1234567+07:00"}],
        }
    ).encode()
    assert decode_push_fast(body) is None
    push = decode_push(body)
    assert isinstance(push, PushRequest)
    assert push.events[0].seq == 7 and push.events[0].occurred_at.microsecond == 123456
    # Refused by both: a NUL in kind is a 422 (pydantic's error), not a stored event.
    bad = json.dumps({"station_id": "s1", "epoch": 1, "events": [{**GOOD_EVENT, "kind": "check\u0000in"}]}).encode()
    assert decode_push_fast(bad) is None
    try:
        decode_push(bad)
    except ValueError as exc:
        assert "NUL" in str(exc)
    else:
        raise AssertionError("a NUL in kind was accepted")
