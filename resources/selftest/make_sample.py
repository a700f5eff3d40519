"""Makes the self-test sample: a signed pass picture and the public half of the key that signed it.

Run once from the repository root (`python resources/selftest/make_sample.py`); the outputs are
committed. The private key is thrown away, so the sample key can sign nothing else. The self-test
trusts this key only in memory: it never enters a station's trust store.
"""

from __future__ import annotations

import json
import secrets
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from guardstation.domain.credential import PersonKind
from guardstation.station.pass_issuer import PassRequest, make_pass_text, render_pass_png

HERE = Path(__file__).resolve().parent
WIB = timezone(timedelta(hours=7))


def main() -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    valid_from = datetime(2025, 1, 1, tzinfo=WIB)
    request = PassRequest(
        name="Uji Mandiri GuardStation", kind=PersonKind.VISITOR, doses=2, valid_from=valid_from, valid_days=365 * 100
    )
    text = make_pass_text(request, key, secrets.token_bytes(32))
    render_pass_png(text, ["GuardStation self-test"], HERE / "sample-pass.png")
    (HERE / "selftest-key.pem").write_bytes(
        key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    (HERE / "sample.json").write_text(
        json.dumps(
            {
                "picture": "sample-pass.png",
                "public_key": "selftest-key.pem",
                "verify_at": (valid_from + timedelta(days=180)).isoformat(),
                "expect": {"kind": "gspass", "name": request.name, "colour": "green"},
            },
            indent=2,
        )
        + "\n",
        "utf-8",
    )


if __name__ == "__main__":
    main()
