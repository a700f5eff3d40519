"""The capture-and-decode loop, on a plain thread.

It knows nothing about Qt: the UI layer wraps the callbacks in signals. The
loop must survive anything a camera, decoder or callback can throw at it, and
keeps retrying a lost camera until stop() is called.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from guardstation.scanner.debounce import Debouncer
from guardstation.scanner.decoders import DecodedCode, Decoder, safe_decode
from guardstation.scanner.sources import CameraUnavailable, FrameSource

logger = logging.getLogger(__name__)

STATUS_OK = "ok"
STATUS_LOST = "lost"
STATUS_UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class FrameResult:
    frame: np.ndarray  # BGR
    codes: list[DecodedCode]  # every code found in this frame (empty on frames not decoded)
    decode_ms: float


class CameraWorker(threading.Thread):
    def __init__(
        self,
        source: FrameSource,
        decoder: Decoder,
        *,
        on_frame: Callable[[FrameResult], None],
        on_scan: Callable[[str], None],
        on_status: Callable[[str, str], None],
        debouncer: Debouncer | None = None,
        reopen_interval_s: float = 2.0,
        decode_every: int = 1,
    ) -> None:
        # Daemon: a camera driver stuck inside read() must not keep the app alive.
        super().__init__(name="guardstation-camera", daemon=True)
        if decode_every < 1:
            raise ValueError("decode_every must be >= 1")
        self.source = source
        self.decoder = decoder
        self._on_frame = on_frame
        self._on_scan = on_scan
        self._on_status = on_status
        self.debouncer = debouncer if debouncer is not None else Debouncer()
        self.reopen_interval_s = reopen_interval_s
        self.decode_every = decode_every
        self._stop_event = threading.Event()
        self._reported_failures: set[tuple[str, str]] = set()

    def stop(self, timeout: float = 2.0) -> None:
        """Ask the loop to end and wait up to `timeout` seconds for it."""
        self._stop_event.set()
        if self.is_alive() and threading.current_thread() is not self:
            self.join(timeout)

    def run(self) -> None:
        try:
            self._run()
        except Exception:  # a bug here must still close the camera below
            logger.exception("Camera worker crashed")
        finally:
            self._close_source()

    def _run(self) -> None:
        outage_reported = False
        while not self._stop_event.is_set():
            try:
                self.source.open()
            except Exception as exc:
                if not isinstance(exc, CameraUnavailable):  # unexpected: keep the traceback
                    logger.exception("Opening %s failed", self.source.description)
                # Report an outage once; while a lost camera is being retried the
                # guard already sees "lost".
                if not outage_reported:
                    self._emit(self._on_status, STATUS_UNAVAILABLE, str(exc) or type(exc).__name__)
                    outage_reported = True
                self._stop_event.wait(self.reopen_interval_s)
                continue
            outage_reported = False
            self._emit(self._on_status, STATUS_OK, self.source.description)
            lost_reason = self._capture_until_lost()
            self._close_source()
            if lost_reason is None:  # stop() was called
                return
            self._emit(self._on_status, STATUS_LOST, lost_reason)
            outage_reported = True
            self._stop_event.wait(self.reopen_interval_s)

    def _capture_until_lost(self) -> str | None:
        """Read, decode and report frames; return why the source was lost, or None on stop()."""
        frame_index = 0
        while not self._stop_event.is_set():
            started = time.monotonic()
            try:
                frame = self.source.read()
            except Exception as exc:
                logger.exception("Reading from %s failed", self.source.description)
                return f"{self.source.description}: {str(exc) or type(exc).__name__}"
            if frame is None:
                return f"No picture from {self.source.description}; retrying every {self.reopen_interval_s:g} s"
            self._process(frame, frame_index)
            frame_index += 1
            fps = self.source.fps
            if fps > 0:
                remaining = 1.0 / fps - (time.monotonic() - started)
                if remaining > 0 and self._stop_event.wait(remaining):
                    return None
        return None

    def _process(self, frame: np.ndarray, frame_index: int) -> None:
        codes: list[DecodedCode] = []
        decode_ms = 0.0
        if frame_index % self.decode_every == 0:
            started = time.perf_counter()
            codes = safe_decode(self.decoder, frame)
            decode_ms = (time.perf_counter() - started) * 1000.0
        self._emit(self._on_frame, FrameResult(frame, codes, decode_ms))
        for code in codes:
            try:
                accepted = self.debouncer.accept(code.text)
            except Exception:
                logger.exception("Debouncer failed")
                continue
            if accepted:
                self._emit(self._on_scan, code.text)

    def _emit(self, callback: Callable[..., object], *args: object) -> None:
        try:
            callback(*args)
        except Exception as exc:
            # Full traceback once per callback and error type; a callback that
            # fails on every frame would otherwise flood the log.
            key = (getattr(callback, "__qualname__", repr(callback)), type(exc).__qualname__)
            if key not in self._reported_failures:
                self._reported_failures.add(key)
                logger.exception("Camera callback %s failed; the scan loop continues", key[0])
            else:
                logger.debug("Camera callback %s failed again: %r", key[0], exc)

    def _close_source(self) -> None:
        try:
            self.source.close()
        except Exception:
            logger.exception("Closing %s failed", self.source.description)
