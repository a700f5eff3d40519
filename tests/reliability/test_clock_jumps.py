"""Clock jumps: detected and shown; time stamps never run backwards, so no negative stay and no
expired pass accepted because the clock was set back."""

from __future__ import annotations

import csv
from datetime import timedelta

import pytest

from guardstation.domain.freshness import Freshness
from guardstation.domain.verdict_types import Action
from guardstation.health.clock_guard import ClockGuard
from guardstation.station.checkpoint import ManualEntry
from tests.helpers.clock import FakeClock
from tests.helpers.passes import PassFactory
from tests.helpers.station import open_test_station


@pytest.fixture
def wall():
    """The system clock (settable with jump()) and its monotonic clock (only advance() moves it)."""
    return FakeClock()


@pytest.fixture
def guarded(home, wall):
    guard = ClockGuard(wall, wall.monotonic)
    ctx = open_test_station(home, guard, capacity=50)
    yield ctx, guard
    ctx.close()


def test_jumps_are_detected_both_ways_and_stamps_never_go_back(wall):
    guard = ClockGuard(wall, wall.monotonic)
    first = guard()
    wall.advance(minutes=10)
    assert guard() == first + timedelta(minutes=10) and guard.check() is None
    wall.jump(days=-3)  # set back three days
    wall.advance(seconds=30)
    stamp = guard()
    assert stamp == first + timedelta(minutes=10, seconds=30)  # continues from the last known time
    jump = guard.check()
    assert jump.backwards and jump.seconds == pytest.approx(-3 * 86400)
    wall.jump(days=3)  # put right again
    assert guard.check() is None and guard() == wall.current
    wall.jump(days=400)  # far forwards
    jump = guard.check()
    assert jump is not None and not jump.backwards and jump.seconds == pytest.approx(400 * 86400)
    wall.advance(hours=2)
    assert guard.check() is None  # a forward jump is shown for an hour


def test_small_drift_is_not_a_jump(wall):
    guard = ClockGuard(wall, wall.monotonic)
    guard()
    wall.advance(minutes=30)
    wall.jump(seconds=-50)  # NTP nudging the clock
    assert guard.check() is None
    assert guard() >= wall.current


def test_no_expired_pass_accepted_after_the_clock_went_back(guarded, wall, passes_for):
    station, guard = guarded
    short = passes_for(station, guard, "Budi", days=1)
    assert station.checkpoint.scan(short).decision.action is Action.CHECK_IN
    wall.advance(days=2)
    assert station.checkpoint.scan(short).decision.reason.code == "expired"
    wall.jump(days=-2, hours=-1)  # someone sets the clock back
    wall.advance(seconds=20)
    other = passes_for(station, None, "Siti", days=1, valid_from=wall.current - timedelta(hours=1))
    decision = station.checkpoint.scan(other).decision
    assert decision.action is Action.DENY and decision.reason.code == "expired"


def test_without_the_guard_the_same_scan_would_be_accepted(home, wall, passes_for):
    """The control: a station on the bare system clock is fooled (this is what the guard prevents)."""
    station = open_test_station(home, wall, capacity=50)
    try:
        wall.advance(days=2)
        wall.jump(days=-2, hours=-1)
        other = passes_for(station, None, "Siti", days=1, valid_from=wall.current - timedelta(hours=1))
        assert station.checkpoint.scan(other).decision.action is Action.CHECK_IN
    finally:
        station.close()


def test_no_negative_stay_anywhere(guarded, wall, tmp_path):
    station, _guard = guarded
    entry = ManualEntry(nik="3513011708800008", name="Pak Tamu")
    visit = station.checkpoint.manual_entry(entry)
    wall.advance(minutes=40)
    wall.jump(hours=-5)
    out = station.checkpoint.check_out(visit.visit_id)
    assert out.decision.reason.params["duration"] == "40m"
    _assert_export_durations_not_negative(station, tmp_path)


def test_no_negative_stay_even_on_a_bare_clock(station, clock, tmp_path):
    """Checkpoints on an unguarded clock (tests, tools) still never write a check-out before the check-in."""
    visit = station.checkpoint.manual_entry(ManualEntry(nik="3513011708800008", name="Pak Tamu"))
    clock.advance(hours=-3)
    out = station.checkpoint.check_out(visit.visit_id)
    assert out.decision.reason.params["duration"] == "0m"
    _assert_export_durations_not_negative(station, tmp_path)


def _assert_export_durations_not_negative(station, tmp_path):
    from guardstation.reports import ExportRequest, parse_period, run_export

    now = station.checkpoint.now()
    period = parse_period(
        (now - timedelta(days=1)).date().isoformat(), (now + timedelta(days=1)).date().isoformat(), now.tzinfo
    )
    result = run_export(station.db, ExportRequest("shift", "csv", tmp_path / "log.csv", period, lang="en"), now=now)
    with open(result.path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    durations = [r["Duration (min)"] for r in rows]
    assert durations and all(d != "" and int(d) >= 0 for d in durations)


def test_data_age_is_never_negative(wall):
    assert Freshness("status_entry", wall.current + timedelta(days=2)).age_hours(wall.current) == 0.0


def test_the_real_clock_starts_from_the_last_recorded_event(home):
    from guardstation.station.checkpoint import local_now
    from guardstation.station.context import open_station

    future = local_now() + timedelta(days=1)
    ahead = open_station(home, clock=lambda: future)
    ahead.checkpoint.manual_entry(ManualEntry(nik="3513011708800008", name="Pak Tamu"))
    ahead.close()
    station = open_station(home)  # the real clock is now "behind" that visit
    try:
        assert isinstance(station.checkpoint.clock, ClockGuard)
        assert station.checkpoint.now() >= future
        assert station.checkpoint.clock.check().backwards  # and it is shown as such
    finally:
        station.close()


def test_the_notice_shows_and_goes(qtbot, translator, wall):
    from guardstation.ui.clock_notice import ClockNotice

    translator("id")
    guard = ClockGuard(wall, wall.monotonic)
    guard()
    notice = ClockNotice(guard, interval_ms=60_000)
    qtbot.addWidget(notice)
    assert notice.refresh() == "" and notice.isHidden()
    wall.jump(hours=-26)
    assert "Jam komputer mundur 26 jam" in notice.refresh()
    assert not notice.isHidden()
    wall.jump(hours=26)
    assert notice.refresh() == "" and notice.isHidden()
    wall.jump(days=30)
    assert "melompat maju 30 hari" in notice.refresh()


@pytest.fixture
def passes_for():
    """make(station, clock, name, days=30, valid_from=None): a pass that station issued."""
    factories = {}

    def make(station, clock, name, days=30, valid_from=None):
        if id(station) not in factories:
            factories[id(station)] = PassFactory(station)
        return factories[id(station)](name, days=days, valid_from=valid_from)

    return make
