"""Kiosk mode: the guard's window stays full screen; closing it or leaving full screen needs the
supervisor PIN.

An event filter on the window, so the window itself knows nothing about it. A close attempt
(Alt+F4, the window manager, app quit) is refused and the PIN dialog opened instead; on the right
PIN the window closes. The window manager taking it out of full screen puts it straight back.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QWidget

from guardstation.station.pin import SupervisorPin
from guardstation.ui.pin_dialog import PinDialog

log = logging.getLogger(__name__)


class KioskGuard(QObject):
    released = Signal()  # the PIN was given: the window is a normal window again
    pin_requested = Signal(object)  # the PinDialog just opened (tests and screenshots use it)

    def __init__(self, window: QWidget, pin: SupervisorPin) -> None:
        super().__init__(window)
        self.window = window
        self.pin = pin
        self.active = False
        self.dialog: PinDialog | None = None

    def engage(self) -> None:
        if not self.pin.is_set:
            log.warning("kiosk mode asked for, but no supervisor PIN is set: the window can be closed freely")
        self.active = True
        self.window.installEventFilter(self)
        self.window.showFullScreen()
        log.info("kiosk mode on")

    def release(self) -> None:
        """Unlocked (or shutting down on purpose): closing and leaving full screen are allowed."""
        if self.active:
            self.active = False
            self.window.removeEventFilter(self)
            log.info("kiosk mode off")
            self.released.emit()

    # -- asking for the PIN --------------------------------------------------------------------
    def ask(self, purpose: str, on_unlock) -> None:
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            return
        self.dialog = PinDialog(self.pin, purpose, self.window)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.unlocked.connect(on_unlock)
        self.dialog.open()
        self.pin_requested.emit(self.dialog)

    def request_close(self) -> None:
        self.ask(self.tr("Enter the supervisor PIN to close GuardStation."), self._unlock_and_close)

    def request_leave(self) -> None:
        self.ask(self.tr("Enter the supervisor PIN to leave kiosk mode."), self._unlock_and_leave)

    def _unlock_and_close(self) -> None:
        self.release()
        self.window.close()

    def _unlock_and_leave(self) -> None:
        self.release()
        self.window.showNormal()

    # -- the filter ----------------------------------------------------------------------------
    def eventFilter(self, watched, event) -> bool:
        if watched is self.window and self.active and self.pin.is_set:
            kind = event.type()
            if kind == QEvent.Type.Close:
                event.ignore()
                log.info("close refused in kiosk mode: asking for the supervisor PIN")
                QTimer.singleShot(0, self.request_close)
                return True
            if kind == QEvent.Type.WindowStateChange and not self.window.isFullScreen():
                QTimer.singleShot(0, self._back_to_full_screen)
        return False

    def _back_to_full_screen(self) -> None:
        if self.active and not self.window.isFullScreen():
            self.window.showFullScreen()
