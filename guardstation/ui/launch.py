"""Starting the GUI: station, translator, worker threads, camera, window."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from guardstation.health.clock_guard import ClockGuard
from guardstation.health.disk_guard import DiskGuard
from guardstation.health.hardware_check import REFUSE, run_hardware_check
from guardstation.scanner import CameraUnavailable, Debouncer, DecoderUnavailable, make_decoder, open_source
from guardstation.scanner.sources import IMAGE_SUFFIXES
from guardstation.settings.paths import resolve_home
from guardstation.station.context import StationContext, open_station
from guardstation.station.pin import SupervisorPin
from guardstation.store.db import DatabaseError
from guardstation.store.secrets import SecretStoreError
from guardstation.ui.background import DB_THREAD, start_thread, stop_thread
from guardstation.ui.clock_notice import ClockNotice
from guardstation.ui.crash import CrashReporter
from guardstation.ui.gc_guard import GuiThreadGarbageCollector
from guardstation.ui.hardware_notices import NoticeBar
from guardstation.ui.i18n import install_translator, switch_language
from guardstation.ui.kiosk import KioskGuard
from guardstation.ui.main_window import MainWindow
from guardstation.ui.qt_helpers import application
from guardstation.ui.recovery import daily_backup, offer_backup
from guardstation.ui.reports_menu import ReportsMenu
from guardstation.ui.retention_dialog import RetentionScheduler
from guardstation.ui.sound import SoundPlayer
from guardstation.ui.supervisor_desk import SupervisorDesk
from guardstation.ui.sync_status import AlertNotifier, SyncBridge, SyncStatusBar
from guardstation.ui.workers import CameraBridge, StationWorker

log = logging.getLogger(__name__)
DEMO_SECONDS_PER_CARD = 3.0


class GuardStationApp:
    """Owns the threads and their order of shutdown; the window only shows things."""

    def __init__(
        self,
        station: StationContext,
        *,
        lang: str,
        camera_spec: str | None,
        decoder_name: str,
        rescan_after_s: float,
        sound: SoundPlayer,
        log_dir: Path | None = None,
        source_options: dict | None = None,
    ) -> None:
        self.station = station
        self.gc = GuiThreadGarbageCollector()
        self.window = MainWindow(station, sound, lang, log_dir)
        # The one database writer (docs/architecture.md §2): the guard's writes, the desk's, the purge's.
        self.worker_thread = start_thread(DB_THREAD)
        self.worker = StationWorker(station.checkpoint, self.worker_thread)
        self.window.scan_requested.connect(self.worker.scan)
        self.window.manual_requested.connect(self.worker.manual)
        self.window.check_out_requested.connect(self.worker.check_out)
        self.worker.outcome.connect(self.window.show_outcome)
        self.worker.entry_rejected.connect(self.window.show_entry_rejected)
        self.worker.storage_failed.connect(self.window.show_storage_failure)
        self.worker.crashed.connect(self.window.show_crash)
        # Nearly full disk: scans refused before anything is written, accepted again once space returns.
        station.checkpoint.storage_guard = DiskGuard(station.home).check
        self.clock_notice: ClockNotice | None = None
        self.desk = SupervisorDesk(self.window, station, self.worker_thread)  # shift book, overrides, corrections
        self.reports = ReportsMenu(self.window, station, self.worker_thread, lang)
        self.retention: RetentionScheduler | None = None  # started by run_gui (not in embedded/test use)
        self.camera: CameraBridge | None = None
        self.notices: NoticeBar | None = None
        self.kiosk: KioskGuard | None = None
        self.menu = None
        self.sync: SyncBridge | None = None
        self.sync_bar: SyncStatusBar | None = None
        self.alerts = AlertNotifier(self.window, lang)
        if camera_spec is not None:
            self._start_camera(camera_spec, decoder_name, rescan_after_s, source_options or {})

    def _start_camera(self, spec: str, decoder_name: str, rescan_after_s: float, options: dict) -> None:
        try:
            decoder = make_decoder(decoder_name)
            source = open_source(spec, **options)
        except (CameraUnavailable, DecoderUnavailable, ValueError) as exc:
            reason = str(exc)
            self.window.show_camera_status("unavailable", reason)
            self.worker.camera_status("unavailable", reason)
            return
        self.attach_camera(source, decoder, rescan_after_s)

    def attach_camera(self, source, decoder, rescan_after_s: float, reopen_interval_s: float = 2.0) -> None:
        """Run `source` as the camera: frames to the feed, codes to the checkpoint, its state to the
        screen and (changes only) to the audit log; a lost camera is reopened every `reopen_interval_s`."""
        self.camera = CameraBridge(
            source, decoder, Debouncer(cooldown_s=rescan_after_s), reopen_interval_s=reopen_interval_s
        )
        self.camera.frame.connect(self.window.camera_view.show_frame)
        self.camera.scanned.connect(self.window.scan_requested)
        self.camera.status.connect(self.window.show_camera_status)
        self.camera.status.connect(self.worker.camera_status)
        self.camera.start()

    def restart_camera(self, spec: str | None, decoder_name: str, rescan_after_s: float) -> None:
        """A new camera chosen in the setup: stop the old one, start the new one."""
        if self.camera is not None:
            self.camera.stop()
            self.camera = None
        if spec is not None:
            self._start_camera(spec, decoder_name, rescan_after_s, picture_source_options(spec, rescan_after_s))

    def hardware_check(self, camera_spec: str | None) -> list:
        """Camera, free disk space and clock at start-up, shown above the feed."""
        clock = self.station.checkpoint.clock
        wall = clock.wall if isinstance(clock, ClockGuard) else clock  # the system clock as it is
        settings = self.station.settings
        findings = run_hardware_check(
            camera=camera_spec,
            home=self.station.home,
            db=self.station.db,
            now=wall(),
            settings_fallback=settings.load_fallback,
            damaged_settings=settings.damaged_copy,
            reset_settings=settings.reset_fields,
        )
        self.notices = NoticeBar()
        self.window.add_top_widget(self.notices)  # parent first: a parentless widget shown is a window
        if isinstance(clock, ClockGuard):
            self.clock_notice = ClockNotice(clock)
            self.window.add_top_widget(self.clock_notice)
        self.notices.show_findings(findings)
        if any(f.check == "disk" and f.level == REFUSE for f in findings):
            self.window.show_storage_failure("disk_full")
        return findings

    def start_retention(self) -> None:
        """The retention purge at start-up and daily, on the database thread."""
        self.retention = RetentionScheduler(self.station, self.worker_thread, self.window)
        self.retention.failed.connect(self.window.show_crash)
        self.reports.scheduler = self.retention
        self.retention.start()

    def start_sync(self, worker_factory=None) -> bool:
        """Background sync with the central server, if this station is enrolled; the status in the top bar."""
        if self.sync_bar is None:
            self.sync_bar = SyncStatusBar()
            self.window.add_top_widget(self.sync_bar)
        if self.sync is None:
            self.sync = SyncBridge(self.station, **({"worker_factory": worker_factory} if worker_factory else {}))
            self.sync.status.connect(self.sync_bar.show_status)
            self.sync.report.connect(self.alerts.on_report)
            self.sync.report.connect(self._after_sync)
            self.worker.outcome.connect(self.sync.poke)  # a new visit: push it soon
        return self.sync.start()

    def _after_sync(self, report) -> None:
        if report.reference_changed:
            self.window.refresh_identity()  # the site's name and limit may have come down (refreshes all)
        else:
            self.window.refresh_all()

    def shutdown(self) -> None:
        if self.sync is not None:
            self.sync.stop()
        if self.retention is not None:
            self.retention.stop()
        self.reports.shutdown()
        if self.camera is not None:
            self.camera.stop()
        stop_thread(self.worker_thread, 5000)
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


class _FirstShown(QObject):
    """Prints a marker when the window first paints, then ends the app (startup timing)."""

    MARKER = "GUARDSTATION_WINDOW_SHOWN"

    def __init__(self, window, started: float, exit_after: bool) -> None:
        super().__init__(window)
        self.started = started
        self.exit_after = exit_after
        window.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            seconds = time.monotonic() - self.started
            log.info("main window shown %.2f s after start-up began", seconds)
            if self.exit_after:
                print(f"{self.MARKER} {seconds:.3f}", flush=True)
                QTimer.singleShot(0, lambda: QApplication.instance().exit(0))
        return False


def run_setup_wizard(station: StationContext, quit_after: float | None = None) -> bool:
    """The first-run setup, before the guard's window exists. False if the installer cancelled."""
    from guardstation.ui.setup_wizard import SetupWizard

    wizard = SetupWizard(station)
    if quit_after:  # automation (--quit-after) never waits for an installer forever
        QTimer.singleShot(int(quit_after * 1000), wizard.reject)
    wizard.show()
    accepted = wizard.exec() == QDialog.DialogCode.Accepted.value
    log.info("first-run setup %s", "finished" if accepted else "cancelled")
    return accepted


