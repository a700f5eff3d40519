"""Decoder speed on frames without a code: the common case at an entrance,
and the cost that decides how many frames per second the scan loop can keep up with."""

from __future__ import annotations

import statistics
import time

import cv2
import numpy as np

from guardstation.scanner.decoders import make_decoder, safe_decode

_WARMUP_RUNS = 3


def empty_frame(width: int, height: int, seed: int = 2024) -> np.ndarray:
    """A BGR frame with smooth random texture, like a desk or wall seen by a webcam.

    A flat colour would flatter the decoders: they bail out on it almost at once.
    """
    rng = np.random.default_rng(seed)
    coarse = rng.integers(0, 256, size=(height // 16 + 2, width // 16 + 2, 3), dtype=np.uint8)
    frame = cv2.resize(coarse, (width, height), interpolation=cv2.INTER_CUBIC)
    frame = cv2.GaussianBlur(frame, (0, 0), sigmaX=3)
    # Mild sensor noise, as every real camera frame has.
    noise = rng.normal(0.0, 4.0, size=frame.shape)
    return np.clip(frame.astype(np.float32) + noise, 0, 255).astype(np.uint8)


def measure_empty_frame_ms(decoder_name: str, width: int, height: int, repeats: int = 60) -> float:
    """Median milliseconds of safe_decode (BGR->gray included) on an empty frame."""
    if repeats < 1:
        raise ValueError("repeats must be >= 1")
    decoder = make_decoder(decoder_name)
    frame = empty_frame(width, height)
    for _ in range(_WARMUP_RUNS):
        safe_decode(decoder, frame)
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        safe_decode(decoder, frame)
        timings.append((time.perf_counter() - started) * 1000.0)
    return statistics.median(timings)
