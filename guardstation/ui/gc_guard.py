"""Garbage collection on the GUI thread only (the approach qutebrowser uses).

Python's cyclic GC runs in whichever thread happens to allocate; if it frees
a Qt object from the camera or database thread, Qt crashes. So automatic GC
is switched off and a timer collects on the GUI thread instead.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject

from guardstation.ui.qt_helpers import timer

INTERVAL_MS = 1000


class GuiThreadGarbageCollector(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        gc.disable()
        self._timer = timer(self, INTERVAL_MS, self.collect)
        self._timer.start()

    def collect(self) -> None:
        # Same generational schedule as automatic GC: cheap young collections, full ones rarely.
        threshold = gc.get_threshold()
        counts = gc.get_count()
        if counts[0] > threshold[0]:
            generation = 2 if counts[2] > threshold[2] else 1 if counts[1] > threshold[1] else 0
            gc.collect(generation)

    def stop(self) -> None:
        self._timer.stop()
        gc.enable()
