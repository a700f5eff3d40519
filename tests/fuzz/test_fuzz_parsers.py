"""Mutation fuzzing of every parser the station exposes to the outside world.

Each format gets mutated inputs at three depths: the raw QR text, and the
bytes inside its transport encoding (base45 / numeric / JSON), re-encoded so
the mutation reaches the CBOR, COSE, JWS and schema layers. Zero uncaught
exceptions; every rejection carries a known reason code. CI runs a short
pass; `-m slow` runs 100,000 inputs per format. The seed is printed.
"""

from __future__ import annotations

import base64
import json
import os
import random
import zlib
from datetime import UTC, datetime

import base45
import pytest

from guardstation.credentials.trust import TrustStore
from guardstation.credentials.verify import parse_and_verify
from guardstation.domain.reasons import known_codes
from tests.helpers.passes import sample_gspass, sample_shc

SHORT_RUN = int(os.environ.get("GUARDSTATION_FUZZ_N", "1500"))
LONG_RUN = 100_000
SEED = int(os.environ.get("GUARDSTATION_FUZZ_SEED", "20261123"))
AT = datetime(2021, 6, 1, tzinfo=UTC)
KNOWN = set(known_codes())


def mutate_bytes(rng: random.Random, data: bytes) -> bytes:
    data = bytearray(data)
    for _ in range(rng.choice((1, 1, 1, 2, 3, 8))):
        op = rng.randrange(6)
        pos = rng.randrange(len(data) + 1)
        if op == 0 and data:
            data[min(pos, len(data) - 1)] ^= 1 << rng.randrange(8)
        elif op == 1:
            data[pos:pos] = bytes([rng.randrange(256)])
        elif op == 2 and data:
            del data[min(pos, len(data) - 1)]
        elif op == 3:
            del data[pos:]
        elif op == 4 and data:
            data[min(pos, len(data) - 1)] = rng.choice((0, 0xFF, 0x7F, 0x80, 0x1F, 0x20))
        else:
            chunk = bytes(data[pos : pos + rng.randrange(1, 16)])
            data[pos:pos] = chunk * rng.randrange(1, 4)
    return bytes(data)


def mutate_text(rng: random.Random, text: str) -> str:
    return mutate_bytes(rng, text.encode("utf-8")).decode("utf-8", "replace")


def hc1_variants(rng: random.Random, text: str) -> str:
    body = text[4:]
    depth = rng.randrange(3)
    if depth == 0:
        return mutate_text(rng, text)
    raw = base45.b45decode(body)
    if depth == 1:  # damage the zlib stream itself
        return "HC1:" + base45.b45encode(mutate_bytes(rng, raw)).decode()
    inner = zlib.decompress(raw) if raw[:1] == b"\x78" else raw
    return "HC1:" + base45.b45encode(zlib.compress(mutate_bytes(rng, inner))).decode()


def gspass_variants(rng: random.Random, text: str) -> str:
    if rng.random() < 0.5:
        return mutate_text(rng, text)
    return "GS1:" + base45.b45encode(mutate_bytes(rng, base45.b45decode(text[4:]))).decode()


def shc_variants(rng: random.Random, text: str) -> str:
    if rng.random() < 0.4:
        return mutate_text(rng, text)
    jws = "".join(chr(int(text[i : i + 2]) + 45) for i in range(5, len(text), 2))
    parts = jws.split(".")
    which = rng.randrange(len(parts))
    if which == 1 and rng.random() < 0.7:  # reach the JSON/FHIR layer: mutate the inflated payload
        padded = parts[1] + "=" * (-len(parts[1]) % 4)
        inflated = zlib.decompress(base64.urlsafe_b64decode(padded), -15)
        compressor = zlib.compressobj(wbits=-15)
        deflated = compressor.compress(mutate_bytes(rng, inflated)) + compressor.flush()
        parts[1] = base64.urlsafe_b64encode(deflated).decode().rstrip("=")
    else:
        parts[which] = mutate_text(rng, parts[which])
    mutated = ".".join(parts)
    return "shc:/" + "".join(f"{ord(c) - 45:02d}" if 45 <= ord(c) <= 144 else "99" for c in mutated)


def assert_answered(credential, text):
    if credential.failure is None:
        assert credential.signed, f"unsigned credential trusted: {text[:120]!r}"
    else:
        assert credential.failure.code in KNOWN, f"unknown reason {credential.failure.code!r} for {text[:120]!r}"


