"""Kiosk mode: full screen, closing or leaving it needs the supervisor PIN; the start-up hardware check."""

from __future__ import annotations

from collections import namedtuple
from datetime import timedelta

import pytest
from argon2 import PasswordHasher

from guardstation.health import hardware_check
from guardstation.station.checkpoint import ManualEntry
from guardstation.station.pin import MAX_FAILURES, SupervisorPin, hash_pin

FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
PIN = "582046"


@pytest.fixture
def kiosk(gui, station, qtbot):
    from guardstation.ui.kiosk import KioskGuard

    app = gui()
    pin = SupervisorPin.for_home(station.home, hash_pin(PIN, FAST), hasher=FAST)
    guard = KioskGuard(app.window, pin)
    guard.engage()
    qtbot.waitUntil(app.window.isFullScreen, timeout=2000)
    yield app, guard
    guard.release()


def _close_attempt(window, guard, qtbot):
    with qtbot.waitSignal(guard.pin_requested, timeout=2000) as opened:
        window.close()
    return opened.args[0]


def test_closing_needs_the_pin_and_a_wrong_pin_keeps_the_window_open(kiosk, qtbot):
    app, guard = kiosk
    window = app.window
    dialog = _close_attempt(window, guard, qtbot)
    assert window.isVisible() and dialog.isVisible()
    assert "menutup GuardStation" in dialog.prompt.text()  # Indonesian by default
    dialog.edit.setText("111111")
    dialog.ok_button.click()
    assert window.isVisible() and dialog.isVisible()
    assert "PIN salah" in dialog.status.text() and str(MAX_FAILURES - 1) in dialog.status.text()
    dialog.cancel_button.click()
    assert window.isVisible() and window.isFullScreen()

    dialog = _close_attempt(window, guard, qtbot)
    dialog.edit.setText(PIN)
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=2000)
    assert not guard.active


def test_five_wrong_pins_lock_the_dialog(kiosk, qtbot):
    app, guard = kiosk
    dialog = _close_attempt(app.window, guard, qtbot)
    for _ in range(MAX_FAILURES):
        dialog.edit.setText("111111")
        dialog.ok_button.click()
    assert not dialog.ok_button.isEnabled() and "Terkunci" in dialog.status.text()
    dialog.edit.setText(PIN)  # even the right PIN cannot be entered now
    assert not dialog.edit.isEnabled()
    dialog.reject()
    assert app.window.isVisible()


def test_leaving_full_screen_is_undone_without_the_pin(kiosk, qtbot):
    app, guard = kiosk
    app.window.showNormal()
    qtbot.waitUntil(app.window.isFullScreen, timeout=2000)


def test_leaving_kiosk_mode_with_the_pin(kiosk, qtbot):
    app, guard = kiosk
    with qtbot.waitSignal(guard.pin_requested, timeout=2000) as opened:
        guard.request_leave()
    dialog = opened.args[0]
    assert "mode kios" in dialog.prompt.text()
    dialog.edit.setText(PIN)
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: not app.window.isFullScreen(), timeout=2000)
    assert not guard.active and app.window.isVisible()
    app.window.close()
    assert not app.window.isVisible()  # an ordinary window again


Usage = namedtuple("Usage", "total used free")


def test_start_up_check_warns_about_low_disk_and_a_clock_behind_the_last_scan(gui, station, clock, monkeypatch):
    station.checkpoint.manual_entry(ManualEntry("3513010101800001", "Hadi Prasetyo"))
    clock.current -= timedelta(hours=2)  # the clock was set back after that scan
    monkeypatch.setattr(hardware_check.shutil, "disk_usage", lambda _p: Usage(10**12, 10**12, 700_000_000))
    app = gui()
    findings = app.hardware_check(None)
    texts = app.notices.texts
    assert {f.code for f in findings} == {"camera_none", "disk_low", "clock_behind", "settings_ok"}
    assert any("Ruang disk hampir habis: sisa 700 MB" in t for t in texts)
    assert any("Jam komputer" in t and "lebih awal dari pindaian terakhir" in t for t in texts)
    assert app.notices.isVisible()
    assert app.window.storage_status.text() == ""  # a warning, not a refusal


def test_start_up_check_refuses_below_100_mb(gui, monkeypatch):
    monkeypatch.setattr(hardware_check.shutil, "disk_usage", lambda _p: Usage(10**12, 10**12, 60_000_000))
    app = gui(lang="en")
    app.hardware_check("0")
    assert any("Disk almost full: 60 MB free" in t for t in app.notices.texts)
    assert "scans are NOT being recorded" in app.window.storage_status.text()  # show_storage_failure


@pytest.mark.parametrize("last_good", [True, False])
def test_start_up_check_says_the_settings_file_was_damaged(gui, station, monkeypatch, last_good):
    """A config.json cut off mid-write: the station starts on the last good settings (or the defaults)
    and the guard is told, in the window, which file was kept for a look."""
    from guardstation.settings.model import LAST_GOOD, Settings

    monkeypatch.setattr(hardware_check.shutil, "disk_usage", lambda _p: Usage(10**12, 0, 10**12))
    Settings(language="id", camera="", configured=True).save(station.home)
    if not last_good:
        (station.home / LAST_GOOD).unlink()
    (station.home / "config.json").write_text('{"language": "id", "cam', "utf-8")
    station.settings = Settings.load(station.home)  # as open_station() does at start
    app = gui()
    app.hardware_check(None)
    kept = next(station.home.glob("config.json.damaged-*"))
    [notice] = [t for t in app.notices.texts if "pengaturan" in t]
    expected = "pengaturan baik terakhir yang dipakai" if last_good else "pengaturan bawaan yang dipakai"
    assert expected in notice and str(kept) in notice
    assert app.notices.isVisible()
