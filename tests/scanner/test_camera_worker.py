"""CameraWorker: scans once per appearance, survives lost cameras and bad callbacks, stops promptly."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from guardstation.scanner import CameraUnavailable, CameraWorker, Debouncer, ImageFolderSource, make_decoder
from guardstation.scanner.sources import NOMINAL_FPS
from tests.helpers.clock import FakeClock

WAIT = 10.0  # generous upper bound for events; tests finish far sooner


class Recorder:
    """Collects worker callbacks and lets a test wait for a condition on them."""

    def __init__(self) -> None:
        self.frames = 0
        self.scans: list[str] = []
        self.statuses: list[tuple[str, str]] = []
        self._changed = threading.Condition()

    def on_frame(self, result) -> None:
        with self._changed:
            self.frames += 1
            self._changed.notify_all()

    def on_scan(self, text: str) -> None:
        with self._changed:
            self.scans.append(text)
            self._changed.notify_all()

    def on_status(self, state: str, message: str) -> None:
        with self._changed:
            self.statuses.append((state, message))
            self._changed.notify_all()

    def wait_for(self, condition, timeout: float = WAIT) -> None:
        with self._changed:
            assert self._changed.wait_for(condition, timeout), f"timed out; statuses={self.statuses}"

    def callbacks(self) -> dict:
        return {"on_frame": self.on_frame, "on_scan": self.on_scan, "on_status": self.on_status}


def _run_folder(folder, cooldown_s: float) -> Recorder:
    recorder = Recorder()
    clock = FakeClock(monotonic=0.0)  # driven by frames, so unpaced playback keeps the source's timeline

    def on_frame(result):
        clock.advance(1 / NOMINAL_FPS)  # before the worker debounces this frame's codes
        recorder.on_frame(result)

    source = ImageFolderSource(folder, seconds_per_image=0.5, gap_seconds=0.6, fps=0, loop=False)
    worker = CameraWorker(
        source,
        make_decoder("zxing"),
        on_frame=on_frame,
        on_scan=recorder.on_scan,
        on_status=recorder.on_status,
        debouncer=Debouncer(cooldown_s=cooldown_s, clock=clock.monotonic),
        reopen_interval_s=60,  # playback ends with "lost"; do not restart it
    )
    worker.start()
    try:
        recorder.wait_for(lambda: any(state == "lost" for state, _ in recorder.statuses))
    finally:
        worker.stop()
    assert not worker.is_alive()
    return recorder


def test_two_codes_scanned_in_order_once_each(tmp_path, scanner_write_qr_png):
    scanner_write_qr_png("a.png", "GUEST-001|Budi Santoso")
    scanner_write_qr_png("b.png", "GUEST-002|Siti Rahayu")
    recorder = _run_folder(tmp_path, cooldown_s=3.0)
    assert recorder.scans == ["GUEST-001|Budi Santoso", "GUEST-002|Siti Rahayu"]
    assert recorder.frames == 2 * (5 + 6)
    assert recorder.statuses[0][0] == "ok" and recorder.statuses[-1][0] == "lost"


def test_same_code_twice_in_a_row_scans_per_appearance_when_gap_exceeds_cooldown(tmp_path, scanner_write_qr_png):
    scanner_write_qr_png("a.png", "GUEST-001")
    scanner_write_qr_png("b.png", "GUEST-001")
    scanner_write_qr_png("c.png", "GUEST-002")
    assert _run_folder(tmp_path, cooldown_s=0.5).scans == ["GUEST-001", "GUEST-001", "GUEST-002"]
    # With a cooldown longer than the 0.6 s gap the repeat is one continuous sighting.
    assert _run_folder(tmp_path, cooldown_s=3.0).scans == ["GUEST-001", "GUEST-002"]


class FlakySource:
    """Fake camera: scripted open() outcomes, and read() outcomes per opening."""

    description = "Fake camera"
    fps = 0.0

    def __init__(self, open_results: list[bool], reads_per_opening: list[int], read_raises: bool = False) -> None:
        self.open_results = list(open_results)
        self.reads_per_opening = list(reads_per_opening)
        self.read_raises = read_raises
        self.opened = False
        self.open_calls = 0
        self.close_calls = 0
        self._reads_left = 0
        self.frame = np.full((48, 64, 3), 200, np.uint8)

    def open(self) -> None:
        self.open_calls += 1
        ok = self.open_results.pop(0) if self.open_results else True
        if not ok:
            raise CameraUnavailable("Fake camera is unplugged")
        self.opened = True
        self._reads_left = self.reads_per_opening.pop(0) if self.reads_per_opening else 10**9

    def read(self):
        if not self.opened:
            return None
        if self._reads_left <= 0:
            if self.read_raises:
                raise OSError("USB device disconnected")
            return None
        self._reads_left -= 1
        time.sleep(0.001)  # like a camera, which blocks until the next frame
        return self.frame

    def close(self) -> None:
        self.close_calls += 1
        self.opened = False


@pytest.mark.parametrize("read_raises", [False, True])
def test_lost_camera_is_reported_once_and_recovers(read_raises):
    # Works for 5 frames, is lost, fails to reopen twice, then works again.
    source = FlakySource(open_results=[True, False, False, True], reads_per_opening=[5], read_raises=read_raises)
    recorder = Recorder()
    worker = CameraWorker(source, make_decoder("zxing"), reopen_interval_s=0.02, **recorder.callbacks())
    worker.start()
    try:
        recorder.wait_for(lambda: len(recorder.statuses) >= 3 and recorder.frames >= 10)
    finally:
        worker.stop()
    states = [state for state, _ in recorder.statuses]
    assert states == ["ok", "lost", "ok"]
    assert recorder.statuses[0][1] == "Fake camera"
    assert source.open_calls == 4
    assert not source.opened  # closed on stop


def test_unavailable_at_start_is_reported_once_then_recovers():
    source = FlakySource(open_results=[False, False, False, True], reads_per_opening=[])
    recorder = Recorder()
    worker = CameraWorker(source, make_decoder("zxing"), reopen_interval_s=0.02, **recorder.callbacks())
    worker.start()
    try:
        recorder.wait_for(lambda: any(state == "ok" for state, _ in recorder.statuses))
    finally:
        worker.stop()
    assert recorder.statuses == [("unavailable", "Fake camera is unplugged"), ("ok", "Fake camera")]


def test_raising_callbacks_do_not_stop_the_loop(scanner_qr_image, caplog):
    source = FlakySource(open_results=[], reads_per_opening=[])
    source.frame = scanner_qr_image("GUEST-007")
    frames_seen = []
    done = threading.Event()

    def bad_on_frame(result):
        frames_seen.append(result)
        if len(frames_seen) >= 20:
            done.set()
        raise RuntimeError("UI bug on frame")

    def bad_on_scan(text):
        raise ValueError("UI bug on scan")

    def bad_on_status(state, message):
        raise KeyError(state)

    worker = CameraWorker(
        source,
        make_decoder("zxing"),
        on_frame=bad_on_frame,
        on_scan=bad_on_scan,
        on_status=bad_on_status,
    )
    worker.start()
    try:
        assert done.wait(WAIT)
    finally:
        worker.stop()
    assert frames_seen[0].codes[0].text == "GUEST-007"
    assert frames_seen[0].decode_ms > 0
    assert all(r.codes for r in frames_seen)
    # One traceback per failing callback, not one per frame.
    assert len([r for r in caplog.records if "callback" in r.getMessage()]) == 3


def test_decode_every_skips_frames():
    source = FlakySource(open_results=[], reads_per_opening=[])
    recorder = Recorder()
    results = []
    worker = CameraWorker(
        source,
        make_decoder("zxing"),
        on_frame=results.append,
        on_scan=recorder.on_scan,
        on_status=recorder.on_status,
        decode_every=3,
    )
    worker.start()
    deadline = time.monotonic() + WAIT
    while len(results) < 9 and time.monotonic() < deadline:
        time.sleep(0.005)
    worker.stop()
    assert [r.decode_ms > 0 for r in results[:6]] == [True, False, False, True, False, False]
    with pytest.raises(ValueError):
        CameraWorker(source, make_decoder("zxing"), decode_every=0, **recorder.callbacks())


def _time_stop(worker: CameraWorker) -> float:
    started = time.monotonic()
    worker.stop()
    return time.monotonic() - started


def test_stop_is_prompt_while_pacing():
    source = FlakySource(open_results=[], reads_per_opening=[])
    source.fps = 0.2  # a 5 s frame period
    recorder = Recorder()
    worker = CameraWorker(source, make_decoder("zxing"), **recorder.callbacks())
    worker.start()
    recorder.wait_for(lambda: recorder.frames >= 1)
    assert _time_stop(worker) < 1.0
    assert not worker.is_alive()
    assert recorder.frames == 1  # paced: no second frame within the period


def test_stop_is_prompt_while_waiting_to_reopen():
    source = FlakySource(open_results=[False] * 100, reads_per_opening=[])
    recorder = Recorder()
    worker = CameraWorker(source, make_decoder("zxing"), reopen_interval_s=30, **recorder.callbacks())
    worker.start()
    recorder.wait_for(lambda: recorder.statuses)
    assert _time_stop(worker) < 1.0
    assert not worker.is_alive()


def test_stop_before_start_is_harmless():
    source = FlakySource(open_results=[], reads_per_opening=[])
    recorder = Recorder()
    worker = CameraWorker(source, make_decoder("zxing"), **recorder.callbacks())
    worker.stop()
    worker.start()
    worker.join(1.0)
    assert not worker.is_alive()
    assert source.open_calls == 0