def run(fmt: str, seeds: list[str], variants, trust: TrustStore, count: int, at: datetime = AT) -> dict:
    rng = random.Random(f"{SEED}-{fmt}")
    print(f"\nfuzz {fmt}: seed {SEED}, {count} inputs")
    trusted = 0
    for i in range(count):
        text = variants(rng, rng.choice(seeds))
        try:
            credential = parse_and_verify(text, trust, at)
        except Exception as exc:  # the point of the test: report the input that broke it
            raise AssertionError(f"{fmt} input #{i} (seed {SEED}) raised {exc!r}: {text[:200]!r}") from exc
        assert_answered(credential, text)
        trusted += credential.failure is None
    return {"inputs": count, "trusted": trusted}


# --- seeds: one valid credential per format, with the trust store that accepts it -------------------


def dcc_seed(corpus_dir):
    from guardstation.credentials.x509_keys import dcc_trusted_key, load_certificates

    case = json.loads((corpus_dir / "dcc" / "AT" / "2DCode" / "raw" / "1.json").read_text("utf-8"))
    trust = TrustStore([dcc_trusted_key(c) for c in load_certificates(case["TESTCTX"]["CERTIFICATE"])])
    at = datetime.fromisoformat(case["TESTCTX"]["VALIDATIONCLOCK"])
    assert parse_and_verify(case["PREFIX"], trust, at).trusted, "the DCC seed must verify, or the fuzz is shallow"
    return [case["PREFIX"]], trust, at


def _sample_seed(make):
    sample = make(AT)
    trust = TrustStore([sample.key])
    assert parse_and_verify(sample.text, trust, AT).trusted, "the seed must verify, or the fuzz is shallow"
    return [sample.text], trust


def shc_seed():
    return _sample_seed(sample_shc)


def gspass_seed():
    return _sample_seed(sample_gspass)


OTHER_SEEDS = [
    "https://e.coronawarn.app/?v=1#CAESJQgBEgpBZ3dheSBJbmMuGhExNTk0IERlZmZlIEF2ZW51ZSgAMAAadggBEmA4xNrp5hKJoO_y",
    "https://qr.notifyme.ch/?v=2#CAISHAgCEhBDb25mZXJlbmNlIFJvb20aBlN3aXNzIBoSAQIDGnY",
    "UKC19TRACING:1:eyJ0eXAiOiJKV1QiLCJhbGciOiJFUzI1NiIsImtpZCI6IllycUxlIn0.eyJpZCI6IjRXVDU5TTVZIiwib3BuIjoiR292",
    "NZCOVIDTRACER:eyJnbG4iOiI5NDI5MDQ0OTM5NjkxIiwidmVyIjoiYzE5OjEiLCJ0eXAiOiJlbnRyeSIsIm9wbiI6IkNvdW50ZG93biJ9",
    "https://www.safeentry-qr.gov.sg/tenant/PROD-200604346E-162425-SINGAPOREPOLICEFORCE-SE",
    "https://app.luca-app.de/webapp/3a0f0d2a-7cb3-4a43-bb07-3f0e0b0e5c58",
    "https://pedulilindungi.id/check-in/qr/ABC123",
    "3513011708800008",
    "Selamat datang di Pendopo",
    "https://example.com/promo",
]


def test_gspass_fuzz_short():
    seeds, trust = gspass_seed()
    assert run("gspass", seeds, gspass_variants, trust, SHORT_RUN)["inputs"] == SHORT_RUN


def test_dcc_fuzz_short(corpus):
    seeds, trust, at = dcc_seed(corpus)
    assert run("dcc", seeds, hc1_variants, trust, SHORT_RUN, at)["inputs"] == SHORT_RUN


def test_shc_fuzz_short():
    seeds, trust = shc_seed()
    assert run("shc", seeds, shc_variants, trust, SHORT_RUN)["inputs"] == SHORT_RUN


def test_other_codes_fuzz_short():
    stats = run("other", OTHER_SEEDS, lambda rng, t: mutate_text(rng, t), TrustStore(), SHORT_RUN)
    assert stats["trusted"] == 0  # nothing unsigned is ever trusted


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["gspass", "dcc", "shc", "other"])
def test_fuzz_long(fmt, corpus):
    if fmt == "gspass":
        seeds, trust = gspass_seed()
        stats = run(fmt, seeds, gspass_variants, trust, LONG_RUN)
    elif fmt == "dcc":
        seeds, trust, at = dcc_seed(corpus)
        stats = run(fmt, seeds, hc1_variants, trust, LONG_RUN, at)
    elif fmt == "shc":
        seeds, trust = shc_seed()
        stats = run(fmt, seeds, shc_variants, trust, LONG_RUN)
    else:
        stats = run(fmt, OTHER_SEEDS, lambda rng, t: mutate_text(rng, t), TrustStore(), LONG_RUN)
        assert stats["trusted"] == 0
    assert stats["inputs"] == LONG_RUN
