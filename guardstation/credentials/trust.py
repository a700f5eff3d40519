"""The trust store: which public keys may sign the credentials this station accepts."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519


@dataclass(frozen=True)
class TrustedKey:
    kid: bytes
    scheme: str  # "gspass", "dcc" or "shc": which credentials the key may sign
    public_key: Any  # a cryptography public key object
    label: str = ""
    not_before: datetime | None = None
    not_after: datetime | None = None
    usage: frozenset[str] = frozenset()  # DCC extended key usage (t / v / r); empty = any
    issuer: str = ""  # SMART Health Card issuer URL ("iss") the key belongs to
    certificate_der: bytes | None = None  # the DCC signer certificate, kept for display and re-export

    def valid_at(self, at: datetime) -> bool:
        return (self.not_before is None or self.not_before <= at) and (self.not_after is None or at <= self.not_after)

    @property
    def public_der(self) -> bytes:
        return self.public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


class TrustStore:
    def __init__(self, keys: Iterable[TrustedKey] = ()) -> None:
        self._keys: dict[tuple[str, bytes], list[TrustedKey]] = {}
        for key in keys:
            self.add(key)

    def add(self, key: TrustedKey) -> None:
        bucket = self._keys.setdefault((key.scheme, key.kid), [])
        if all(k.public_der != key.public_der for k in bucket):
            bucket.append(key)

    def find(self, scheme: str, kid: bytes | None) -> list[TrustedKey]:
        # Several keys can share a DCC kid (8 bytes of a hash): the caller tries each.
        return list(self._keys.get((scheme, kid or b""), ()))

    def __iter__(self):
        for bucket in self._keys.values():
            yield from bucket

    def __len__(self) -> int:
        return sum(len(b) for b in self._keys.values())


def kid_for(public_key: Any) -> bytes:
    """First 8 bytes of SHA-256 of the DER public key, the DCC convention, reused for our passes."""
    der = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).digest()[:8]


def load_public_der(der: bytes) -> Any:
    return serialization.load_der_public_key(der)


def ed25519_from_raw_private(raw: bytes) -> ed25519.Ed25519PrivateKey:
    return ed25519.Ed25519PrivateKey.from_private_bytes(raw)


def raw_private_bytes(key: ed25519.Ed25519PrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
