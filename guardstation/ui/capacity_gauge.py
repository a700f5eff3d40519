"""People inside versus the site's limit; amber from 80 %, red at 100 %."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget

from guardstation.domain.occupancy import GaugeLevel, Occupancy
from guardstation.ui.qt_helpers import label
from guardstation.ui.theme import GAUGE_COLOURS


class CapacityGauge(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(self.tr("Inside / capacity"))
        self.count = label(centered=True)
        self.count.setObjectName("gaugeCount")
        self.count.setStyleSheet("#gaugeCount { font-size: 40px; font-weight: 700; }")
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(22)
        self.note = label(centered=True, wrap=True)
        self.elsewhere = label(centered=True, wrap=True)
        self.elsewhere.setObjectName("gaugeElsewhere")
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.count)
        layout.addWidget(self.bar)
        layout.addWidget(self.note)
        layout.addWidget(self.elsewhere)
        self.level = GaugeLevel.OK
        self.update_occupancy(Occupancy(0, None))

    def update_occupancy(self, occupancy: Occupancy) -> None:
        self.level = occupancy.level
        colour = GAUGE_COLOURS[self.level]
        if occupancy.capacity is None:
            self.count.setText(str(occupancy.inside))
            self.bar.setRange(0, 1)
            self.bar.setValue(0)
            self.note.setText(self.tr("No capacity limit set"))
        else:
            self.count.setText(f"{occupancy.inside} / {occupancy.capacity}")
            self.bar.setRange(0, max(1, occupancy.capacity))
            self.bar.setValue(min(occupancy.inside, occupancy.capacity))
            self.note.setText(self.tr("FULL: wait until someone leaves") if self.level is GaugeLevel.FULL else "")
        if occupancy.elsewhere_age_s is not None:
            # Offline, the other gates' count is the last one synced: say how old it is.
            minutes = int(occupancy.elsewhere_age_s // 60)
            self.elsewhere.setText(
                self.tr("This gate %1 · other gates %2 (as of %3 min ago)")
                .replace("%1", str(occupancy.inside_here))
                .replace("%2", str(occupancy.inside_elsewhere))
                .replace("%3", str(minutes))
            )
        self.elsewhere.setVisible(occupancy.elsewhere_age_s is not None)
        self.count.setStyleSheet(f"#gaugeCount {{ font-size: 40px; font-weight: 700; color: {colour}; }}")
        self.bar.setStyleSheet(f"QProgressBar::chunk {{ background: {colour}; }}")
