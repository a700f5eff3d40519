"""Fixtures for the scanner tests (prefixed `scanner_` so they cannot clash with other packages')."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pytest
import qrcode

from tests.helpers.paths import DATA as CORPUS_DIR  # tests/data/README.md says where the corpora come from


@pytest.fixture(scope="session")
def scanner_corpus_dir() -> Path:
    if not CORPUS_DIR.is_dir():
        pytest.fail(f"Test corpus not found at {CORPUS_DIR} (zxing-qr/ and dcc/, see tests/data/README.md)")
    return CORPUS_DIR


def make_qr_image(data: str | bytes, box_size: int = 8, border: int = 4) -> np.ndarray:
    """A clean BGR picture of a QR code holding `data` (bytes are encoded as-is)."""
    qr = qrcode.QRCode(box_size=box_size, border=border, error_correction=qrcode.constants.ERROR_CORRECT_L)
    qr.add_data(data)
    qr.make(fit=True)
    gray = np.array(qr.make_image().convert("L"), dtype=np.uint8)
    return cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)


@pytest.fixture
def scanner_qr_image() -> Callable[..., np.ndarray]:
    return make_qr_image


@pytest.fixture
def scanner_write_qr_png(tmp_path: Path) -> Callable[..., Path]:
    """Write a QR code PNG into tmp_path (or a given folder) and return its path."""

    def write(name: str, data: str | bytes, folder: Path | None = None) -> Path:
        path = (folder or tmp_path) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        assert cv2.imwrite(str(path), make_qr_image(data))
        return path

    return write
