"""A red bar when the computer's clock jumps while the station runs (clock_guard.py decides)."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel

from guardstation.health.clock_guard import ClockGuard, ClockJump
from guardstation.ui.hardware_notices import REFUSE_STYLE

CHECK_EVERY_MS = 5000


class ClockNotice(QLabel):
    """Hidden while the clock is fine; reads the clock every few seconds."""

    def __init__(self, guard: ClockGuard, interval_ms: int = CHECK_EVERY_MS, parent=None) -> None:
        super().__init__(parent)
        self.guard = guard
        self.setObjectName("clockNotice")
        self.setWordWrap(True)
        self.setStyleSheet(REFUSE_STYLE + " padding: 6px 10px; font-size: 15px; font-weight: 600;")
        self.hide()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()

    def span(self, seconds: float) -> str:
        minutes = int(abs(seconds) // 60)
        if minutes < 120:
            return self.tr("%1 minutes").replace("%1", str(minutes))
        if minutes < 48 * 60:
            return self.tr("%1 hours").replace("%1", str(minutes // 60))
        return self.tr("%1 days").replace("%1", str(minutes // (24 * 60)))

    def text_for(self, jump: ClockJump) -> str:
        shown = jump.at.astimezone().strftime("%d-%m-%Y %H:%M")
        if jump.backwards:
            text = self.tr(
                "The computer's clock went back by %1 (it shows %2). Visit times continue from the last "
                "known time and expired passes stay expired; set the date and time."
            )
        else:
            text = self.tr(
                "The computer's clock jumped forward by %1 (it shows %2). Check the date and time: "
                "valid passes may be judged expired."
            )
        return "⚠ " + text.replace("%1", self.span(jump.seconds)).replace("%2", shown)

    def refresh(self) -> str:
        jump = self.guard.check()
        text = self.text_for(jump) if jump else ""
        self.setText(text)
        self.setVisible(bool(text))
        return text