def _fatal(message: str) -> int:
    log.error("cannot start: %s", message)
    print(f"guardstation: {message}", file=sys.stderr)
    QMessageBox.critical(None, "GuardStation", message)
    return 1


def run_gui(args: argparse.Namespace) -> int:
    from guardstation.log import setup_logging

    started = time.monotonic()
    home = resolve_home(args.home, demo=args.demo, portable=getattr(args, "portable", False))
    log_dir = setup_logging(home)
    app = application(sys.argv[:1])
    app.setApplicationName("GuardStation")
    _set_window_icon(app)
    crash = CrashReporter(log_dir)
    crash.install()
    try:
        return _run_gui(args, app, home, log_dir, crash, started)
    finally:
        crash.uninstall()
        # The app object outlives run_gui when it is called again in the same process (tests, the
        # installer's checks): leave no catalogue behind to re-word the next caller's widgets.
        switch_language(app, "en")


def _set_window_icon(app: QApplication) -> None:
    from PySide6.QtGui import QIcon

    from guardstation.resources import resources_dir

    icon = resources_dir() / "icons" / "guardstation.png"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))


def _run_gui(
    args: argparse.Namespace, app: QApplication, home: Path, log_dir: Path, crash: CrashReporter, started: float
) -> int:
    try:
        if args.demo:
            from guardstation.station.demo import prepare_demo

            station, demo_camera = prepare_demo(home)
        else:
            station, demo_camera = open_station(home), None
    except DatabaseError as exc:
        # Damaged: offer the newest good backup (demo data is simply rebuilt, never restored).
        station, demo_camera = (None if args.demo else offer_backup(home, str(exc))), None
        if station is None:
            return _fatal(str(exc))
    except SecretStoreError as exc:
        return _fatal(str(exc))
    daily_backup(station)
    settings = station.settings
    lang = args.lang or settings.language
    app._translator = install_translator(app, lang)  # kept alive with the app
    if not args.demo and not settings.configured:
        if not run_setup_wizard(station, args.quit_after):
            station.close()
            return 1
        if (args.lang or settings.language) != lang:
            lang = args.lang or settings.language
            switch_language(app, lang)
    camera = args.camera if args.camera is not None else (str(demo_camera) if demo_camera else settings.camera)
    rescan = args.rescan_after if args.rescan_after is not None else settings.rescan_cooldown_s
    options = picture_source_options(camera, rescan, demo=demo_camera is not None and args.camera is None)
    if args.gate_mode:
        from guardstation.domain.verdict_types import GateMode

        station.checkpoint.gate_mode = GateMode(args.gate_mode)
    gui = GuardStationApp(
        station,
        lang=lang,
        camera_spec=camera,
        decoder_name=args.decoder or settings.decoder,
        rescan_after_s=rescan,
        sound=SoundPlayer(enabled=settings.sound),
        log_dir=log_dir,
        source_options=options,
    )
    crash.parent_window = gui.window
    gui.hardware_check(camera)
    kiosk = KioskGuard(gui.window, SupervisorPin.for_home(home, settings.supervisor_pin_hash))
    gui.kiosk = kiosk
    gui.menu = _settings_menu(gui, kiosk, log_dir, rescan, args)
    gui.menu.menu.addAction(gui.reports.retention_action)  # a setting too; same action, same PIN
    gui.start_retention()
    if not args.demo:
        gui.start_sync()
    _FirstShown(gui.window, started, args.exit_when_shown)
    if (args.kiosk or settings.kiosk) and not args.demo:
        kiosk.engage()
    else:
        gui.window.show()
    if args.screenshot:
        QTimer.singleShot(int((args.quit_after or 3) * 1000) - 200, lambda: gui.window.grab().save(args.screenshot))
    if args.quit_after:

        def quit_now() -> None:
            kiosk.release()  # an automated stop is not a guard closing the kiosk
            app.quit()

        QTimer.singleShot(int(args.quit_after * 1000), quit_now)
    try:
        return app.exec()
    finally:
        kiosk.release()
        gui.shutdown()


def _settings_menu(gui: GuardStationApp, kiosk: KioskGuard, log_dir: Path, rescan: float, args: argparse.Namespace):
    from guardstation.ui.station_menu import StationMenu

    def applied(settings) -> None:
        gui.window.refresh_identity()
        kiosk.pin = SupervisorPin.for_home(gui.station.home, settings.supervisor_pin_hash)
        if args.camera is None:
            gui.restart_camera(settings.camera, args.decoder or settings.decoder, rescan)
        if settings.kiosk and not kiosk.active:
            kiosk.engage()
        if not args.demo:
            gui.start_sync()  # an enrolment entered in the setup starts syncing at once

    return StationMenu(gui.window, gui.station, kiosk, log_dir=log_dir, on_setup_applied=applied)
