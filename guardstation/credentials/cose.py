"""COSE_Sign1 (RFC 9052) over CBOR: the envelope of our pass and of EU DCCs.

Only the single-signer structure is needed; it is a four-element array, so a
dedicated COSE library would add weight without removing much code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

COSE_SIGN1_TAG = 18
CWT_TAG = 61
HEADER_ALG = 1
HEADER_KID = 4
ALG_EDDSA = -8
ALG_ES256 = -7
ALG_PS256 = -37
ALG_NAMES = {ALG_EDDSA: "EdDSA", ALG_ES256: "ES256", ALG_PS256: "PS256"}


class CoseError(ValueError):
    """The bytes are not a well-formed COSE_Sign1 message."""


@dataclass(frozen=True)
class Sign1:
    protected_bytes: bytes
    protected: Mapping[Any, Any]
    unprotected: Mapping[Any, Any]
    payload: bytes
    signature: bytes

    @property
    def alg(self) -> int | None:
        return self.protected.get(HEADER_ALG, self.unprotected.get(HEADER_ALG))

    @property
    def kid(self) -> bytes | None:
        # DCC issuers put the kid in either bucket; protected wins when both exist.
        kid = self.protected.get(HEADER_KID, self.unprotected.get(HEADER_KID))
        return kid if isinstance(kid, bytes) else None

    def to_be_signed(self, external_aad: bytes = b"") -> bytes:
        return cbor2.dumps(["Signature1", self.protected_bytes, external_aad, self.payload])


def decode_sign1(data: bytes) -> Sign1:
    try:
        obj = cbor2.loads(data)
    except Exception as exc:  # cbor2 raises several types on garbage
        raise CoseError(f"not CBOR ({exc.__class__.__name__})") from None
    if isinstance(obj, cbor2.CBORTag) and obj.tag == CWT_TAG:
        obj = obj.value  # RFC 8392 §6: a CWT tag may wrap the COSE message (some DCC issuers send both)
    if isinstance(obj, cbor2.CBORTag):
        if obj.tag != COSE_SIGN1_TAG:
            raise CoseError(f"unexpected CBOR tag {obj.tag}")
        obj = obj.value
    # cbor2 decodes the contents of a tag as immutable types (tuple, frozendict).
    if not isinstance(obj, (list, tuple)) or len(obj) != 4:
        raise CoseError("not a COSE_Sign1 array")
    protected_bytes, unprotected, payload, signature = obj
    if not isinstance(protected_bytes, bytes) or not isinstance(payload, bytes) or not isinstance(signature, bytes):
        raise CoseError("COSE_Sign1 fields have the wrong types")
    if not isinstance(unprotected, Mapping):
        raise CoseError("unprotected header is not a map")
    try:
        protected = cbor2.loads(protected_bytes) if protected_bytes else {}
    except Exception:
        raise CoseError("protected header is not CBOR") from None
    if not isinstance(protected, Mapping):
        raise CoseError("protected header is not a map")
    return Sign1(protected_bytes, protected, unprotected, payload, signature)


def sign1_ed25519(private_key: ed25519.Ed25519PrivateKey, kid: bytes, payload: bytes) -> bytes:
    protected_bytes = cbor2.dumps({HEADER_ALG: ALG_EDDSA, HEADER_KID: kid})
    message = Sign1(protected_bytes, {}, {}, payload, b"")
    signature = private_key.sign(message.to_be_signed())
    return cbor2.dumps(cbor2.CBORTag(COSE_SIGN1_TAG, [protected_bytes, {}, payload, signature]))


def verify_signature(message: Sign1, public_key: Any) -> bool:
    """True when the signature is valid for this key and the message's algorithm."""
    data = message.to_be_signed()
    alg = message.alg
    try:
        if alg == ALG_EDDSA and isinstance(public_key, ed25519.Ed25519PublicKey):
            public_key.verify(message.signature, data)
        elif alg == ALG_ES256 and isinstance(public_key, ec.EllipticCurvePublicKey):
            # r || s, each as long as the curve's order. ES256 names P-256, but some DCC issuers sign
            # "ECDSA with SHA-256" with a P-384 key (96-byte signatures); the key decides the size.
            half = (public_key.curve.key_size + 7) // 8
            if len(message.signature) != 2 * half:
                return False
            r = int.from_bytes(message.signature[:half], "big")
            s = int.from_bytes(message.signature[half:], "big")
            public_key.verify(encode_dss_signature(r, s), data, ec.ECDSA(hashes.SHA256()))
        elif alg == ALG_PS256 and isinstance(public_key, rsa.RSAPublicKey):
            public_key.verify(
                message.signature, data, padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32), hashes.SHA256()
            )
        else:
            return False
    except InvalidSignature:
        return False
    return True
