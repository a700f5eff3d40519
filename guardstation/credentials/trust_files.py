"""Reading a trust file of any supported kind into trusted keys, all or nothing.

Signer certificates (PEM, DER, base64 DER), a DCC trust list (JSON) and
SMART issuer key sets (JWKS) all arrive as files handed to an installer.
"""

from __future__ import annotations

import json
from dataclasses import replace

from cryptography.hazmat.primitives import serialization

from guardstation.credentials.jwks import JwksError, parse_jwks
from guardstation.credentials.trust import TrustedKey
from guardstation.credentials.x509_keys import (
    TrustImportError,
    dcc_trusted_key,
    load_certificates,
    parse_dcc_trust_list,
)

MAX_TRUST_FILE = 20 * 1024 * 1024


def parse_trust_file(data: bytes, *, issuer: str | None = None) -> list[TrustedKey]:
    """Every key in the file, or TrustImportError naming what is wrong (then nothing is imported)."""
    if len(data) > MAX_TRUST_FILE:
        raise TrustImportError(f"file too large ({len(data)} bytes; at most {MAX_TRUST_FILE})")
    stripped = data.lstrip()
    if stripped[:1] in (b"{", b"["):
        try:
            text = data.decode("utf-8-sig")
            document = json.loads(text)
        except (UnicodeDecodeError, ValueError) as exc:
            raise TrustImportError(f"not valid JSON: {exc}") from None
        if isinstance(document, dict) and "keys" in document:
            try:
                keys = parse_jwks(text, issuer)
            except JwksError as exc:
                raise TrustImportError(f"SMART issuer key set: {exc}") from None
        else:
            keys = parse_dcc_trust_list(text)
    else:
        keys = [_with_certificate(dcc_trusted_key(cert), cert) for cert in load_certificates(data)]
    if not keys:
        raise TrustImportError("the file holds no keys")
    return keys


def _with_certificate(key: TrustedKey, cert) -> TrustedKey:
    if key.certificate_der is not None:
        return key
    return replace(key, certificate_der=cert.public_bytes(serialization.Encoding.DER))
