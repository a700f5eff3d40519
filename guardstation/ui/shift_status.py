"""The shift on duty in the top bar, and the notices about visits: closed automatically, staying too long."""

from __future__ import annotations

import html
from datetime import datetime, time, timedelta

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from guardstation.store.models import Shift, Visit
from guardstation.ui.qt_helpers import label

ON_DUTY_STYLE = "color: #2e7d32; font-weight: 600;"
NO_SHIFT_STYLE = "color: #ef6c00; font-weight: 700;"
NOTICE_STYLE = "background: #fff3e0; color: #e65100; border: 1px solid #ffb74d; padding: 4px;"
INFO_STYLE = "background: #e3f2fd; color: #0d47a1; border: 1px solid #90caf9; padding: 4px;"
NAMES_SHOWN = 5


class ShiftStatus(QLabel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("shiftStatus")

    def show_shift(self, shift: Shift | None, scans: int) -> None:
        if shift is None:
            self.setText(self.tr("No shift open — Shift → Open shift"))
            self.setStyleSheet(NO_SHIFT_STYLE)
            return
        self.setText(
            self.tr("On duty: %1 since %2 · %n scan(s)", "", scans)
            .replace("%1", shift.guard_name)
            .replace("%2", shift.opened_at.astimezone().strftime("%H:%M"))
        )
        self.setStyleSheet(ON_DUTY_STYLE)


def _names(rows: list[Visit]) -> str:
    shown = ", ".join(
        f"{html.escape(v.display_name or '?')} ({v.time_in.astimezone():%H:%M})" for v in rows[:NAMES_SHOWN]
    )
    return shown + (" …" if len(rows) > NAMES_SHOWN else "")


class VisitNotices(QWidget):
    """Above the feed; hidden while there is nothing to say."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("visitNotices")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.overstay = label(wrap=True)
        self.overstay.setObjectName("overstayNotice")
        self.overstay.setStyleSheet(NOTICE_STYLE)
        self.auto_closed = label(wrap=True)
        self.auto_closed.setObjectName("autoClosedNotice")
        self.auto_closed.setStyleSheet(INFO_STYLE)
        layout.addWidget(self.overstay)
        layout.addWidget(self.auto_closed)
        self._update_visibility()

    def _update_visibility(self) -> None:
        self.overstay.setVisible(bool(self.overstay.text()))
        self.auto_closed.setVisible(bool(self.auto_closed.text()))
        self.setVisible(bool(self.overstay.text() or self.auto_closed.text()))

    def show_overstays(self, rows: list[Visit], limit: timedelta | None, now: datetime) -> None:
        if not rows or limit is None:
            self.overstay.setText("")
        else:
            hours = f"{limit.total_seconds() / 3600:g}"
            self.overstay.setText(
                "⚠ "
                + self.tr("%n person(s) inside for more than %1 hours: %2", "", len(rows))
                .replace("%1", hours)
                .replace("%2", _names(rows))
            )
        self._update_visibility()

    def show_auto_closed(self, rows: list[Visit], closing: time | None) -> None:
        at = closing.strftime("%H:%M") if closing else "?"
        self.auto_closed.setText(
            self.tr(
                '%n forgotten check-out(s) closed automatically at the closing time (%1), marked "auto": %2',
                "",
                len(rows),
            )
            .replace("%1", at)
            .replace("%2", _names(rows))
        )
        self._update_visibility()
