"""The Reports menu: exports and data retention (supervisor PIN), and the evacuation list in one click.

The evacuation list needs no PIN: in an emergency any guard prints it. It is written as a PDF
into the data folder's exports/ (offline, from this station's database) and opened with the
system's viewer; the window says where it is in case nothing opens.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThread, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMainWindow, QMessageBox

from guardstation.reports import ExportError, ExportRequest, ExportResult, run_export
from guardstation.station.context import StationContext
from guardstation.station.pin import SupervisorPin
from guardstation.ui.background import DONE, REFUSED, Outcome, Task, run_in_background, start_thread, stop_thread
from guardstation.ui.export_dialog import ExportDialog, default_file_name, exports_folder
from guardstation.ui.pin_dialog import PinDialog
from guardstation.ui.retention_dialog import RetentionDialog, RetentionScheduler


def open_with_system(path: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class ReportsMenu(QObject):
    def __init__(
        self,
        window: QMainWindow,
        station: StationContext,
        db_thread: QThread | None,
        lang: str,
        *,
        scheduler: RetentionScheduler | None = None,
        opener: Callable[[Path], bool] = open_with_system,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.station = station
        self.db_thread = db_thread
        self.lang = lang
        self.scheduler = scheduler
        self.opener = opener
        self.pin_dialog: PinDialog | None = None
        self.export_dialog: ExportDialog | None = None
        self.retention_dialog: RetentionDialog | None = None
        self.message: QMessageBox | None = None
        self._evacuation: Task | None = None
        self._own_thread: QThread | None = None
        self.menu = window.menuBar().addMenu(self.tr("&Reports"))
        self.evacuation_action = self.menu.addAction(self.tr("Print the evacuation list"))
        self.evacuation_action.triggered.connect(self.print_evacuation)
        self.menu.addSeparator()
        self.export_action = self.menu.addAction(self.tr("Export…"))
        self.export_action.triggered.connect(
            lambda: self.with_supervisor_pin(
                self.tr("Enter the supervisor PIN to export visit data."), self.open_export
            )
        )
        self.retention_action = self.menu.addAction(self.tr("Data retention…"))
        self.retention_action.triggered.connect(
            lambda: self.with_supervisor_pin(
                self.tr("Enter the supervisor PIN to change how long data is kept."), self.open_retention
            )
        )
        button = getattr(window, "evacuation_button", None)
        if button is not None:
            button.clicked.connect(self.print_evacuation)

    def with_supervisor_pin(self, purpose: str, then: Callable[[], None]) -> None:
        pin = SupervisorPin.for_home(self.station.home, self.station.settings.supervisor_pin_hash)
        if not pin.is_set:  # a station never set up (demo): nothing to protect yet
            then()
            return
        self.pin_dialog = PinDialog(pin, purpose, self.window)
        self.pin_dialog.unlocked.connect(then)
        self.pin_dialog.open()

    def open_export(self) -> None:
        self.export_dialog = ExportDialog(self.station, self.lang, self.db_thread, self.window)
        self.export_dialog.open()

    def open_retention(self) -> None:
        self.retention_dialog = RetentionDialog(self.station, self.scheduler, self.window)
        self.retention_dialog.open()

    # -- the evacuation list -------------------------------------------------------------------------------------
    def print_evacuation(self) -> None:
        if self._evacuation is not None:
            return  # one is being written; a second click must not make a second file
        now = self.station.checkpoint.now()
        path = exports_folder(self.station) / default_file_name(
            "evacuation", "pdf", None, None, now.strftime("%Y%m%d-%H%M%S")
        )
        request = ExportRequest("evacuation", "pdf", path, lang=self.lang, tz=now.tzinfo, actor="guard")
        db = self.station.db
        # A short job (people inside now): on the database thread, so its audit record has the one writer.
        thread = self.db_thread
        if thread is None:
            self._own_thread = thread = self._own_thread or start_thread("guardstation-evacuation")
        self._evacuation = run_in_background(
            lambda: run_export(db, request, now=now),
            self._evacuation_done,
            thread=thread,
            refused=(ExportError,),
            name="evacuation list",
        )

    def _evacuation_done(self, outcome: Outcome) -> None:
        self._evacuation = None
        if outcome.kind == DONE:
            self._evacuation_written(outcome.value)
        else:
            self._evacuation_failed(outcome)

    def _evacuation_written(self, result: ExportResult) -> None:
        opened = self.opener(result.path)
        text = (
            self.tr("Evacuation list saved and opened for printing:\n%1")
            if opened
            else self.tr("Evacuation list saved; open it from this folder to print it:\n%1")
        )
        self._tell(QMessageBox.Icon.Information, text.replace("%1", str(result.path)))

    def _evacuation_failed(self, outcome: Outcome) -> None:
        exc = outcome.error
        if outcome.kind == REFUSED:  # an ExportError: says itself what to do
            message = exc.message(self.lang)
        else:  # storage trouble or a bug: logged where it was classified
            message = self.tr("The evacuation list could not be written (see the log): %1").replace("%1", str(exc))
        self._tell(QMessageBox.Icon.Warning, message)

    def _tell(self, icon: QMessageBox.Icon, text: str) -> None:
        self.message = QMessageBox(icon, self.tr("Evacuation list"), text, parent=self.window)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.open()

    def shutdown(self) -> None:
        if self.export_dialog is not None:
            self.export_dialog.done(0)  # cancels a running export and stops its thread
        stop_thread(self._own_thread)
        self._own_thread = None
