"""The start-up hardware check: camera present, free disk space, clock versus the last recorded scan."""

from __future__ import annotations

from collections import namedtuple
from datetime import timedelta

import pytest

from guardstation.health import hardware_check
from guardstation.health.hardware_check import (
    OK,
    REFUSE,
    WARN,
    camera_present,
    clock_sanity,
    disk_space,
    run_hardware_check,
)
from guardstation.station.checkpoint import ManualEntry

Usage = namedtuple("Usage", "total used free")


@pytest.mark.parametrize(
    "free, level, code",
    [
        (50_000_000_000, OK, "disk_ok"),
        (900_000_000, WARN, "disk_low"),
        (80_000_000, REFUSE, "disk_critical"),
    ],
)
def test_disk_space_levels(monkeypatch, tmp_path, free, level, code):
    monkeypatch.setattr(hardware_check.shutil, "disk_usage", lambda _p: Usage(10**12, 10**12 - free, free))
    finding = disk_space(tmp_path)
    assert (finding.level, finding.code, finding.params["free_mb"]) == (level, code, free // 1_000_000)


def test_clock_behind_the_last_recorded_scan(station, clock):
    station.checkpoint.manual_entry(ManualEntry("3513010101800001", "Hadi Prasetyo"))
    assert clock_sanity(station.db, clock()).level == OK
    behind = clock_sanity(station.db, clock() - timedelta(hours=3))
    assert (behind.level, behind.code, behind.params["minutes"]) == (WARN, "clock_behind", 180)
    # A minute of drift is not worth a warning.
    assert clock_sanity(station.db, clock() - timedelta(minutes=1)).level == OK


def test_clock_that_was_never_set(station, clock):
    finding = clock_sanity(station.db, clock().replace(year=2000))
    assert finding.code == "clock_unset" and finding.level == WARN


def test_camera_checks(tmp_path):
    assert camera_present("0", probe=lambda i: True).code == "camera_ok"
    missing = camera_present("1", probe=lambda i: False)
    assert (missing.level, missing.code, missing.params["index"]) == (WARN, "camera_missing", 1)
    assert camera_present(str(tmp_path)).code == "camera_file"
    assert camera_present(str(tmp_path / "nope")).code == "camera_file_missing"
    assert camera_present(None).code == "camera_none"


def test_run_all(station, clock, monkeypatch):
    monkeypatch.setattr(hardware_check.shutil, "disk_usage", lambda _p: Usage(10**12, 0, 10**12))
    findings = run_hardware_check(camera="0", home=station.home, db=station.db, now=clock(), probe=lambda i: True)
    assert [f.check for f in findings] == ["camera", "disk", "clock", "settings"]
    assert all(f.level == OK for f in findings)
    damaged = run_hardware_check(
        camera="0",
        home=station.home,
        db=station.db,
        now=clock(),
        probe=lambda i: True,
        settings_fallback="last_good",
        damaged_settings="config.json.damaged-1",
    )[-1]
    assert (damaged.level, damaged.code, damaged.params) == (
        WARN,
        "settings_damaged_last_good",
        {"file": "config.json.damaged-1"},
    )
