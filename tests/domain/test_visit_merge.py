"""Visits from events by set union: order, duplicates and gates do not change the result."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from guardstation.domain.visit_merge import VisitEventView, merge, open_visits

T0 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def ev(event_id, kind, minute, visit="v1", gate="A", hlc="", time_out=None, corrects=False):
    return VisitEventView(
        event_id,
        visit,
        kind,
        T0 + timedelta(minutes=minute),
        hlc or f"{minute:05d}",
        gate,
        f"st-{gate}",
        "S",
        time_out,
        corrects,
    )


def test_check_out_at_another_gate_closes():
    visits = merge([ev("1", "check_in", 0, gate="A"), ev("2", "check_out", 30, gate="B")])
    v = visits["v1"]
    assert not v.is_open and v.gate_in == "A" and v.gate_out == "B"


def test_check_out_before_check_in_waits():
    visits = merge([ev("2", "check_out", 30)])
    assert not visits["v1"].is_open and visits["v1"].time_in is None
    visits = merge([ev("2", "check_out", 30), ev("1", "check_in", 0)])
    assert not visits["v1"].is_open and visits["v1"].time_in == T0


def test_two_check_outs_earliest_wins_other_is_an_observation():
    visits = merge([ev("1", "check_in", 0), ev("3", "check_out", 50, gate="C"), ev("2", "check_out", 40, gate="B")])
    v = visits["v1"]
    assert v.time_out == T0 + timedelta(minutes=40) and v.gate_out == "B"
    assert v.observations == ["3"]


def test_void_and_corrections():
    base = [ev("1", "check_in", 0)]
    assert not merge(base + [ev("9", "void", 5)])["v1"].is_open
    close = ev("c1", "correction", 60, hlc="00100", time_out=T0 + timedelta(minutes=45), corrects=True)
    reopen = ev("c2", "correction", 61, hlc="00200", time_out=None, corrects=True)
    assert merge(base + [close])["v1"].time_out == T0 + timedelta(minutes=45)
    assert merge(base + [close, reopen])["v1"].is_open  # the later HLC wins
    assert merge(base + [reopen, close])["v1"].is_open  # whatever the arrival order
    # A correction outranks a raw check-out.
    assert merge(base + [ev("2", "check_out", 30), reopen])["v1"].is_open


events = st.lists(
    st.tuples(
        st.sampled_from(["v1", "v2", "v3"]),
        st.sampled_from(["check_in", "check_out", "void"]),
        st.integers(0, 100),
        st.sampled_from("ABC"),
    ),
    max_size=12,
)


@settings(max_examples=200, deadline=None)
@given(events, st.randoms(use_true_random=False))
def test_order_and_duplicates_do_not_matter(items, rnd):
    evs = [ev(str(i), kind, minute, visit=visit, gate=gate) for i, (visit, kind, minute, gate) in enumerate(items)]
    shuffled = evs + evs[: len(evs) // 2]
    rnd.shuffle(shuffled)
    a, b = merge(evs), merge(shuffled)

    def summary(vs):
        return {k: (v.time_in, v.time_out, v.gate_in, v.gate_out, v.voided, v.is_open) for k, v in vs.items()}

    assert summary(a) == summary(b)
    assert {v.visit_id for v in open_visits(a.values())} == {v.visit_id for v in open_visits(b.values())}
