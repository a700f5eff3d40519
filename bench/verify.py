"""Full verification throughput per format on one core: `python -m bench verify`.

Each figure is parse + signature + validity + schema/content for one valid
credential, through the same `parse_and_verify` the station uses; a rejected
(forged) HC1 is measured too, since forgeries must not be a cheap way to slow
the gate down.
"""

from __future__ import annotations

import argparse
import time
import zlib
from collections.abc import Callable
from typing import Any

import base45
import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from bench.common import environment_info, fmt, format_rows, goal_line
from bench.samples import DEFAULT_AT, Sample, sample_dcc, sample_gspass, sample_shc
from guardstation.credentials.trust import TrustStore
from guardstation.credentials.verify import parse_and_verify

GOAL_HC1_PER_S = 1000.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seconds", type=float, default=2.0, help="measuring time per format (default 2)")


def _rate(call: Callable[[], Any], seconds: float) -> float:
    """Calls per second over the best of three windows (the least disturbed by other processes)."""
    call()  # warm caches (schema compilation, imports)
    best = 0.0
    for _ in range(3):
        count, started = 0, time.perf_counter()
        deadline = started + seconds / 3
        while True:
            for _ in range(20):
                call()
            count += 20
            now = time.perf_counter()
            if now >= deadline:
                break
        best = max(best, count / (now - started))
    return best


def _verifier(sample: Sample, text: str | None = None) -> Callable[[], Any]:
    trust = TrustStore([sample.key])
    text = text or sample.text
    if text == sample.text:
        assert parse_and_verify(text, trust, sample.at).trusted, "sample must verify"
    return lambda: parse_and_verify(text, trust, sample.at)


def _forge(hc1_text: str) -> str:
    """The same certificate with one signature bit flipped: reaches (and fails) the signature check."""
    message = cbor2.loads(zlib.decompress(base45.b45decode(hc1_text[4:])))
    protected, unprotected, payload, signature = message.value
    signature = bytes([signature[0] ^ 1]) + signature[1:]
    data = cbor2.dumps(cbor2.CBORTag(18, [protected, dict(unprotected), payload, signature]))
    return "HC1:" + base45.b45encode(zlib.compress(data, 9)).decode("ascii")


def _raw_ecdsa_verifier() -> Callable[[], Any]:
    """The floor: one bare P-256 signature check, what any HC1 verification must at least pay."""
    key = ec.generate_private_key(ec.SECP256R1())
    signature = key.sign(b"baseline", ec.ECDSA(hashes.SHA256()))
    public = key.public_key()
    return lambda: public.verify(signature, b"baseline", ec.ECDSA(hashes.SHA256()))


def run(args: argparse.Namespace) -> dict[str, Any]:
    at = DEFAULT_AT
    dcc = sample_dcc(at)
    forged = _forge(dcc.text)
    assert parse_and_verify(forged, TrustStore([dcc.key]), at).failure.code == "bad_signature"
    raw = _rate(_raw_ecdsa_verifier(), args.seconds)
    result = {
        "benchmark": "verify",
        "hc1_per_s": _rate(_verifier(dcc), args.seconds),
        "hc1_forged_per_s": _rate(_verifier(dcc, forged), args.seconds),
        "raw_ecdsa_p256_verify_per_s": raw,
        "shc_per_s": _rate(_verifier(sample_shc(at)), args.seconds),
        "gspass_per_s": _rate(_verifier(sample_gspass(at)), args.seconds),
        "goals": {"hc1_per_s": GOAL_HC1_PER_S},
        **environment_info(),
    }
    result["hc1_cost_vs_raw_ecdsa"] = raw / result["hc1_per_s"]  # how many bare signature checks one HC1 costs
    result["goals_met"] = {"hc1_per_s": result["hc1_per_s"] >= GOAL_HC1_PER_S}
    return result


def format_table(r: dict[str, Any]) -> str:
    return format_rows(
        "verify (full verification, one core)",
        [
            ("hc1_per_s", fmt(r["hc1_per_s"], 0), goal_line(r["hc1_per_s"], GOAL_HC1_PER_S, at_most=False)),
            ("hc1_forged_per_s", fmt(r["hc1_forged_per_s"], 0), "one signature bit flipped"),
            ("raw_ecdsa_p256_verify_per_s", fmt(r["raw_ecdsa_p256_verify_per_s"], 0), "baseline, same run"),
            ("hc1_cost_vs_raw_ecdsa", fmt(r["hc1_cost_vs_raw_ecdsa"], 2), "HC1 cost in bare signature checks"),
            ("shc_per_s", fmt(r["shc_per_s"], 0), ""),
            ("gspass_per_s", fmt(r["gspass_per_s"], 0), ""),
        ],
    )
