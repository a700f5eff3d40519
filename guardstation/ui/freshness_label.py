"""How old the verification data is (trust keys, rule pack, status list), in the top bar."""

from __future__ import annotations

import logging
from datetime import datetime

from PySide6.QtWidgets import QLabel
from sqlalchemy.exc import SQLAlchemyError

from guardstation.domain.freshness import stale_streams
from guardstation.station.checkpoint import Checkpoint
from guardstation.ui.qt_helpers import timer

REFRESH_MS = 60_000
log = logging.getLogger(__name__)


def format_age(hours: float | None) -> str:
    if hours is None:
        return "—"
    if hours < 1:
        return f"{int(hours * 60)}m"
    if hours < 48:
        return f"{int(hours)}j"
    return f"{int(hours // 24)}h"


class FreshnessLabel(QLabel):
    def __init__(self, checkpoint: Checkpoint, parent=None) -> None:
        super().__init__(parent)
        self.checkpoint = checkpoint
        self.names = {
            "trust_key": self.tr("keys"),
            "rule_pack": self.tr("rules"),
            "status_entry": self.tr("status list"),
        }
        self.stale: tuple[str, ...] = ()
        self._timer = timer(self, REFRESH_MS, self.refresh)
        self.refresh()

    # The timer runs only while the label is on screen: a closed window must not keep reading.
    def showEvent(self, event) -> None:
        self._timer.start()
        super().showEvent(event)

    def hideEvent(self, event) -> None:
        self._timer.stop()
        super().hideEvent(event)

    def refresh(self, now: datetime | None = None) -> None:
        now = now or self.checkpoint.now()
        try:
            freshness = self.checkpoint.freshness()
        except SQLAlchemyError as exc:  # busy or vanished storage: say so, try again next minute
            log.warning("data age not readable: %s", exc)
            self.setText(self.tr("Data age: unknown"))
            return
        self.stale = stale_streams(freshness, self.checkpoint.policy, now)
        parts = []
        for item in freshness:
            text = f"{self.names[item.stream]} {format_age(item.age_hours(now))}"
            parts.append(f"<b style='color:#c62828'>{text} ⚠</b>" if item.stream in self.stale else text)
        self.setText(self.tr("Data age:") + " " + " · ".join(parts))
        if self.stale:
            policy = (
                self.tr("stale data: entries are DENIED")
                if self.checkpoint.policy.on_stale == "deny"
                else self.tr("stale data: admitting with a warning")
            )
            self.setToolTip(policy)
        else:
            self.setToolTip(self.tr("Age of the trusted keys, rule pack and status list"))
