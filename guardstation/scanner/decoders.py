"""QR decoder backends (zxing-cpp, pyzbar, OpenCV) behind one small interface.

Each backend imports its library lazily, so the app still starts when an
optional one (pyzbar + libzbar) is missing; `make_decoder` then raises
`DecoderUnavailable` with install instructions.

`safe_decode` is what the scan loop calls: it never raises and only returns
texts that are safe to hand to the rest of the app.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import cv2
import numpy as np

from guardstation.settings.schema import DECODERS

logger = logging.getLogger(__name__)

DECODER_NAMES = DECODERS

# Longer texts are dropped: no credential we read is anywhere near this, and a
# huge payload is more likely an attack on whatever parses it next.
MAX_PAYLOAD_CHARS = 8192

Corners = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class DecodedCode:
    text: str
    corners: Corners  # 4 points in frame pixel coordinates, for outlining


@runtime_checkable
class Decoder(Protocol):
    name: str

    def decode(self, gray: np.ndarray) -> list[DecodedCode]:
        """Decode all QR codes in a 2-D uint8 image. May raise."""
        ...


class DecoderUnavailable(RuntimeError):
    """The backend's library is not installed; the message says what to install."""


def _bytes_to_text(data: bytes) -> str | None:
    # QR byte mode carries no reliable charset: UTF-8 is what modern encoders
    # write; Shift_JIS still shows up on Japanese-made codes (see the corpus).
    for encoding in ("utf-8", "shift_jis"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _int_points(points: Any) -> Corners:
    return tuple((int(round(float(x))), int(round(float(y)))) for x, y in points)


def _four_corners(points: Any) -> Corners:
    """Reduce any polygon to 4 corners (zbar can report more for warped codes)."""
    pts = np.asarray(points, dtype=np.float32).reshape(-1, 2)
    if len(pts) == 4:
        return _int_points(pts)
    if len(pts) == 0:
        return ()
    return _int_points(cv2.boxPoints(cv2.minAreaRect(pts)))


class ZxingDecoder:
    """Default backend: the most robust and the fastest of the three.

    Measured on the 97 zxing-qr corpus photos, every option combination reads
    94/97, so the options are chosen for real camera frames instead:
    - try_downscale: a code held close to a 720p/1080p camera is large and blurry;
      without it only 28/97 corpus photos read after a 1.5x-of-1080p upscale (95 with it).
    - try_invert: light-on-dark codes (phones in dark mode) read 0/97 without it.
    - try_rotate: off; QR finder patterns are rotation-invariant (90-degree-rotated
      corpus photos read 94/97 either way) and it only matters for 1-D barcodes.
    Cost (safe_decode on bench_decoders.empty_frame, BGR->gray included): 1.4 ms at
    1280x720 and 3.4 ms at 1920x1080; with downscale and invert off 0.75 / 1.9 ms.
    """

    name = "zxing"

    def __init__(self, *, try_downscale: bool = True, try_invert: bool = True, try_rotate: bool = False) -> None:
        try:
            import zxingcpp
        except ImportError as exc:
            raise DecoderUnavailable("the zxing decoder needs `pip install zxing-cpp`") from exc
        self._read_barcodes = zxingcpp.read_barcodes
        self._options = dict(
            formats=zxingcpp.BarcodeFormat.QRCode,
            # Plain: the payload exactly as encoded. The default (HRI) rewrites
            # control characters as "<SOH>" etc., which corrupts credentials.
            text_mode=zxingcpp.TextMode.Plain,
            try_rotate=try_rotate,
            try_downscale=try_downscale,
            try_invert=try_invert,
        )

    def decode(self, gray: np.ndarray) -> list[DecodedCode]:
        codes = []
        for barcode in self._read_barcodes(gray, **self._options):
            pos = barcode.position
            corners = [(p.x, p.y) for p in (pos.top_left, pos.top_right, pos.bottom_right, pos.bottom_left)]
            codes.append(DecodedCode(barcode.text, _int_points(corners)))
        return codes


class PyzbarDecoder:
    """Optional backend (zbar). Reads fewer corpus photos (83/97) than zxing."""

    name = "pyzbar"

    def __init__(self) -> None:
        try:
            # pyzbar raises ImportError when the zbar shared library is missing.
            from pyzbar import pyzbar
        except (ImportError, OSError) as exc:
            raise DecoderUnavailable(
                "pyzbar needs the system zbar library (apt install libzbar0) and `pip install guardstation[zbar]`"
            ) from exc
        self._decode = pyzbar.decode
        self._symbols = [pyzbar.ZBarSymbol.QRCODE]

    def decode(self, gray: np.ndarray) -> list[DecodedCode]:
        codes = []
        for symbol in self._decode(gray, symbols=self._symbols):
            text = _bytes_to_text(symbol.data)
            if text is not None:
                codes.append(DecodedCode(text, _four_corners([(p.x, p.y) for p in symbol.polygon])))
        return codes


class OpenCvDecoder:
    """Fallback backend that needs nothing beyond OpenCV; the weakest reader (59/97)."""

    name = "opencv"

    def __init__(self) -> None:
        self._detector = cv2.QRCodeDetector()
        # The str variants raise UnicodeDecodeError on non-UTF-8 payloads and so
        # lose every code in the frame; the bytes variant (OpenCV >= 4.11) does not.
        self._detect_bytes = getattr(self._detector, "detectAndDecodeBytesMulti", None)

    def decode(self, gray: np.ndarray) -> list[DecodedCode]:
        if self._detect_bytes is not None:
            found, payloads, points, _ = self._detect_bytes(gray)
            texts = [_bytes_to_text(bytes(p)) for p in payloads] if found else []
        else:
            found, texts, points, _ = self._detector.detectAndDecodeMulti(gray)
            texts = list(texts) if found else []
        if not texts or points is None:
            return []
        # An empty text means "detected but could not decode".
        return [DecodedCode(text, _four_corners(quad)) for text, quad in zip(texts, points) if text]


_BACKENDS = {"zxing": ZxingDecoder, "pyzbar": PyzbarDecoder, "opencv": OpenCvDecoder}


def make_decoder(name: str = "zxing") -> Decoder:
    """Build a decoder by name; DecoderUnavailable if its library is missing."""
    key = name.strip().lower()
    if key not in _BACKENDS:
        raise ValueError(f"unknown decoder {name!r}; choose one of {', '.join(DECODER_NAMES)}")
    return _BACKENDS[key]()


def available_decoders() -> list[str]:
    names = []
    for name in DECODER_NAMES:
        try:
            make_decoder(name)
        except DecoderUnavailable:
            continue
        names.append(name)
    return names


_reported: set[tuple[str, str]] = set()
_reported_lock = threading.Lock()


def _first_time(key: tuple[str, str]) -> bool:
    with _reported_lock:
        if key in _reported:
            return False
        _reported.add(key)
        return True


def _to_gray(image: Any) -> np.ndarray | None:
    """BGR/BGRA/gray uint8 frame -> contiguous 2-D uint8, or None if unusable."""
    if not isinstance(image, np.ndarray) or image.dtype != np.uint8 or image.size == 0:
        return None
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[:, :, 0]
    if image.ndim == 2:
        return np.ascontiguousarray(image)
    if image.ndim == 3 and image.shape[2] == 3:
        return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    if image.ndim == 3 and image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_BGRA2GRAY)
    return None


