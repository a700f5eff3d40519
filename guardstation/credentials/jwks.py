"""SMART Health Card issuer keys: a JWK set (RFC 7517) -> trusted keys for the "shc" scheme.

A SMART issuer publishes its public keys at `{iss}/.well-known/jwks.json`: EC P-256 keys
(kty EC, crv P-256, use sig, alg ES256) whose `kid` is the RFC 7638 thumbprint of the key.
The station never fetches that URL (no I/O here): an installer or the central server hands the
file in. A file may carry its own issuer as a wrapper, `{"iss": URL, "keys": [...]}`.

Checks, each with a message that says which key is wrong:
- the kid must equal the thumbprint (a kid that does not name its own key is a forgery or a typo);
- no private key material ("d"): a trust file with a private key means the wrong file was exported,
  and the signing key must be treated as leaked, so the whole file is refused;
- x, y must be a point on P-256;
- with `x5c`, the first certificate must carry the same public key; its validity dates bound the key.
Keys meant for something else (another `use`, key type or algorithm) are skipped, not errors.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import ec

from guardstation.credentials.trust import TrustedKey

SCHEME = "shc"
MAX_FILE = 1_000_000  # characters; a JWK set is a few kilobytes
MAX_KEYS = 1000
_B64URL = re.compile(r"[A-Za-z0-9_-]+")
_B64STD = re.compile(r"[A-Za-z0-9+/]+={0,2}")


class JwksError(ValueError):
    """A JWK set that cannot be used; the message says which key or field is wrong."""


@dataclass(frozen=True)
class JwksImport:
    issuer: str
    keys: list[TrustedKey]
    skipped: list[str] = field(default_factory=list)  # keys not meant for SMART signatures, and why
    rejected: list[str] = field(default_factory=list)  # keys that claim to be SMART keys but are wrong


def _b64url_decode(value: Any, where: str) -> bytes:
    if not isinstance(value, str) or not _B64URL.fullmatch(value) or len(value) % 4 == 1:
        raise JwksError(f"{where}: not base64url")
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raise JwksError(f"{where}: not base64url") from None


def thumbprint(jwk: dict[str, Any]) -> str:
    """RFC 7638 thumbprint of an EC public JWK: SHA-256 over the required members, sorted, no spaces."""
    required = {name: jwk[name] for name in ("crv", "kty", "x", "y")}
    canonical = json.dumps(required, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha256(canonical.encode("utf-8")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def jwk_for(key: ec.EllipticCurvePublicKey | ec.EllipticCurvePrivateKey) -> dict[str, str]:
    """The public JWK of a P-256 key with its thumbprint as kid (what an issuer publishes; never "d")."""
    if isinstance(key, ec.EllipticCurvePrivateKey):
        key = key.public_key()
    numbers = key.public_numbers()

    def b64(n: int) -> str:
        return base64.urlsafe_b64encode(n.to_bytes(32, "big")).rstrip(b"=").decode("ascii")

    jwk = {"kty": "EC", "crv": "P-256", "x": b64(numbers.x), "y": b64(numbers.y)}
    return {**jwk, "kid": thumbprint(jwk), "use": "sig", "alg": "ES256"}


def _check_issuer(issuer: Any, where: str) -> str:
    # SMART: iss is an https URL without a trailing slash, compared as an exact string with the card's iss.
    if not isinstance(issuer, str) or not issuer:
        raise JwksError(f"{where}: the issuer URL is missing")
    if (
        len(issuer) > 2048
        or not issuer.startswith("https://")
        or issuer.endswith("/")
        or any(c.isspace() or ord(c) < 0x20 for c in issuer)
    ):
        raise JwksError(f"{where}: the issuer must be an https:// URL without a trailing '/' (got {issuer[:80]!r})")
    return issuer


def _name(jwk: dict[str, Any], index: int) -> str:
    kid = jwk.get("kid")
    return f"key {index} (kid {kid[:50]!r})" if isinstance(kid, str) else f"key {index}"


def _key_from(jwk: dict[str, Any], index: int, issuer: str) -> TrustedKey:
    """A SMART signing key, or JwksError saying what is wrong with it."""
    name = _name(jwk, index)
    if "d" in jwk:
        raise JwksError(
            f"{name}: contains a PRIVATE key ('d'); publish only public keys and treat this signing key as leaked"
        )
    if jwk.get("crv") != "P-256":
        raise JwksError(f"{name}: curve must be P-256, not {str(jwk.get('crv'))[:20]!r}")
    if jwk.get("alg", "ES256") != "ES256":
        raise JwksError(f"{name}: alg must be ES256, not {str(jwk.get('alg'))[:20]!r}")
    kid = jwk.get("kid")
    if not isinstance(kid, str) or not kid:
        raise JwksError(f"{name}: kid is missing")
    x = _b64url_decode(jwk.get("x"), f"{name}.x")
    y = _b64url_decode(jwk.get("y"), f"{name}.y")
    if len(x) != 32 or len(y) != 32:
        raise JwksError(f"{name}: x and y must be 32 bytes each for P-256")
    expected = thumbprint(jwk)
    if kid != expected:
        raise JwksError(f"{name}: kid is not the key's RFC 7638 thumbprint (expected {expected!r})")
    try:
        public_key = ec.EllipticCurvePublicNumbers(
            int.from_bytes(x, "big"), int.from_bytes(y, "big"), ec.SECP256R1()
        ).public_key()
    except ValueError:
        raise JwksError(f"{name}: x, y is not a point on P-256") from None
    not_before = not_after = None
    chain = jwk.get("x5c")
    if chain is not None:
        if not isinstance(chain, list) or not chain or not isinstance(chain[0], str) or not _B64STD.fullmatch(chain[0]):
            raise JwksError(f"{name}: x5c must be a list of base64 DER certificates")
        try:
            certificate = x509.load_der_x509_certificate(base64.b64decode(chain[0]))
            cert_key = certificate.public_key()
        except (ValueError, UnsupportedAlgorithm):
            raise JwksError(f"{name}: x5c[0] is not a readable certificate") from None
        if (
            not isinstance(cert_key, ec.EllipticCurvePublicKey)
            or cert_key.public_numbers() != public_key.public_numbers()
        ):
            raise JwksError(f"{name}: the x5c certificate holds a different public key")
        not_before, not_after = certificate.not_valid_before_utc, certificate.not_valid_after_utc
    return TrustedKey(
        kid=kid.encode("ascii"),
        scheme=SCHEME,
        public_key=public_key,
        label=issuer,
        not_before=not_before,
        not_after=not_after,
        issuer=issuer,
    )


def read_jwks(json_text: str | bytes, issuer: str | None = None) -> JwksImport:
    """Read every key and say what happened to each; raises JwksError only when the file is unusable."""
    if isinstance(json_text, bytes):
        try:
            json_text = json_text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise JwksError("the file is not UTF-8 text") from None
    if not isinstance(json_text, str):
        raise JwksError("expected JSON text")
    if len(json_text) > MAX_FILE:
        raise JwksError(f"the file is too large for a key set ({len(json_text)} characters)")

    def no_constants(name: str):
        raise JwksError(f"not a JWK set: JSON constant {name} is not allowed")

    try:
        data = json.loads(json_text.lstrip("\ufeff"), parse_constant=no_constants)
    except JwksError:
        raise
    except (ValueError, RecursionError) as exc:
        raise JwksError(f"not JSON: {str(exc)[:120]}") from None
    if not isinstance(data, dict) or not isinstance(data.get("keys"), list):
        raise JwksError('not a JWK set: expected an object with a "keys" list')
    wrapped = data.get("iss")
    if wrapped is not None:
        wrapped = _check_issuer(wrapped, "iss")
        if issuer is not None and issuer != wrapped:
            raise JwksError(f"the file names issuer {wrapped!r}, but {issuer!r} was given")
    issuer = _check_issuer(issuer if issuer is not None else wrapped, "issuer")
    if len(data["keys"]) > MAX_KEYS:
        raise JwksError(f"too many keys ({len(data['keys'])})")

    keys: list[TrustedKey] = []
    skipped: list[str] = []
    rejected: list[str] = []
    for index, jwk in enumerate(data["keys"]):
        if not isinstance(jwk, dict):
            rejected.append(f"key {index}: not a JSON object")
            continue
        name = _name(jwk, index)
        if "d" in jwk:  # whatever the key is for, a private key has no place in a trust file
            rejected.append(
                f"{name}: contains a PRIVATE key ('d'); publish only public keys and treat this signing key as leaked"
            )
            continue
        if jwk.get("kty") != "EC" or jwk.get("use", "sig") != "sig":
            skipped.append(
                f"{name}: not a signing EC key (kty {str(jwk.get('kty'))[:10]!r}, use {str(jwk.get('use'))[:10]!r})"
            )
            continue
        try:
            keys.append(_key_from(jwk, index, issuer))
        except JwksError as exc:
            rejected.append(str(exc))
    return JwksImport(issuer, keys, skipped, rejected)


def parse_jwks(json_text: str | bytes, issuer: str | None = None) -> list[TrustedKey]:
    """The issuer's SMART signing keys. Strict: one wrong key refuses the whole file.

    `issuer` may be None when the file is a wrapper {"iss": URL, "keys": [...]}.
    """
    result = read_jwks(json_text, issuer)
    if result.rejected:
        raise JwksError("; ".join(result.rejected))
    if not result.keys:
        why = f" ({'; '.join(result.skipped)})" if result.skipped else ""
        raise JwksError(f"no SMART Health Card signing key (EC P-256, ES256) in the set{why}")
    return result.keys
