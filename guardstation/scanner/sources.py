"""Frame sources ("cameras"): a webcam, a video file, or a folder of images.

The image folder source lets the app be demonstrated, trained on and tested
without a camera: it plays pictures of codes as if they were held up to one.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Protocol, runtime_checkable

import cv2
import numpy as np

logger = logging.getLogger(__name__)

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp")
CANVAS_SIZE = (1280, 720)  # (width, height) of every ImageFolderSource frame
BLANK_GREY = 220  # light, so it also serves as the quiet zone around a tightly cropped code
# Frame counts are derived from this rate when fps=0 (unpaced playback).
NOMINAL_FPS = 10.0


class CameraUnavailable(RuntimeError):
    """The source cannot be opened; the message is meant for the guard."""


@runtime_checkable
class FrameSource(Protocol):
    description: str
    fps: float  # pacing the worker should use (0 = as fast as possible)

    def open(self) -> None: ...

    def read(self) -> np.ndarray | None: ...

    def close(self) -> None: ...


class WebcamSource:
    def __init__(self, index: int, width: int = 1280, height: int = 720, api_preference: int = cv2.CAP_ANY) -> None:
        self.index = index
        self.width = width
        self.height = height
        self.api_preference = api_preference
        self.description = f"Camera {index}"
        self.fps = 0.0  # read() already blocks at the camera's own frame rate
        self._capture: cv2.VideoCapture | None = None

    def open(self) -> None:
        self.close()
        capture = cv2.VideoCapture(self.index, self.api_preference)
        if not capture.isOpened():
            capture.release()
            raise CameraUnavailable(
                f"Camera {self.index} could not be opened. Is it plugged in and not in use by another program?"
            )
        capture.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
        capture.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
        # A short driver queue keeps the preview live instead of seconds behind.
        capture.set(cv2.CAP_PROP_BUFFERSIZE, 1)
        self._capture = capture

    def read(self) -> np.ndarray | None:
        if self._capture is None:
            return None
        ok, frame = self._capture.read()
        return frame if ok and frame is not None else None

    def close(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None


class VideoFileSource:
    def __init__(self, path: str | os.PathLike[str], loop: bool = True, fps: float | None = None) -> None:
        """fps=None plays at the file's own frame rate."""
        self.path = Path(path)
        self.loop = loop
        self._requested_fps = fps
        self.description = f"Video {self.path.name}"
        self.fps = fps or 0.0
        self._capture: cv2.VideoCapture | None = None

    def open(self) -> None:
        self.close()
        capture = cv2.VideoCapture(str(self.path))
        if not capture.isOpened():
            capture.release()
            raise CameraUnavailable(f"Video {self.path} could not be opened (missing or unsupported format)")
        if self._requested_fps is None:
            file_fps = capture.get(cv2.CAP_PROP_FPS)
            self.fps = float(file_fps) if 0 < file_fps < 1000 else 25.0
        self._capture = capture

    def read(self) -> np.ndarray | None:
        if self._capture is None:
            return None
        ok, frame = self._capture.read()
        if not ok and self.loop:
            # Reopening is more reliable than seeking to frame 0 across backends.
            self.open()
            ok, frame = self._capture.read()
        return frame if ok and frame is not None else None

    def close(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None


def load_bgr_image(path: Path) -> np.ndarray | None:
    """Read an image file as 8-bit BGR, or None if it cannot be decoded."""
    try:
        # np.fromfile + imdecode, because cv2.imread fails on non-ASCII paths on Windows.
        image = cv2.imdecode(np.fromfile(path, dtype=np.uint8), cv2.IMREAD_UNCHANGED)
    except (OSError, ValueError, cv2.error):
        return None
    if image is None or image.size == 0:
        return None
    if image.dtype == np.uint16:
        image = (image >> 8).astype(np.uint8)
    elif image.dtype != np.uint8:
        return None
    if image.ndim == 2:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    if image.shape[2] == 4:
        # Composite transparent PNGs onto white: a QR with a transparent
        # background would otherwise turn black-on-black.
        alpha = image[:, :, 3:4].astype(np.float32) / 255.0
        return (image[:, :, :3] * alpha + 255.0 * (1.0 - alpha)).astype(np.uint8)
    return image[:, :, :3]


def letterbox(image: np.ndarray, size: tuple[int, int] = CANVAS_SIZE, fill: int = BLANK_GREY) -> np.ndarray:
    """Centre `image` on a fixed-size canvas, shrinking it to fit if needed.

    Small images are not enlarged: upscaling only blurs a small code.
    """
    width, height = size
    h, w = image.shape[:2]
    scale = min(1.0, width / w, height / h)
    if scale < 1.0:
        w, h = max(1, round(w * scale)), max(1, round(h * scale))
        image = cv2.resize(image, (w, h), interpolation=cv2.INTER_AREA)
    canvas = np.full((height, width, 3), fill, dtype=np.uint8)
    top, left = (height - h) // 2, (width - w) // 2
    canvas[top : top + h, left : left + w] = image
    return canvas


class ImageFolderSource:
    """Plays a folder of images (or one image file) as a camera.

    Each image is shown for `seconds_per_image`, then blank frames for
    `gap_seconds`, so consecutive pictures are separate appearances. (The same
    code twice in a row scans twice only if the gap is longer than the
    Debouncer's cooldown, 3 s by default.) Timing is
    counted in frames, not wall-clock time, so playback is reproducible; fps=0
    plays the same frames unpaced (frame counts then use NOMINAL_FPS).
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        seconds_per_image: float = 1.5,
        gap_seconds: float = 0.6,
        fps: float = 10.0,
        loop: bool = True,
    ) -> None:
        self.path = Path(path)
        self.fps = fps
        self.loop = loop
        timeline_fps = fps if fps > 0 else NOMINAL_FPS
        self.hold_frames = max(1, round(seconds_per_image * timeline_fps))
        self.gap_frames = max(0, round(gap_seconds * timeline_fps))
        self.description = f"Images {self.path.name}"
        self._images: list[Path] = []
        self._position = 0  # frame index within one pass over the images
        self._current: tuple[int, np.ndarray] | None = None  # (image index, letterboxed frame)
        self._blank = np.full((CANVAS_SIZE[1], CANVAS_SIZE[0], 3), BLANK_GREY, dtype=np.uint8)
        self._opened = False

    @property
    def images(self) -> tuple[Path, ...]:
        """The readable images being played, in order (known after open())."""
        return tuple(self._images)

    def open(self) -> None:
        if self.path.is_dir():
            candidates = sorted(
                (p for p in self.path.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES),
                key=lambda p: p.name,
            )
        elif self.path.is_file():
            candidates = [self.path]
        else:
            raise CameraUnavailable(f"Image folder {self.path} not found")
        # Check every file up front so a bad one is reported once, not on every loop.
        self._images = [p for p in candidates if self._is_readable(p)]
        if not self._images:
            raise CameraUnavailable(f"No readable images ({', '.join(IMAGE_SUFFIXES)}) in {self.path}")
        self._position = 0
        self._current = None
        self._opened = True

    def read(self) -> np.ndarray | None:
        if not self._opened:
            return None
        frames_per_image = self.hold_frames + self.gap_frames
        if self._position >= frames_per_image * len(self._images):
            if not self.loop:
                return None
            self._position = 0
        index, offset = divmod(self._position, frames_per_image)
        self._position += 1
        if offset >= self.hold_frames:
            return self._blank.copy()
        # Copies: callers may draw outlines on the frame they receive.
        return self._frame_for(index).copy()

    def close(self) -> None:
        self._opened = False
        self._current = None

    def _frame_for(self, index: int) -> np.ndarray:
        # Only the current image is kept in memory; folders can be large.
        if self._current is None or self._current[0] != index:
            image = load_bgr_image(self._images[index])
            if image is None:  # deleted or changed since open()
                logger.warning("Image %s is no longer readable; showing a blank frame", self._images[index])
                frame = self._blank
            else:
                frame = letterbox(image)
            self._current = (index, frame)
        return self._current[1]

    @staticmethod
    def _is_readable(path: Path) -> bool:
        if load_bgr_image(path) is None:
            logger.warning("Skipping unreadable image %s", path)
            return False
        return True


def open_source(spec: str | int | os.PathLike[str], **kw) -> FrameSource:
    """Pick a source from a camera index, a folder, an image file or a video file.

    The source is returned unopened; the camera worker opens it.
    """
    if isinstance(spec, int) and not isinstance(spec, bool):
        return WebcamSource(spec, **kw)
    if isinstance(spec, str) and spec.strip().isdigit():
        return WebcamSource(int(spec.strip()), **kw)
    path = Path(spec)
    if path.is_dir():
        return ImageFolderSource(path, **kw)
    if path.is_file():
        if path.suffix.lower() in IMAGE_SUFFIXES:
            return ImageFolderSource(path, **kw)
        return VideoFileSource(path, **kw)
    raise CameraUnavailable(f"{spec} not found (expected a camera number, an image folder, an image or a video file)")
