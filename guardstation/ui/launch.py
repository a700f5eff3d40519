"""Starting the GUI: station, translator, worker threads, camera, window."""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from PySide6.QtCore import QThread, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from ..config import resolve_home
from ..scanner.sources import IMAGE_SUFFIXES
from ..scanner import CameraUnavailable, Debouncer, DecoderUnavailable, make_decoder, open_source
from ..sound import SoundPlayer
from ..station import StationContext, open_station
from ..store.db import DatabaseError
from ..store.secrets import SecretStoreError
from .gc_guard import GuiThreadGarbageCollector
from .i18n import install_translator
from .main_window import MainWindow
from .workers import CameraBridge, StationWorker

log = logging.getLogger(__name__)
DEMO_SECONDS_PER_CARD = 3.0


class GuardStationApp:
    """Owns the threads and their order of shutdown; the window only shows things."""

    def __init__(self, station: StationContext, *, lang: str, camera_spec: str | None, decoder_name: str,
                 rescan_after_s: float, sound: SoundPlayer, log_dir: Path | None = None,
                 source_options: dict | None = None) -> None:
        self.station = station
        self.gc = GuiThreadGarbageCollector()
        self.window = MainWindow(station, sound, lang, log_dir)
        self.worker_thread = QThread()
        self.worker_thread.setObjectName("guardstation-db")
        self.worker = StationWorker(station.checkpoint)
        self.worker.moveToThread(self.worker_thread)
        self.window.scan_requested.connect(self.worker.scan)
        self.window.manual_requested.connect(self.worker.manual)
        self.window.check_out_requested.connect(self.worker.check_out)
        self.worker.outcome.connect(self.window.show_outcome)
        self.worker.entry_rejected.connect(self.window.show_entry_rejected)
        self.worker.storage_failed.connect(self.window.show_storage_failure)
        self.worker.crashed.connect(self.window.show_crash)
        self.worker_thread.start()
        self.camera: CameraBridge | None = None
        if camera_spec is not None:
            self._start_camera(camera_spec, decoder_name, rescan_after_s, source_options or {})

    def _start_camera(self, spec: str, decoder_name: str, rescan_after_s: float, options: dict) -> None:
        try:
            decoder = make_decoder(decoder_name)
            source = open_source(spec, **options)
        except (CameraUnavailable, DecoderUnavailable, ValueError) as exc:
            self.window.show_camera_status("unavailable", str(exc))
            return
        self.camera = CameraBridge(source, decoder, Debouncer(cooldown_s=rescan_after_s))
        self.camera.frame.connect(self.window.camera_view.show_frame)
        self.camera.scanned.connect(self.window.scan_requested)
        self.camera.status.connect(self.window.show_camera_status)
        self.camera.start()

    def shutdown(self) -> None:
        if self.camera is not None:
            self.camera.stop()
        self.worker_thread.quit()
        self.worker_thread.wait(5000)
        self.gc.stop()
        self.station.close()


def picture_source_options(spec: str, rescan_after_s: float, *, demo: bool = False) -> dict:
    """Images played as a camera: the blank gap between pictures outlasts the rescan cooldown,
    so the same card shown twice in a row counts twice (in, then out)."""
    path = Path(spec)
    if not (path.is_dir() or (path.is_file() and path.suffix.lower() in IMAGE_SUFFIXES)):
        return {}  # a webcam or a video: nothing to pace
    options = {"gap_seconds": rescan_after_s + 0.5}
    if demo:
        options["seconds_per_image"] = DEMO_SECONDS_PER_CARD
    return options


def _fatal(message: str) -> int:
    log.error("cannot start: %s", message)
    print(f"guardstation: {message}", file=sys.stderr)
    QMessageBox.critical(None, "GuardStation", message)
    return 1


def run_gui(args: argparse.Namespace) -> int:
    from ..app import setup_logging

    home = resolve_home(args.home, demo=args.demo)
    log_dir = setup_logging(home)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("GuardStation")
    try:
        if args.demo:
            from ..demo import prepare_demo
            station, demo_camera = prepare_demo(home)
        else:
            station, demo_camera = open_station(home), None
    except (DatabaseError, SecretStoreError) as exc:
        return _fatal(str(exc))
    settings = station.settings
    lang = args.lang or settings.language
    app._translator = install_translator(app, lang)  # kept alive with the app
    camera = args.camera if args.camera is not None else (str(demo_camera) if demo_camera else settings.camera)
    rescan = args.rescan_after if args.rescan_after is not None else settings.rescan_cooldown_s
    options = picture_source_options(camera, rescan, demo=demo_camera is not None and args.camera is None)
    if args.gate_mode:
        from ..domain.verdict_types import GateMode
        station.checkpoint.gate_mode = GateMode(args.gate_mode)
    gui = GuardStationApp(station, lang=lang, camera_spec=camera, decoder_name=args.decoder or settings.decoder,
                          rescan_after_s=rescan, sound=SoundPlayer(enabled=settings.sound), log_dir=log_dir,
                          source_options=options)
    gui.window.show()
    if args.screenshot:
        QTimer.singleShot(int((args.quit_after or 3) * 1000) - 200,
                          lambda: gui.window.grab().save(args.screenshot))
    if args.quit_after:
        QTimer.singleShot(int(args.quit_after * 1000), app.quit)
    try:
        return app.exec()
    finally:
        gui.shutdown()
