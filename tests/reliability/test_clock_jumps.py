"""Clock jumps: detected and shown; time stamps never run backwards, so no negative stay and no
expired pass accepted because the clock was set back."""
from __future__ import annotations

import csv
from datetime import datetime, timedelta

import pytest

from guardstation.station.checkpoint import ManualEntry
from guardstation.health.clock_guard import ClockGuard
from guardstation.domain.freshness import Freshness
from guardstation.domain.verdict_types import Action
from tests.conftest import WIB


class Wall:
    """A system clock that can be set, and a monotonic clock that only runs forward."""

    def __init__(self, start: datetime) -> None:
        self.now, self.mono = start, 1000.0

    def wall(self) -> datetime:
        return self.now

    def monotonic(self) -> float:
        return self.mono

    def run(self, **kw) -> None:           # time really passes
        self.now += timedelta(**kw)
        self.mono += timedelta(**kw).total_seconds()

    def set(self, **kw) -> None:           # someone changes the system clock
        self.now += timedelta(**kw)


@pytest.fixture
def wall():
    return Wall(datetime(2026, 11, 23, 8, 0, tzinfo=WIB))


@pytest.fixture
def guarded(home, wall):
    from guardstation.station.context import open_station

    guard = ClockGuard(wall.wall, wall.monotonic)
    ctx = open_station(home, clock=guard, site_name="Kantor Bupati", capacity=50, gate_name="Pintu Depan")
    yield ctx, guard
    ctx.close()


def test_jumps_are_detected_both_ways_and_stamps_never_go_back(wall):
    guard = ClockGuard(wall.wall, wall.monotonic)
    first = guard()
    wall.run(minutes=10)
    assert guard() == first + timedelta(minutes=10) and guard.check() is None
    wall.set(days=-3)                                        # set back three days
    wall.run(seconds=30)
    stamp = guard()
    assert stamp == first + timedelta(minutes=10, seconds=30)      # continues from the last known time
    jump = guard.check()
    assert jump.backwards and jump.seconds == pytest.approx(-3 * 86400)
    wall.set(days=3)                                         # put right again
    assert guard.check() is None and guard() == wall.now
    wall.set(days=400)                                       # far forwards
    jump = guard.check()
    assert jump is not None and not jump.backwards and jump.seconds == pytest.approx(400 * 86400)
    wall.run(hours=2)
    assert guard.check() is None                             # a forward jump is shown for an hour


def test_small_drift_is_not_a_jump(wall):
    guard = ClockGuard(wall.wall, wall.monotonic)
    guard()
    wall.run(minutes=30)
    wall.set(seconds=-50)                                    # NTP nudging the clock
    assert guard.check() is None
    assert guard() >= wall.now


def test_no_expired_pass_accepted_after_the_clock_went_back(guarded, wall, passes_for):
    station, guard = guarded
    short = passes_for(station, guard, "Budi", days=1)
    assert station.checkpoint.scan(short).decision.action is Action.CHECK_IN
    wall.run(days=2)
    assert station.checkpoint.scan(short).decision.reason.code == "expired"
    wall.set(days=-2, hours=-1)                              # someone sets the clock back
    wall.run(seconds=20)
    other = passes_for(station, None, "Siti", days=1, valid_from=wall.now - timedelta(hours=1))
    decision = station.checkpoint.scan(other).decision
    assert decision.action is Action.DENY and decision.reason.code == "expired"


def test_without_the_guard_the_same_scan_would_be_accepted(home, wall, passes_for):
    """The control: a station on the bare system clock is fooled (this is what the guard prevents)."""
    from guardstation.station.context import open_station

    station = open_station(home, clock=wall.wall, site_name="Kantor Bupati", capacity=50, gate_name="Pintu Depan")
    try:
        wall.run(days=2)
        wall.set(days=-2, hours=-1)
        other = passes_for(station, None, "Siti", days=1, valid_from=wall.now - timedelta(hours=1))
        assert station.checkpoint.scan(other).decision.action is Action.CHECK_IN
    finally:
        station.close()


def test_no_negative_stay_anywhere(guarded, wall, tmp_path):
    station, _guard = guarded
    entry = ManualEntry(nik="3513011708800008", name="Pak Tamu")
    visit = station.checkpoint.manual_entry(entry)
    wall.run(minutes=40)
    wall.set(hours=-5)
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
    period = parse_period((now - timedelta(days=1)).date().isoformat(), (now + timedelta(days=1)).date().isoformat(),
                          now.tzinfo)
    result = run_export(station.db, ExportRequest("shift", "csv", tmp_path / "log.csv", period, lang="en"), now=now)
    with open(result.path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    durations = [r["Duration (min)"] for r in rows]
    assert durations and all(d != "" and int(d) >= 0 for d in durations)


def test_data_age_is_never_negative(wall):
    assert Freshness("status_entry", wall.now + timedelta(days=2)).age_hours(wall.now) == 0.0


def test_the_real_clock_starts_from_the_last_recorded_event(home):
    from guardstation.station.checkpoint import local_now
    from guardstation.station.context import open_station

    future = local_now() + timedelta(days=1)
    ahead = open_station(home, clock=lambda: future)
    ahead.checkpoint.manual_entry(ManualEntry(nik="3513011708800008", name="Pak Tamu"))
    ahead.close()
    station = open_station(home)                        # the real clock is now "behind" that visit
    try:
        assert isinstance(station.checkpoint.clock, ClockGuard)
        assert station.checkpoint.now() >= future
        assert station.checkpoint.clock.check().backwards     # and it is shown as such
    finally:
        station.close()


def test_the_notice_shows_and_goes(qtbot, translator, wall):
    from guardstation.ui.clock_notice import ClockNotice

    translator("id")
    guard = ClockGuard(wall.wall, wall.monotonic)
    guard()
    notice = ClockNotice(guard, interval_ms=60_000)
    qtbot.addWidget(notice)
    assert notice.refresh() == "" and notice.isHidden()
    wall.set(hours=-26)
    assert "Jam komputer mundur 26 jam" in notice.refresh()
    assert not notice.isHidden()
    wall.set(hours=26)
    assert notice.refresh() == "" and notice.isHidden()
    wall.set(days=30)
    assert "melompat maju 30 hari" in notice.refresh()


@pytest.fixture
def passes_for():
    from guardstation.domain.credential import PersonKind
    from guardstation.station.pass_issuer import PassRequest, deployment_key, issuer_key, make_pass_text

    keys = {}

    def make(station, clock, name, days=30, valid_from=None):
        now = station.checkpoint.now()
        if id(station) not in keys:
            keys[id(station)] = issuer_key(station.secrets, station.db, now)
            station.checkpoint.reload_reference()
        request = PassRequest(name=name, kind=PersonKind.VISITOR, doses=2,
                              valid_from=valid_from or now - timedelta(hours=1), valid_days=days)
        return make_pass_text(request, keys[id(station)], deployment_key(station.secrets))

    return make
