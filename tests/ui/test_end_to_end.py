"""The guard's flow through the real main window, camera thread and database worker."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from guardstation.domain.verdict_types import Action, Colour, GateMode


def outcomes_of(qtbot, window):
    seen = []
    window.verdict_shown.connect(seen.append)
    return seen


def committed_visit(station, visit_id):
    """Read back through a fresh sqlite3 connection: only committed data is visible there."""
    con = sqlite3.connect(station.db.path)
    try:
        return con.execute("SELECT status, colour FROM visit WHERE visit_id = ?", (visit_id,)).fetchone()
    finally:
        con.close()


def test_file_camera_end_to_end(gui, qtbot, station, passes, pass_png, tmp_path):
    """Valid pass -> HIJAU and +1; same pass again -> check-out and -1; forged -> MERAH; full site -> PENUH."""
    folder = tmp_path / "camera"
    budi = passes("Budi Santoso", doses=2, nik="3513011708800008")
    sequence = [
        ("01-budi", budi),
        ("02-budi-again", budi),
        ("03-forged", passes("Tamu Palsu", forged=True)),
        ("04-ani", passes("Ani")),
        ("05-bayu", passes("Bayu")),
        ("06-citra", passes("Citra")),
        ("07-dodi", passes("Dodi")),
    ]
    for name, text in sequence:
        pass_png(text, name, folder)

    # Generous margins: a loaded CI machine may stall the camera thread for a moment; only a stall
    # longer than the rescan cooldown inside one card's appearance could count it twice.
    app = gui(camera=str(folder), rescan_after_s=1.0, fps=20, seconds_per_image=0.3, gap_seconds=1.5, loop=False)
    window = app.window
    seen = outcomes_of(qtbot, window)
    gauge_after = []
    window.verdict_shown.connect(lambda _o: gauge_after.append(window.gauge.count.text()))
    qtbot.waitUntil(lambda: len(seen) >= len(sequence), timeout=60_000)

    # The forged card shows no name: nothing unsigned is ever read out to the guard.
    assert [o.display_name for o in seen] == ["Budi Santoso", "Budi Santoso", "", "Ani", "Bayu", "Citra", "Dodi"]
    first, again, forged, *_rest, full = seen
    assert (first.decision.colour, first.decision.action) == (Colour.GREEN, Action.CHECK_IN)
    assert committed_visit(station, first.visit_id) == ("left", "green")  # committed, later checked out
    assert gauge_after[0] == "1 / 3"
    assert (again.decision.action, again.visit_id) == (Action.CHECK_OUT, first.visit_id)
    assert gauge_after[1] == "0 / 3"
    assert forged.decision.colour is Colour.RED and forged.decision.reason.code == "bad_signature"
    assert committed_visit(station, forged.visit_id) == ("denied", "red")
    assert full.decision.colour is Colour.FULL
    assert gauge_after[-1] == "3 / 3"

    # What the guard sees right now: the last verdict, in Indonesian, and the log rows.
    assert window.banner.headline.text() == "PENUH"
    assert window.banner.reason.text() == "Kapasitas penuh (3/3)"
    assert window.gauge.level.value == "full"
    # One row per visit: Budi's check-out fills the "Out" column of his check-in row.
    assert window.log_model.rowCount() == len(sequence) - 1
    budi_row = next(
        r for r in range(window.log_model.rowCount()) if window.log_model.visit_at(r).visit_id == first.visit_id
    )
    assert window.log_model.data(window.log_model.index(budi_row, 7)) != ""
    assert window.inside_model.rowCount() == 3

    shot = tmp_path / "main-window.png"
    assert window.grab().save(str(shot))
    image = QImage(str(shot))
    assert image.width() >= 1000 and image.height() >= 700


def test_forged_pass_banner_says_why(gui, qtbot, passes):
    app = gui()
    with qtbot.waitSignal(app.window.verdict_shown, timeout=5000):
        app.window.scan_requested.emit(passes("Tamu Palsu", forged=True))
    assert app.window.banner.headline.text() == "MERAH"
    assert app.window.banner.reason.text() == "Tanda tangan tidak sah"


def test_expired_and_unvaccinated_are_red_with_reason(gui, qtbot, passes, clock):
    app = gui()
    with qtbot.waitSignal(app.window.verdict_shown, timeout=5000):
        app.window.scan_requested.emit(passes("Dewi", doses=0))
    assert (app.window.banner.headline.text(), app.window.banner.reason.text()) == ("MERAH", "Belum vaksin")
    expired = passes("Eko", days=1)
    clock.advance(days=2)
    with qtbot.waitSignal(app.window.verdict_shown, timeout=5000):
        app.window.scan_requested.emit(expired)
    assert app.window.banner.reason.text().startswith("Kartu kedaluwarsa")


def test_english_words(gui, qtbot, passes):
    app = gui(lang="en")
    with qtbot.waitSignal(app.window.verdict_shown, timeout=5000):
        app.window.scan_requested.emit(passes("Budi", doses=1))
    assert app.window.banner.headline.text() == "YELLOW"
    assert app.window.banner.reason.text() == "Partly vaccinated (1 doses)"
    assert app.window.log_model.headerData(0, Qt.Orientation.Horizontal) == "Time"


def test_gate_mode_in_reports_already_inside(gui, qtbot, passes, station):
    app = gui()
    window = app.window
    window.gate_mode.setCurrentIndex(window.gate_mode.findData(GateMode.IN.value))
    text = passes("Budi")
    with qtbot.waitSignal(window.verdict_shown, timeout=5000):
        window.scan_requested.emit(text)
    with qtbot.waitSignal(window.verdict_shown, timeout=5000) as second:
        window.scan_requested.emit(text)
    assert second.args[0].decision.action is Action.NOTICE
    assert window.banner.reason.text() == "Sudah di dalam sejak 08:00"  # the fake clock's local time
    assert window.gauge.count.text() == "1 / 3"
    assert station.settings.gate_mode == "in"


def test_check_out_from_inside_list(gui, qtbot, passes):
    app = gui()
    window = app.window
    with qtbot.waitSignal(window.verdict_shown, timeout=5000):
        window.scan_requested.emit(passes("Budi"))
    assert window.inside_model.rowCount() == 1
    window.inside_view.selectRow(0)
    with qtbot.waitSignal(window.verdict_shown, timeout=5000) as out:
        window.check_out_button.click()
    assert out.args[0].decision.action is Action.CHECK_OUT
    assert window.inside_model.rowCount() == 0
    assert window.gauge.count.text() == "0 / 3"
    assert window.banner.headline.text() == "KELUAR"


def test_db_work_runs_off_the_gui_thread(gui, qtbot, passes, station, monkeypatch):
    import threading

    threads = []
    original = station.checkpoint.scan

    def recording_scan(text):
        threads.append(threading.current_thread())
        return original(text)

    monkeypatch.setattr(station.checkpoint, "scan", recording_scan)
    app = gui()
    with qtbot.waitSignal(app.window.verdict_shown, timeout=5000):
        app.window.scan_requested.emit(passes("Budi"))
    assert threads and threads[0] is not threading.main_thread()


def test_disk_full_is_said_and_nothing_pretended(gui, qtbot, passes, station, monkeypatch):
    from sqlalchemy.exc import OperationalError

    def full_disk(_text):
        raise OperationalError("INSERT", {}, Exception("database or disk is full"))

    monkeypatch.setattr(station.checkpoint, "scan", full_disk)
    app = gui()
    shown = []
    app.window.verdict_shown.connect(shown.append)
    app.window.scan_requested.emit(passes("Budi"))
    qtbot.waitUntil(lambda: "Disk penuh" in app.window.banner.reason.text(), timeout=5000)
    assert shown == []  # no verdict for a scan that was not recorded
    assert app.window.banner.headline.text() == "PERHATIAN"
    assert "TIDAK tercatat" in app.window.storage_status.text()


def test_camera_lost_banner_and_manual_entry_still_works(gui, qtbot):
    app = gui(camera="/nonexistent/camera-folder")
    assert "Kamera terputus" in app.window.camera_status.text()
    assert app.window.manual_panel.isEnabled()


def test_sounds_follow_the_outcome(gui, qtbot, passes):
    app = gui()
    budi = passes("Budi")
    for text in (budi, budi, passes("X", forged=True), passes("Y", doses=1)):
        with qtbot.waitSignal(app.window.verdict_shown, timeout=5000):
            app.window.scan_requested.emit(text)
    assert app.window.sound.played == ["green", "out", "red", "yellow"]
