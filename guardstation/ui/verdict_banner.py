"""The big verdict banner: one word readable across the desk, the reason underneath."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from guardstation.domain.verdict_types import Action, Colour
from guardstation.ui.qt_helpers import label, timer
from guardstation.ui.theme import IDLE_COLOURS, verdict_colours, verdict_word

IDLE_AFTER_MS = 8000  # back to "ready" so an old verdict is never mistaken for the next person's


class VerdictBanner(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("verdictBanner")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.headline = label(centered=True)
        self.headline.setObjectName("verdictHeadline")
        self.reason = label(centered=True, wrap=True)
        self.reason.setObjectName("verdictReason")
        self.detail = label(centered=True, wrap=True)
        self.detail.setObjectName("verdictDetail")
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.reason)
        layout.addWidget(self.detail)
        self.colour: Colour | None = None
        self.action: Action | None = None
        self._idle_timer = timer(self, IDLE_AFTER_MS, self.show_idle, single_shot=True)
        self.setMinimumHeight(190)
        self.show_idle()

    def _paint(self, background: str, foreground: str) -> None:
        self.setStyleSheet(
            f"#verdictBanner {{ background: {background}; border-radius: 10px; }}"
            f"#verdictBanner QLabel {{ color: {foreground}; background: transparent; }}"
            "#verdictHeadline { font-size: 64px; font-weight: 800; letter-spacing: 4px; }"
            "#verdictReason { font-size: 26px; font-weight: 600; }"
            "#verdictDetail { font-size: 20px; }"
        )

    def show_idle(self) -> None:
        self.colour = self.action = None
        self._paint(*IDLE_COLOURS)
        self.headline.setText(self.tr("READY"))
        self.reason.setText(self.tr("Show the QR code to the camera"))
        self.detail.setText("")

    def show_verdict(self, colour: Colour, action: Action, reason: str, detail: str = "") -> None:
        self.colour, self.action = colour, action
        self._paint(*verdict_colours(colour, action))
        self.headline.setText(verdict_word(colour, action))
        self.reason.setText(reason)
        self.detail.setText(detail)
        self._idle_timer.start()

    def show_problem(self, message: str) -> None:
        """A station fault (disk full, camera lost...): red, and it stays until the next verdict."""
        self._idle_timer.stop()
        self.colour, self.action = None, None
        self._paint("#4e342e", "#ffffff")
        self.headline.setText(self.tr("ATTENTION"))
        self.reason.setText(message)
        self.detail.setText("")
