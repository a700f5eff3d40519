"""safe_decode must never raise and must only pass on safe text, whatever the frame holds."""

from __future__ import annotations

import logging
import sys
import uuid

import numpy as np
import pytest

from guardstation.scanner import (
    DECODER_NAMES,
    MAX_PAYLOAD_CHARS,
    DecodedCode,
    DecoderUnavailable,
    available_decoders,
    make_decoder,
    safe_decode,
)

BACKENDS = available_decoders()
SQUARE = ((0, 0), (10, 0), (10, 10), (0, 10))


def _hostile_frames() -> dict[str, object]:
    rng = np.random.default_rng(7)
    noise = rng.integers(0, 256, size=(720, 1280, 3), dtype=np.uint8)
    return {
        "noise_bgr": noise,
        "noise_gray": noise[:, :, 0].copy(),
        "black": np.zeros((720, 1280, 3), np.uint8),
        "white": np.full((720, 1280), 255, np.uint8),
        "1x1": np.zeros((1, 1), np.uint8),
        "1x1x3": np.zeros((1, 1, 3), np.uint8),
        "0x0": np.zeros((0, 0), np.uint8),
        "huge_4000x3000": rng.integers(0, 256, size=(3000, 4000), dtype=np.uint8),
        "float64": rng.random((480, 640)),
        "uint16": rng.integers(0, 65535, size=(480, 640), dtype=np.uint16),
        "bool": np.ones((100, 100), dtype=bool),
        "bgra": np.zeros((100, 100, 4), np.uint8),
        "two_channels": np.zeros((100, 100, 2), np.uint8),
        "4d": np.zeros((2, 10, 10, 3), np.uint8),
        "1d": np.zeros(100, np.uint8),
        "non_contiguous": noise[::2, ::3],
        "none": None,
        "list": [[0, 1], [1, 0]],
        "bytes": b"\x89PNG",
    }


def test_all_backends_available_here():
    # The venv has all three; if one is missing the hostile tests below would silently shrink.
    assert BACKENDS == list(DECODER_NAMES)


@pytest.mark.parametrize("backend", BACKENDS)
def test_hostile_frames_never_raise(backend):
    decoder = make_decoder(backend)
    for label, frame in _hostile_frames().items():
        codes = safe_decode(decoder, frame)
        assert isinstance(codes, list), label
        assert codes == [], label


@pytest.mark.parametrize("backend", BACKENDS)
def test_invalid_utf8_payload_never_raises(backend, scanner_qr_image):
    image = scanner_qr_image(b"\xff\xfe\x80 \xed\xa0\x80 \xc3(")
    for code in safe_decode(make_decoder(backend), image):
        # QR byte mode has no mandatory charset, so a backend may legitimately
        # return Latin-1 text; it just has to be clean, encodable text.
        code.text.encode("utf-8")
        assert "\x00" not in code.text


@pytest.mark.parametrize("backend", BACKENDS)
def test_payload_with_nul_is_dropped(backend, scanner_qr_image):
    assert safe_decode(make_decoder(backend), scanner_qr_image(b"GUEST-1\x00; DROP TABLE")) == []


@pytest.mark.parametrize("backend", BACKENDS)
def test_control_characters_are_kept(backend, scanner_qr_image):
    # GS1-style separators are real payload bytes: nothing but NUL is stripped.
    texts = [c.text for c in safe_decode(make_decoder(backend), scanner_qr_image("ID\x1d123\x1e456"))]
    assert texts in ([], ["ID\x1d123\x1e456"])  # opencv may miss it, but never mangles it
    if backend != "opencv":
        assert texts == ["ID\x1d123\x1e456"]


def test_largest_possible_qr_passes_under_the_limit(scanner_qr_image):
    # 10,000 characters cannot fit in any QR code (version 40 holds at most 7089
    # digits), so the over-limit case is exercised with a fake decoder below.
    digits = "".join(str(i % 10) for i in range(7089))
    codes = safe_decode(make_decoder("zxing"), scanner_qr_image(digits, box_size=4))
    assert [c.text for c in codes] == [digits]


class _FakeDecoder:
    name = "fake"

    def __init__(self, texts):
        self.texts = texts

    def decode(self, gray):
        return [DecodedCode(text, ((np.int64(1), np.float32(2.0)),) * 4) for text in self.texts]


def test_unsafe_texts_are_dropped_and_the_rest_kept():
    gray = np.zeros((10, 10), np.uint8)
    too_long = "x" * 10_000
    at_limit = "y" * MAX_PAYLOAD_CHARS
    lone_surrogate = "abc\ud800"
    decoder = _FakeDecoder([too_long, "ok \r\n text ", "", "nul\x00", lone_surrogate, at_limit])
    codes = safe_decode(decoder, gray)
    assert [c.text for c in codes] == ["ok \r\n text ", at_limit]
    assert all(type(v) is int for c in codes for point in c.corners for v in point)


class _RaisingDecoder:
    def __init__(self, exc, name):
        self.exc = exc
        self.name = name

    def decode(self, gray):
        raise self.exc


def test_backend_errors_are_logged_once_per_type(caplog):
    gray = np.zeros((10, 10), np.uint8)
    name = f"raising-{uuid.uuid4()}"  # "once" is per process; stay independent of other runs
    with caplog.at_level(logging.DEBUG, logger="guardstation.scanner.decoders"):
        for _ in range(3):
            assert safe_decode(_RaisingDecoder(ValueError("bad frame"), name), gray) == []
        assert safe_decode(_RaisingDecoder(MemoryError(), name), gray) == []
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 2
    assert all(r.exc_info for r in errors)


def test_make_decoder_rejects_unknown_names():
    with pytest.raises(ValueError, match="zxing"):
        make_decoder("quagga")
    assert make_decoder(" ZXing ").name == "zxing"


def test_missing_pyzbar_raises_decoder_unavailable(monkeypatch):
    monkeypatch.setitem(sys.modules, "pyzbar", None)  # makes `import pyzbar` fail
    monkeypatch.setitem(sys.modules, "pyzbar.pyzbar", None)
    with pytest.raises(DecoderUnavailable, match="libzbar0"):
        make_decoder("pyzbar")
    assert "pyzbar" not in available_decoders()
