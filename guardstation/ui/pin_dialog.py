"""The supervisor PIN dialog: used to close or leave the kiosk and to re-run the setup.

Open it with open() (never blocks the event loop) and listen to `unlocked`;
wrong PINs keep it open with the number of tries left, five in a row lock it
for five minutes (station/pin.py keeps count across restarts).
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication, QRegularExpression, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLineEdit, QVBoxLayout

from guardstation.station.pin import LOCKOUT, PIN_MAX, PIN_MIN, PinCheck, PinProblem, PinResult, SupervisorPin
from guardstation.ui.qt_helpers import label, timer


def pin_problem_text(problem: PinProblem) -> str:
    """Why a new PIN (supervisor's or a guard's) is refused, in words."""
    translate = QCoreApplication.translate  # the setup wizard's context, where these were first worded
    return {
        PinProblem.EMPTY: translate("SetupWizard", "Enter a PIN."),
        PinProblem.NOT_DIGITS: translate("SetupWizard", "The PIN may contain digits only."),
        PinProblem.TOO_SHORT: translate("SetupWizard", "The PIN needs at least %1 digits.").replace("%1", str(PIN_MIN)),
        PinProblem.TOO_LONG: translate("SetupWizard", "The PIN can have at most %1 digits.").replace(
            "%1", str(PIN_MAX)
        ),
        PinProblem.TOO_SIMPLE: translate(
            "SetupWizard", "This PIN is too easy to guess (all the same digit, or a run)."
        ),
        PinProblem.MISMATCH: translate("SetupWizard", "The two PINs are not the same."),
    }[problem]


def pin_line_edit(placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMaxLength(PIN_MAX)
    edit.setValidator(QRegularExpressionValidator(QRegularExpression(rf"\d{{0,{PIN_MAX}}}"), edit))
    edit.setPlaceholderText(placeholder)
    edit.setMinimumWidth(220)
    edit.setStyleSheet("font-size: 20px; letter-spacing: 4px;")
    return edit


class PinDialog(QDialog):
    unlocked = Signal()

    def __init__(self, pin: SupervisorPin, purpose: str, parent=None) -> None:
        super().__init__(parent)
        self.pin = pin
        self.setWindowTitle(self.tr("Supervisor PIN"))
        self.prompt = label(purpose, wrap=True)
        self.prompt.setStyleSheet("font-size: 15px;")
        self.edit = pin_line_edit(self.tr("PIN"))
        self.status = label(wrap=True)
        self.status.setObjectName("pinStatus")
        self.status.setStyleSheet("color: #c62828; font-weight: 600;")
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(self.tr("Unlock"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self.try_pin)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addWidget(self.edit)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)
        self._countdown = timer(self, 1000, self._show_state)
        self._show_state()

    def _now(self) -> datetime:
        return self.pin._clock() if hasattr(self.pin, "_clock") else datetime.now(UTC)

    def _show_state(self, check: PinCheck | None = None) -> None:
        check = check or self.pin.status()
        locked = check.result is PinResult.LOCKED
        self.edit.setEnabled(not locked)
        self.ok_button.setEnabled(not locked)
        if locked:
            seconds = check.seconds_locked(self._now())
            if seconds <= 0:
                self._countdown.stop()
                self._show_state()
                return
            self.status.setText(
                self.tr("Too many wrong PINs. Locked for %1 more.").replace("%1", f"{seconds // 60}:{seconds % 60:02d}")
            )
            if not self._countdown.isActive():
                self._countdown.start()
        elif check.result is PinResult.WRONG:
            self.status.setText(
                self.tr("Wrong PIN. %n more attempt(s) before a %1-minute lock.", "", check.tries_left).replace(
                    "%1", str(int(LOCKOUT.total_seconds() // 60))
                )
            )
        elif check.result is PinResult.NOT_SET:
            self.status.setText(self.tr("No supervisor PIN has been set: run the setup first."))
            self.ok_button.setEnabled(False)
        else:
            self._countdown.stop()
            self.status.setText("")

    def try_pin(self) -> None:
        check = self.pin.verify(self.edit.text())
        self.edit.clear()
        if check.ok:
            self.accept()
            self.unlocked.emit()
            return
        self._show_state(check)
        self.edit.setFocus()
