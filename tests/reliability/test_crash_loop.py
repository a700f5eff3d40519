"""Crash loop: a scanning station SIGKILLed at random moments loses and doubles nothing.

The station process (guardstation/bench/fault_station.py) prints each visit id right after
Checkpoint.scan() returns, i.e. when the GUI would show the verdict. CI runs 20 kills (and a few
during the very first start); `-m slow` runs 200 (and 30).
"""
from __future__ import annotations

import os
import sqlite3

import pytest

from guardstation.bench import faults
from guardstation.station import DB_FILENAME

CI_KILLS = int(os.environ.get("GUARDSTATION_KILLS", "20"))


def _assert_clean(result: faults.KillLoopResult, kills: int) -> None:
    assert result.failed_starts == []
    assert result.kills == kills
    check = result.check
    assert check.integrity == "ok"
    assert check.problems == []
    assert (result.lost_visits, result.doubled_visits, check.inconsistent) == (0, 0, 0)
    assert len(result.shown) > kills          # the stations really scanned between the kills
    assert {action for _vid, action in result.shown} >= {"check_in", "check_out", "deny"}


def test_kill_loop(tmp_path):
    result = faults.kill_loop(tmp_path / "home", CI_KILLS, seed=11)
    _assert_clean(result, CI_KILLS)


@pytest.mark.slow
def test_kill_loop_long(tmp_path):
    result = faults.kill_loop(tmp_path / "home", 200, seed=12)
    _assert_clean(result, 200)
    assert result.early_kills > 15


def test_kills_during_the_first_start(tmp_path):
    assert faults.creation_kills(tmp_path, 3, seed=5) == []


@pytest.mark.slow
def test_kills_during_the_first_start_long(tmp_path):
    assert faults.creation_kills(tmp_path, 30, seed=6) == []


def test_the_check_sees_a_lost_and_a_doubled_visit(tmp_path):
    """The checker itself: a verdict shown but missing, and an event written twice, are counted."""
    home = tmp_path / "home"
    home.mkdir()
    faults.prepare_home(home, people=3)
    child, reader, _err = faults.start_station(home, home / "fault-passes.json", home / "fault-people.json", 1,
                                               scans=6)
    assert child.wait(120) == 0
    reader.join(30)
    shown = faults._shown(reader.lines)
    assert len(shown) == 6
    db = home / DB_FILENAME
    assert faults.check_station_db(db, shown).problems == []

    assert faults.check_station_db(db, shown + [("0190aaaa-0000-7000-8000-000000000000", "check_in")]) \
        .lost_visits == 1
    con = sqlite3.connect(db)
    with con:
        con.execute("INSERT INTO visit_event (event_id, seq, kind, visit_id, station_id, hlc, occurred_at, "
                    "clock_offset_ms, guard, body_json) SELECT 'dup-' || event_id, seq + 1000, kind, visit_id, "
                    "station_id, hlc, occurred_at, clock_offset_ms, guard, body_json FROM visit_event "
                    "WHERE seq = 1")
    con.close()
    check = faults.check_station_db(db, shown)
    assert check.doubled_visits == 1
    assert check.inconsistent == 1        # and the seq is no longer gapless
    assert check.lost_visits == 1         # the copy has no outbox row
