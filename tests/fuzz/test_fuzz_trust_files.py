"""Mutation fuzzing of trust imports: every file is either imported whole or refused with a message."""

from __future__ import annotations

import json
import random

import pytest

from guardstation.credentials.trust_files import parse_trust_file
from guardstation.credentials.x509_keys import TrustImportError

from .test_fuzz_parsers import LONG_RUN, SEED, SHORT_RUN, mutate_bytes


def seeds(corpus_dir) -> list[bytes]:
    import base64

    from cryptography.hazmat.primitives.asymmetric import ec

    from guardstation.credentials.jwks import jwk_for, thumbprint

    case = json.loads((corpus_dir / "dcc" / "DE" / "2DCode" / "raw" / "1.json").read_text("utf-8"))
    der = base64.b64decode(case["TESTCTX"]["CERTIFICATE"])
    pem = b"-----BEGIN CERTIFICATE-----\n" + base64.encodebytes(der) + b"-----END CERTIFICATE-----\n"
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    jwk = {**jwk_for(key), "use": "sig", "alg": "ES256"}
    jwk["kid"] = thumbprint(jwk)
    jwks = json.dumps({"iss": "https://fuzz.example.org", "keys": [jwk]}).encode()
    trust_list = json.dumps(
        {"certificates": [{"certificateType": "DSC", "country": "DE", "rawData": case["TESTCTX"]["CERTIFICATE"]}]}
    ).encode()
    result = [der, pem, case["TESTCTX"]["CERTIFICATE"].encode(), jwks, trust_list]
    for data in result:
        assert parse_trust_file(data), "every seed must import, or the fuzz is shallow"
    return result


def fuzz(corpus_dir, count: int) -> int:
    rng = random.Random(f"{SEED}-trust")
    print(f"\nfuzz trust files: seed {SEED}, {count} inputs")
    refused = 0
    originals = seeds(corpus_dir)
    for i in range(count):
        data = mutate_bytes(rng, rng.choice(originals))
        try:
            keys = parse_trust_file(data)
        except TrustImportError as exc:
            assert str(exc), "a refusal must say why"
            refused += 1
            continue
        except Exception as exc:
            raise AssertionError(f"trust input #{i} (seed {SEED}) raised {exc!r}: {data[:200]!r}") from exc
        assert keys, "an import must hold keys or be refused"
    return refused


def test_trust_file_fuzz_short(corpus):
    assert fuzz(corpus, SHORT_RUN) > 0


@pytest.mark.slow
def test_trust_file_fuzz_long(corpus):
    assert fuzz(corpus, LONG_RUN) > 0