def is_acceptable_text(text: Any) -> bool:
    """What the rest of the app may receive: bounded, NUL-free, encodable text."""
    if not isinstance(text, str) or not text or len(text) > MAX_PAYLOAD_CHARS or "\x00" in text:
        return False
    try:
        text.encode("utf-8")  # fails on lone surrogates
    except UnicodeEncodeError:
        return False
    return True


def safe_decode(decoder: Decoder, image: Any) -> list[DecodedCode]:
    """Decode a BGR or gray frame; never raises (a bad frame must not kill the scan loop)."""
    name = getattr(decoder, "name", type(decoder).__name__)
    gray = _to_gray(image)
    if gray is None:
        kind = f"{type(image).__name__} {getattr(image, 'dtype', '')} {getattr(image, 'shape', '')}"
        if _first_time((name, f"unsupported frame {kind}")):
            logger.warning("%s: ignoring unsupported frame (%s); expected a uint8 BGR or gray image", name, kind)
        return []
    try:
        codes = decoder.decode(gray)
        return [
            DecodedCode(code.text, tuple((int(x), int(y)) for x, y in code.corners))
            for code in codes
            if is_acceptable_text(code.text)
        ]
    except Exception as exc:
        # Log each kind of failure once: the same broken frame source would
        # otherwise flood the log at 30 lines per second.
        if _first_time((name, type(exc).__qualname__)):
            logger.exception("%s decoder failed on a frame; such frames are skipped", name)
        else:
            logger.debug("%s decoder failed again: %r", name, exc)
        return []
