"""Turns "code visible in many frames" into "one scan"."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class Debouncer:
    """Accepts a text only if it was not seen within the last `cooldown_s`.

    Every sighting refreshes the text's last-seen time, so a code held in front
    of the camera for a minute is one scan; it scans again only after it has
    been out of view for the cooldown.
    """

    def __init__(self, cooldown_s: float = 3.0, clock: Callable[[], float] = time.monotonic) -> None:
        if cooldown_s < 0:
            raise ValueError("cooldown_s must be >= 0")
        self._cooldown_s = cooldown_s
        self._clock = clock
        self._last_seen: dict[str, float] = {}
        # The camera thread calls accept() while the UI thread may call reset().
        self._lock = threading.Lock()

    def accept(self, text: str) -> bool:
        with self._lock:
            now = self._clock()
            self._forget_older_than(now - self._cooldown_s)
            is_new = text not in self._last_seen
            self._last_seen[text] = now
            return is_new

    def reset(self) -> None:
        with self._lock:
            self._last_seen.clear()

    def _forget_older_than(self, cutoff: float) -> None:
        # Keeps memory bounded by the codes seen within one cooldown.
        stale = [text for text, seen in self._last_seen.items() if seen <= cutoff]
        for text in stale:
            del self._last_seen[text]
