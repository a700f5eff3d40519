"""The camera feed stops and comes back: "Kamera terputus", manual entry keeps working, the camera is
reopened by itself, and the audit log holds the outage for the monitoring report."""

from __future__ import annotations

import threading
from datetime import timedelta

import cv2
import numpy as np

from guardstation.health.camera_outages import CameraOutageLog
from guardstation.reports import data, monitoring
from guardstation.scanner import CameraUnavailable, make_decoder
from guardstation.station.checkpoint import ManualEntry
from guardstation.store.models import AuditLog


class UnpluggableCamera:
    """A fake webcam: shows `picture` while plugged in; unplugged, reads fail and opening fails."""

    description = "Kamera USB (uji)"
    fps = 20.0

    def __init__(self, picture: np.ndarray) -> None:
        self.picture = picture
        self.plugged = threading.Event()
        self.plugged.set()
        self.opens = 0

    def open(self) -> None:
        if not self.plugged.is_set():
            raise CameraUnavailable("Camera 0 could not be opened")
        self.opens += 1

    def read(self):
        return self.picture.copy() if self.plugged.is_set() else None

    def close(self) -> None:
        pass


def audit_actions(station) -> list[str]:
    with station.db.read() as session:
        return [r.action for r in session.query(AuditLog).order_by(AuditLog.id) if r.action.startswith("camera")]


def test_camera_lost_and_back(gui, qtbot, station, passes, pass_png, clock):
    card = cv2.imread(str(pass_png(passes("Budi Santoso"), "budi")))
    canvas = np.full((720, 1280, 3), 220, np.uint8)
    canvas[100 : 100 + card.shape[0], 100 : 100 + card.shape[1]] = card
    camera = UnpluggableCamera(canvas)
    app = gui()
    window = app.window
    seen = []
    window.verdict_shown.connect(seen.append)
    app.attach_camera(camera, make_decoder("zxing"), rescan_after_s=30, reopen_interval_s=0.2)
    qtbot.waitUntil(lambda: len(seen) == 1, timeout=10_000)  # the card in front of the camera
    assert seen[0].display_name == "Budi Santoso"
    ok_text = window.camera_status.text()
    assert "terputus" not in ok_text

    clock.advance(minutes=5)
    camera.plugged.clear()  # cable pulled
    qtbot.waitUntil(lambda: "Kamera terputus" in window.camera_status.text(), timeout=5000)
    qtbot.waitUntil(lambda: audit_actions(station) == ["camera_lost"], timeout=5000)
    with qtbot.waitSignal(window.verdict_shown, timeout=5000) as manual:
        window.manual_requested.emit(ManualEntry(nik="3513011708800008", name="Tamu Tanpa HP", purpose="Rapat"))
    assert manual.args[0].visit_id and manual.args[0].credential.manual

    clock.advance(minutes=12)
    opens = camera.opens
    camera.plugged.set()  # plugged back in: reopened by itself
    qtbot.waitUntil(lambda: window.camera_status.text() == ok_text, timeout=5000)
    assert camera.opens > opens
    qtbot.waitUntil(lambda: audit_actions(station) == ["camera_lost", "camera_restored"], timeout=5000)

    start = clock() - timedelta(hours=2)
    figures = monitoring.compute(_context(station, clock), data.Period(start, clock() + timedelta(hours=1)))
    cameras = [o for o in figures.outages if o.kind == "camera"]
    assert len(cameras) == 1 and cameras[0].minutes == 12


def _context(station, clock):
    from guardstation.reports.context import ReportContext
    from guardstation.reports.output import Ticker

    return ReportContext(
        station.db, "id", clock().tzinfo, clock(), data.station_info(station.db), Ticker(0), threading.Event()
    )


def test_a_camera_missing_at_start_is_an_outage_too(gui, qtbot, station):
    gui(camera="/nonexistent/camera-folder")
    qtbot.waitUntil(lambda: audit_actions(station) == ["camera_lost"], timeout=5000)


def test_only_changes_are_written(station, clock):
    log = CameraOutageLog(station.db, clock)
    states = ["ok", "ok", "lost", "unavailable", "lost", "ok", "ok", "unavailable"]
    written = [log.status(s, "x") for s in states]
    assert [w for w in written if w] == ["camera_lost", "camera_restored", "camera_lost"]
    assert audit_actions(station) == ["camera_lost", "camera_restored", "camera_lost"]
