"""Decoder accuracy on real photos (zxing blackbox corpus) and on EU DCC test-vector pictures."""

from __future__ import annotations

import base64
import json
from collections import Counter
from pathlib import Path

import cv2
import numpy as np

from guardstation.scanner import DecodedCode, make_decoder, safe_decode

ZXING_CORPUS_SIZE = 97


def _zxing_corpus(corpus: Path) -> list[tuple[str, Path, str]]:
    cases = []
    for folder in sorted((corpus / "zxing-qr").glob("qrcode-*")):
        for image in sorted(folder.glob("*.png"), key=lambda p: int(p.stem)):
            expected = image.with_suffix(".txt").read_text(encoding="utf-8")
            cases.append((folder.name, image, expected))
    assert len(cases) == ZXING_CORPUS_SIZE, f"expected {ZXING_CORPUS_SIZE} corpus photos, found {len(cases)}"
    return cases


def _count_reads(decoder_name: str, corpus: Path) -> Counter[str]:
    decoder = make_decoder(decoder_name)
    reads: Counter[str] = Counter()
    for folder, image_path, expected in _zxing_corpus(corpus):
        image = cv2.imread(str(image_path), cv2.IMREAD_COLOR)  # BGR, like a camera frame
        codes = safe_decode(decoder, image)
        # The .txt files store line ends as "\n" but several codes really hold
        # "\r\n" (zxing and zbar both return it), so normalise the decoded side only.
        if any(code.text.replace("\r\n", "\n") == expected for code in codes):
            reads[folder] += 1
    print(f"{decoder_name}: {dict(sorted(reads.items()))} = {sum(reads.values())}/{ZXING_CORPUS_SIZE}")
    return reads


def test_zxing_reads_corpus_photos(scanner_corpus_dir):
    # Measured: qrcode-1 20/20, qrcode-2 32/35, qrcode-3 42/42 = 94/97.
    assert sum(_count_reads("zxing", scanner_corpus_dir).values()) >= 93


def test_pyzbar_reads_corpus_photos(scanner_corpus_dir):
    # Measured 83/97 (zbar mis-guesses the charset of the Shift_JIS codes in qrcode-2).
    assert sum(_count_reads("pyzbar", scanner_corpus_dir).values()) >= 75


def test_opencv_reads_corpus_photos(scanner_corpus_dir):
    # Measured 58/97 (9 + 13 + 36) with OpenCV 5.0 detectAndDecodeBytesMulti on BGR frames.
    assert sum(_count_reads("opencv", scanner_corpus_dir).values()) >= 55


def test_corpus_corners_are_plain_ints_inside_the_frame(scanner_corpus_dir):
    image = cv2.imread(str(scanner_corpus_dir / "zxing-qr" / "qrcode-1" / "1.png"))
    for name in ("zxing", "pyzbar", "opencv"):
        codes = safe_decode(make_decoder(name), image)
        assert codes, name
        code = codes[0]
        assert isinstance(code, DecodedCode)
        assert len(code.corners) == 4
        for x, y in code.corners:
            assert type(x) is int and type(y) is int
            assert -5 <= x <= image.shape[1] + 5 and -5 <= y <= image.shape[0] + 5


# These pictures hold a different (valid) HC1 text than their PREFIX: the
# upstream test data was regenerated for one and not the other. They carry no
# EXPECTEDPICTUREDECODE, so they are checked separately below.
DCC_PICTURE_TEXT_MISMATCHES = {"ES/2DCode/raw/501.json", "ES/2DCode/raw/502.json", "ES/2DCode/raw/503.json"}
# The brief (and corpus README) say 81; that count misses the 42 under PL/<version>/.
DCC_PICTURE_CASES = 123


def _dcc_cases(corpus: Path) -> list[tuple[str, dict]]:
    dcc = corpus / "dcc"
    cases = []
    for path in sorted(dcc.rglob("*.json")):
        if path.parent.name == "raw" and path.parent.parent.name == "2DCode":
            case = json.loads(path.read_text(encoding="utf-8"))
            if case.get("2DCODE"):
                cases.append((path.relative_to(dcc).as_posix(), case))
    return cases


def _decode_png(b64: str) -> np.ndarray | None:
    try:
        data = base64.b64decode(b64)
    except ValueError:
        return None
    return cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_COLOR)


def test_dcc_pictures_decode_to_their_prefix(scanner_corpus_dir):
    zxing = make_decoder("zxing")
    zbar = make_decoder("pyzbar")
    cases = _dcc_cases(scanner_corpus_dir)
    assert len(cases) == DCC_PICTURE_CASES

    failures = []
    checked = Counter()
    for name, case in cases:
        image = _decode_png(case["2DCODE"])
        texts = [code.text for code in safe_decode(zxing, image)] if image is not None else []
        must_decode = case.get("EXPECTEDRESULTS", {}).get("EXPECTEDPICTUREDECODE", True)
        if name in DCC_PICTURE_TEXT_MISMATCHES:
            # Prove it is the data, not the decoder: zbar independently reads the same text.
            zbar_texts = [code.text for code in safe_decode(zbar, image)]
            ok = len(texts) == 1 and texts[0].startswith("HC1:") and texts[0] != case["PREFIX"] and zbar_texts == texts
            checked["known mismatch"] += 1
        elif must_decode:
            ok = texts == [case["PREFIX"]]
            checked["decodes to PREFIX"] += 1
        else:  # e.g. common/2DCode/raw/Q1.json: the picture does not match its text
            ok = case["PREFIX"] not in texts
            checked["must not decode to PREFIX"] += 1
        if not ok:
            failures.append(f"{name}: got {[t[:40] for t in texts]}, PREFIX {case['PREFIX'][:40]}")
    print(dict(checked))
    assert not failures, "\n".join(failures)
    assert checked == {"decodes to PREFIX": 119, "must not decode to PREFIX": 1, "known mismatch": 3}
