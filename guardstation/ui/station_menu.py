"""The Settings menu of the guard's window: run the setup again (supervisor PIN), kiosk mode, logs."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMainWindow

from guardstation.station.context import StationContext
from guardstation.station.pin import SupervisorPin
from guardstation.ui.kiosk import KioskGuard
from guardstation.ui.pin_dialog import PinDialog
from guardstation.ui.setup_wizard import SetupWizard

log = logging.getLogger(__name__)


class StationMenu(QObject):
    def __init__(
        self,
        window: QMainWindow,
        station: StationContext,
        kiosk: KioskGuard,
        *,
        log_dir: Path | None = None,
        on_setup_applied: Callable[[object], None] | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.station = station
        self.kiosk = kiosk
        self.log_dir = log_dir
        self.on_setup_applied = on_setup_applied
        self.pin_dialog: PinDialog | None = None
        self.wizard: SetupWizard | None = None
        self.menu = window.menuBar().addMenu(self.tr("&Settings"))
        self.setup_action = self.menu.addAction(self.tr("Run setup again…"))
        self.setup_action.triggered.connect(self.rerun_setup)
        self.menu.addSeparator()
        self.kiosk_on = self.menu.addAction(self.tr("Kiosk mode (full screen, PIN to close)"))
        self.kiosk_on.triggered.connect(self.kiosk.engage)
        self.kiosk_off = self.menu.addAction(self.tr("Leave kiosk mode…"))
        self.kiosk_off.triggered.connect(self.kiosk.request_leave)
        self.menu.addSeparator()
        self.logs_action = self.menu.addAction(self.tr("Open the log folder"))
        self.logs_action.triggered.connect(self.open_logs)
        self.logs_action.setEnabled(log_dir is not None)
        self.menu.aboutToShow.connect(self._update)
        self._update()

    def _update(self) -> None:
        self.kiosk_on.setVisible(not self.kiosk.active)
        self.kiosk_off.setVisible(self.kiosk.active)

    def supervisor_pin(self) -> SupervisorPin:
        return SupervisorPin.for_home(self.station.home, self.station.settings.supervisor_pin_hash)

    def rerun_setup(self) -> None:
        pin = self.supervisor_pin()
        if not pin.is_set:  # a station never set up (demo): nothing to protect yet
            self.open_wizard()
            return
        self.pin_dialog = PinDialog(pin, self.tr("Enter the supervisor PIN to change the setup."), self.window)
        self.pin_dialog.unlocked.connect(self.open_wizard)
        self.pin_dialog.open()

    def open_wizard(self) -> None:
        self.wizard = SetupWizard(self.station, rerun=True, parent=self.window)
        if self.on_setup_applied is not None:
            self.wizard.setup_applied.connect(self.on_setup_applied)
        self.wizard.open()

    def open_logs(self) -> None:
        if self.log_dir is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.log_dir)))
