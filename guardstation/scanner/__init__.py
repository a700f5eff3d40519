"""QR scanning: decoder backends, frame sources, debouncing and the capture loop.

Free of Qt and of the rest of guardstation, so it can be tested and benchmarked alone.
"""

from guardstation.scanner.camera_worker import CameraWorker, FrameResult
from guardstation.scanner.debounce import Debouncer
from guardstation.scanner.decoders import (
    DECODER_NAMES,
    MAX_PAYLOAD_CHARS,
    DecodedCode,
    Decoder,
    DecoderUnavailable,
    available_decoders,
    make_decoder,
    safe_decode,
)
from guardstation.scanner.sources import (
    CameraUnavailable,
    FrameSource,
    ImageFolderSource,
    VideoFileSource,
    WebcamSource,
    open_source,
)

__all__ = [
    "DECODER_NAMES",
    "MAX_PAYLOAD_CHARS",
    "CameraUnavailable",
    "CameraWorker",
    "Debouncer",
    "DecodedCode",
    "Decoder",
    "DecoderUnavailable",
    "FrameResult",
    "FrameSource",
    "ImageFolderSource",
    "VideoFileSource",
    "WebcamSource",
    "available_decoders",
    "make_decoder",
    "open_source",
    "safe_decode",
]
