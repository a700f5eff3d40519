"""Exposure tracing: which visits overlapped a positive case's visits, and for how long contacts are flagged."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guardstation.domain.exposure import (
    CONTACT_DAYS,
    LINGER,
    VisitSpan,
    case_visits_in_window,
    contact_statuses,
    find_exposures,
    lookback_window,
    merge_validity,
)

WIB = timezone(timedelta(hours=7))
T0 = datetime(2026, 11, 20, 9, 0, tzinfo=WIB)
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=WIB)


def span(visit_id, subject, start_min, end_min, site="S1", voided=False):
    return VisitSpan(
        visit_id,
        site,
        subject,
        T0 + timedelta(minutes=start_min),
        None if end_min is None else T0 + timedelta(minutes=end_min),
        voided,
    )


CASE = span("case", "P", 0, 60)  # the case: 09:00-10:00 at S1


@pytest.mark.parametrize(
    "other, contact",
    [
        (span("a", "A", 30, 90), True),  # overlaps the middle
        (span("b", "B", -60, 0), True),  # left exactly when the case came: touching counts
        (span("c", "C", -60, -1), False),  # left a minute before the case came
        (span("d", "D", 60 + 29, 120), True),  # came 29 minutes after the case left
        (span("e", "E", 60 + 30, 120), True),  # exactly at the end of the linger time
        (span("f", "F", 60 + 31, 120), False),  # 31 minutes after: no contact
        (span("g", "G", -600, None), True),  # still inside since before the case came
        (span("h", "H", 10, 20, site="S2"), False),  # another site
        (span("i", "P", 10, 20), False),  # the case's own other visit
        (span("j", None, 10, 20), False),  # no subject key: nobody to flag
        (span("k", "K", 10, 20, voided=True), False),  # voided visit
    ],
)
def test_contact_rules(other, contact):
    found = find_exposures([CASE], [CASE, other], case_subject="P", now=NOW)
    assert bool(found) is contact
    if contact:
        (exposure,) = found
        assert exposure.subject_key == other.subject_key and exposure.case_visit_id == "case"
        assert exposure.start <= exposure.end


def test_open_case_visit_lasts_until_now():
    case = span("case", "P", 0, None)
    late = VisitSpan("late", "S1", "L", NOW - timedelta(minutes=5), None)
    (exposure,) = find_exposures([case], [late], case_subject="P", now=NOW)
    assert exposure.end == NOW


def test_exposure_interval_is_the_overlap():
    other = span("a", "A", 30, 200)
    (exposure,) = find_exposures([CASE], [other], case_subject="P", now=NOW)
    assert exposure.start == T0 + timedelta(minutes=30)
    assert exposure.end == T0 + timedelta(minutes=60) + LINGER


def test_window_and_case_visits():
    since = datetime(2026, 11, 22, tzinfo=WIB)
    window = lookback_window(since, NOW)
    assert window.start == since - timedelta(days=14) and window.end == NOW
    old = VisitSpan("old", "S1", "P", window.start - timedelta(hours=2), window.start - timedelta(hours=1))
    edge = VisitSpan("edge", "S1", "P", window.start - timedelta(hours=2), window.start)
    recent = VisitSpan("recent", "S1", "P", NOW - timedelta(hours=1), None)
    void = VisitSpan("void", "S1", "P", NOW - timedelta(hours=1), None, voided=True)
    other = VisitSpan("other", "S1", "Q", NOW - timedelta(hours=1), None)
    got = case_visits_in_window([old, edge, recent, void, other], "P", window, NOW)
    assert [v.visit_id for v in got] == ["edge", "recent"]
    with pytest.raises(ValueError):
        lookback_window(since.replace(tzinfo=None), NOW)


def test_contact_status_spans_first_to_last_exposure_plus_14_days():
    cases = [span("c1", "P", 0, 60), span("c2", "P", 60 * 24, 60 * 25, site="S2")]
    others = [span("a1", "A", 10, 20), span("a2", "A", 60 * 24 + 5, 60 * 24 + 10, site="S2"), span("b1", "B", 30, 40)]
    statuses = {s.subject_key: s for s in contact_statuses(find_exposures(cases, others, case_subject="P", now=NOW))}
    assert set(statuses) == {"A", "B"}
    a = statuses["A"]
    assert a.valid_from == T0 + timedelta(minutes=10)
    assert a.valid_until == T0 + timedelta(minutes=60 * 24 + 10) + CONTACT_DAYS
    assert a.sites == ("S1", "S2") and a.exposures == 2


def test_merge_validity_never_shortens():
    a, b, c = T0, T0 + timedelta(days=1), T0 + timedelta(days=2)
    assert merge_validity(None, None, b, c) == (b, c)
    assert merge_validity(a, b, b, c) == (a, c)
    assert merge_validity(b, c, a, b) == (a, c)
    assert merge_validity(a, None, b, c) == (a, None)


minutes = st.integers(-300, 300)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(minutes, st.integers(0, 300) | st.none()), min_size=1, max_size=8))
def test_brute_force_agrees(others):
    """Against a minute-by-minute simulation: a contact is present in some minute of the case's reach."""
    spans = [span(f"v{i}", f"S{i}", s, None if d is None else s + d) for i, (s, d) in enumerate(others)]
    found = {e.contact_visit_id for e in find_exposures([CASE], spans, case_subject="P", now=NOW)}
    reach_end = 60 + 30
    for i, (s, d) in enumerate(others):
        end = (NOW - T0).total_seconds() / 60 if d is None else s + d
        present = any(s <= m <= end for m in range(0, reach_end + 1)) or (s <= 0 <= end)
        assert (f"v{i}" in found) is present, (s, d)
