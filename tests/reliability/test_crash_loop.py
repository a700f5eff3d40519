"""Crash loop: a scanning, syncing station SIGKILLed at random moments loses and doubles nothing.

The station process (bench/fault_station.py) prints each visit id right after
Checkpoint.scan() returns, i.e. when the GUI would show the verdict, while its real sync worker
pushes to a `guardstation-server serve` process. CI runs 6 kills (and a few during the very first
start); `-m slow` runs 200 (and 30). After the last restart the queue is drained and the server
must hold each of the station's events exactly once.
"""

from __future__ import annotations

import os
import sqlite3

import pytest

from bench import faults
from guardstation.station.context import DB_FILENAME

CI_KILLS = int(os.environ.get("GUARDSTATION_KILLS", "6"))


def _assert_clean(result: faults.KillLoopResult, kills: int) -> None:
    assert result.failed_starts == []
    assert result.kills == kills
    check = result.check
    assert check.integrity == "ok"
    assert check.problems == []
    assert (result.lost_visits, result.doubled_visits, check.inconsistent) == (0, 0, 0)
    assert len(result.shown) > kills  # the stations really scanned between the kills
    assert {action for _vid, action in result.shown} >= {"check_in", "check_out", "deny"}


def _syncing_kill_loop(tmp_path, kills: int, seed: int) -> faults.KillLoopResult:
    home = tmp_path / "home"
    home.mkdir()
    faults.prepare_home(home, seed=seed)
    with faults.CentralServer(tmp_path) as server:
        result = faults.kill_loop(home, kills, seed=seed, sync=faults.ServerSyncSide(home, server))
    _assert_clean(result, kills)
    sync = result.sync
    assert sync["synced_events"] == result.check.events  # every event of the station, once
    assert {k: v for k, v in sync.items() if k.startswith(("lost", "doubled"))} == {
        "lost_on_server": 0,
        "lost_unsent": 0,
        "lost_refused": 0,
        "doubled_on_server": 0,
        "doubled_unexpected": 0,
    }
    assert sync["kills_with_queue"] > 0  # the kills did cut into unsent queues
    return result


def test_kill_loop_while_syncing(tmp_path):
    _syncing_kill_loop(tmp_path, CI_KILLS, seed=11)


@pytest.mark.slow
def test_kill_loop_while_syncing_long(tmp_path):
    result = _syncing_kill_loop(tmp_path, 200, seed=12)
    assert result.early_kills > 15
    assert result.sync["kills_after_commit"] > 0  # some between the server's commit and the ack


def test_kill_loop_standalone(tmp_path):
    """A station that was never enrolled: the same loop with no server."""
    result = faults.kill_loop(tmp_path / "home", 5, seed=13)
    _assert_clean(result, 5)


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
    child, reader, _err = faults.start_station(home, home / "fault-passes.json", home / "fault-people.json", 1, scans=6)
    assert child.wait(120) == 0
    reader.join(30)
    shown = faults._shown(reader.lines)
    assert len(shown) == 6
    db = home / DB_FILENAME
    assert faults.check_station_db(db, shown).problems == []

    assert faults.check_station_db(db, shown + [("0190aaaa-0000-7000-8000-000000000000", "check_in")]).lost_visits == 1
    con = sqlite3.connect(db)
    with con:
        con.execute(
            "INSERT INTO visit_event (event_id, seq, kind, visit_id, station_id, hlc, occurred_at, "
            "clock_offset_ms, guard, body_json) SELECT 'dup-' || event_id, seq + 1000, kind, visit_id, "
            "station_id, hlc, occurred_at, clock_offset_ms, guard, body_json FROM visit_event "
            "WHERE seq = 1"
        )
    con.close()
    check = faults.check_station_db(db, shown)
    assert check.doubled_visits == 1
    assert check.inconsistent == 1  # and the seq is no longer gapless
    assert check.lost_visits == 1  # the copy has no outbox row


def test_the_sync_check_sees_lost_doubled_and_foreign_events(tmp_path):
    """The server-side checker itself: a missing event, a visit checked in twice, an unknown event."""
    home = tmp_path / "home"
    home.mkdir()
    faults.prepare_home(home, people=3)
    with faults.CentralServer(tmp_path) as server:
        side = faults.ServerSyncSide(home, server)
        child, reader, _err = faults.start_station(
            home, home / "fault-passes.json", home / "fault-people.json", 1, side.driver_args(), scans=8
        )
        assert child.wait(120) == 0
        reader.join(30)
        clean = side.check(home)
        assert clean["synced_events"] == 8 and clean["lost_on_server"] == clean["doubled_on_server"] == 0
        con = sqlite3.connect(server.db_path)
        with con:
            columns = [r[1] for r in con.execute("PRAGMA table_info(event)")]
            first_in = con.execute("SELECT event_id FROM event WHERE kind = 'check_in' LIMIT 1").fetchone()[0]
            copy = ", ".join(
                "'copy-' || event_id" if c == "event_id" else "seq + 1000" if c == "seq" else c for c in columns
            )
            con.execute(
                f"INSERT INTO event ({', '.join(columns)}) SELECT {copy} FROM event WHERE event_id = ?", (first_in,)
            )
            con.execute(
                "DELETE FROM event WHERE event_id = (SELECT event_id FROM event "
                "WHERE event_id NOT IN (?, 'copy-' || ?) LIMIT 1)",
                (first_in, first_in),
            )
        con.close()
        damaged = side.check(home)
    assert damaged["lost_on_server"] == 1
    assert damaged["doubled_on_server"] == 1  # the same visit checked in twice
    assert damaged["doubled_unexpected"] == 1  # an event the station never wrote
