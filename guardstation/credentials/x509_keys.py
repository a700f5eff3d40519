"""X.509 document-signer certificates for EU DCC verification.

Turns certificates (PEM, DER, base64 DER) and DCC trust lists (JSON) into
`TrustedKey`s of scheme "dcc". The DCC key id (kid) is the first 8 bytes of the
SHA-256 of the certificate's DER bytes, exactly as issued.

Some national document-signer certificates in circulation are not strict DER
(an explicit `cA FALSE` in BasicConstraints, an explicit `critical FALSE`, an
empty ExtendedKeyUsage sequence). `cryptography` refuses those, so such a
certificate is re-encoded with the defaults left out before it is read; the
kid is still computed from the bytes the issuer published. The certificate's
own signature is never checked here: a key is trusted because it was imported
from a trust list, not because of the chain.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from datetime import UTC
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID

from guardstation.credentials.trust import TrustedKey

SCHEME = "dcc"

# Extended key usage OIDs of the DCC certificate governance: which certificate types a signer may sign.
# The ".0.1847" spelling is a widespread variant (it was in early drafts) and is honoured alike.
_EKU_TYPES = {
    "1.3.6.1.4.1.1847.2021.1.1": "t",
    "1.3.6.1.4.1.1847.2021.1.2": "v",
    "1.3.6.1.4.1.1847.2021.1.3": "r",
    "1.3.6.1.4.1.0.1847.2021.1.1": "t",
    "1.3.6.1.4.1.0.1847.2021.1.2": "v",
    "1.3.6.1.4.1.0.1847.2021.1.3": "r",
}

_PEM_BLOCK = re.compile(rb"-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", re.S)
_MAX_INPUT = 10 * 1024 * 1024

# Re-encoded certificate DER -> the DER the issuer published (only for certificates that needed repair).
_ORIGINAL_DER: dict[bytes, bytes] = {}


class TrustImportError(ValueError):
    """Certificate or trust-list data that cannot be imported; the message says why."""


# ---------------------------------------------------------------- certificates


def load_certificates(data: bytes | str) -> list[x509.Certificate]:
    """Every certificate in `data`: one or many PEM blocks, one DER certificate, or base64 DER text."""
    if isinstance(data, str):
        data = data.encode("utf-8", "replace")
    if not isinstance(data, (bytes, bytearray)):
        raise TrustImportError("certificate data must be bytes or text")
    data = bytes(data)
    if not data.strip():
        raise TrustImportError("no certificate data (empty input)")
    if len(data) > _MAX_INPUT:
        raise TrustImportError("certificate data is too large (over 10 MB)")
    if b"-----BEGIN" in data:
        blocks = _PEM_BLOCK.findall(data)
        if not blocks:
            raise TrustImportError("PEM data holds no 'BEGIN CERTIFICATE' block")
        certs = []
        for number, body in enumerate(blocks, 1):
            try:
                der = base64.b64decode(b"".join(body.split()), validate=True)
            except (binascii.Error, ValueError):
                raise TrustImportError(f"PEM certificate #{number}: the base64 body is damaged") from None
            certs.append(_load_der(der, f"PEM certificate #{number}"))
        return certs
    if data[:1] == b"\x30":
        return [_load_der(data, "DER certificate")]
    compact = b"".join(data.split())
    try:
        der = base64.b64decode(compact + b"=" * (-len(compact) % 4), validate=True)
    except (binascii.Error, ValueError):
        try:
            der = base64.urlsafe_b64decode(compact + b"=" * (-len(compact) % 4))
        except (binascii.Error, ValueError):
            der = b""
    if der[:1] == b"\x30":
        return [_load_der(der, "base64 certificate")]
    raise TrustImportError(
        "not a certificate: expected PEM ('-----BEGIN CERTIFICATE-----'), DER, or base64-encoded DER"
    )


def certificate_der(cert: x509.Certificate) -> bytes:
    """The certificate's bytes as the issuer published them (before any DER repair)."""
    der = cert.public_bytes(serialization.Encoding.DER)
    return _ORIGINAL_DER.get(der, der)


def dcc_kid(cert: x509.Certificate) -> bytes:
    """DCC key id: the first 8 bytes of SHA-256 over the certificate's DER."""
    return hashlib.sha256(certificate_der(cert)).digest()[:8]


def dcc_usage(cert: x509.Certificate) -> frozenset[str]:
    """Certificate types ("t", "v", "r") the certificate's extended key usage allows; empty = any."""
    try:
        eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        return frozenset()
    except ValueError as exc:  # never read an unreadable restriction as "no restriction"
        raise TrustImportError(f"the certificate's extended key usage cannot be read ({exc})") from None
    return frozenset(_EKU_TYPES[oid.dotted_string] for oid in eku if oid.dotted_string in _EKU_TYPES)


def _name_part(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    attrs = name.get_attributes_for_oid(oid)
    return str(attrs[0].value) if attrs else ""


def dcc_trusted_key(cert: x509.Certificate, *, country: str = "") -> TrustedKey:
    """A trust-store entry for a DCC document signer certificate."""
    try:
        public_key = cert.public_key()
    except Exception as exc:  # unsupported or damaged key algorithm
        raise TrustImportError(f"the certificate's public key cannot be used ({exc})") from None
    try:  # cryptography parses names lazily: a damaged one fails here, with ValueError or TypeError
        cn = _name_part(cert.subject, NameOID.COMMON_NAME)
        c = _name_part(cert.subject, NameOID.COUNTRY_NAME) or country
        label = " / ".join(p for p in (cn, c) if p) or cert.subject.rfc4514_string()
    except _CERT_ERRORS as exc:
        raise TrustImportError(f"the certificate's subject name cannot be read ({exc})") from None
    return TrustedKey(
        kid=dcc_kid(cert),
        scheme=SCHEME,
        public_key=public_key,
        label=label,
        not_before=cert.not_valid_before_utc.astimezone(UTC),
        not_after=cert.not_valid_after_utc.astimezone(UTC),
        usage=dcc_usage(cert),
    )


# What cryptography raises for damaged certificates (several are not ValueErrors).
_CERT_ERRORS = (ValueError, TypeError, x509.InvalidVersion, x509.DuplicateExtension, x509.UnsupportedGeneralNameType)


def _parse(der: bytes) -> x509.Certificate:
    cert = x509.load_der_x509_certificate(der)
    # Parsed lazily: touch every part we read later, so that damage surfaces here, once.
    cert.extensions  # noqa: B018
    cert.version  # noqa: B018
    cert.subject.rfc4514_string()
    return cert


def _load_der(der: bytes, what: str) -> x509.Certificate:
    try:
        return _parse(der)
    except _CERT_ERRORS as exc:
        first_error = exc
    try:
        repaired = _repair_der(der)
    except _DerError as exc:
        raise TrustImportError(f"{what} is not a valid X.509 certificate ({exc})") from None
    if repaired != der:
        try:
            cert = _parse(repaired)
        except _CERT_ERRORS:
            pass
        else:
            _ORIGINAL_DER[cert.public_bytes(serialization.Encoding.DER)] = der
            return cert
    raise TrustImportError(f"{what} is not a valid X.509 certificate ({first_error})")


# ---------------------------------------------------------------- lenient DER


class _DerError(ValueError):
    pass


_SEQUENCE, _OCTET_STRING, _BOOLEAN, _OID = 0x30, 0x04, 0x01, 0x06
_EXTENSIONS_TAG = 0xA3  # [3] EXPLICIT Extensions in TBSCertificate
_BOOLEAN_FALSE = bytes([_BOOLEAN, 1, 0])
_OID_BASIC_CONSTRAINTS = bytes.fromhex("551d13")  # 2.5.29.19
_OID_EXT_KEY_USAGE = bytes.fromhex("551d25")  # 2.5.29.37


def _read(buf: bytes, pos: int) -> tuple[int, bytes, int]:
    """(tag, content, next position) of the TLV at pos; BER long lengths accepted, indefinite refused."""
    if pos + 2 > len(buf):
        raise _DerError("truncated")
    tag = buf[pos]
    if tag & 0x1F == 0x1F:
        raise _DerError("multi-byte tags are not supported")
    first = buf[pos + 1]
    pos += 2
    if first < 0x80:
        length = first
    else:
        count = first & 0x7F
        if count == 0 or count > 4 or pos + count > len(buf):
            raise _DerError("bad length")
        length = int.from_bytes(buf[pos : pos + count], "big")
        pos += count
    if pos + length > len(buf):
        raise _DerError("truncated")
    return tag, buf[pos : pos + length], pos + length


def _items(content: bytes) -> list[tuple[int, bytes]]:
    out, pos = [], 0
    while pos < len(content):
        tag, value, pos = _read(content, pos)
        out.append((tag, value))
    return out


def _tlv(tag: int, content: bytes) -> bytes:
    n = len(content)
    if n < 0x80:
        length = bytes([n])
    else:
        raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
        length = bytes([0x80 | len(raw)]) + raw
    return bytes([tag]) + length + content


def _encode_all(items: list[tuple[int, bytes]]) -> bytes:
    return b"".join(_tlv(t, v) for t, v in items)


def _repair_extension(content: bytes) -> bytes | None:
    """One Extension SEQUENCE content, re-encoded without DEFAULT values; None to drop it."""
    items = _items(content)
    if len(items) == 3 and items[1] == (_BOOLEAN, b"\x00"):
        del items[1]  # critical BOOLEAN DEFAULT FALSE, spelt out
    if len(items) < 2 or items[0][0] != _OID or items[-1][0] != _OCTET_STRING:
        return _encode_all(items)
    oid, value = items[0][1], items[-1][1]
    if oid == _OID_BASIC_CONSTRAINTS:
        inner_tag, inner, _ = _read(value, 0)
        parts = [p for p in _items(inner) if p != (_BOOLEAN, b"\x00")]  # cA BOOLEAN DEFAULT FALSE
        items[-1] = (_OCTET_STRING, _tlv(inner_tag, _encode_all(parts)))
    elif oid == _OID_EXT_KEY_USAGE:
        inner_tag, inner, _ = _read(value, 0)
        if not inner:  # SEQUENCE SIZE (1..MAX): empty means no restriction
            return None
    return _encode_all(items)


def _repair_der(der: bytes) -> bytes:
    tag, cert_content, end = _read(der, 0)
    if tag != _SEQUENCE or end != len(der):
        raise _DerError("not a DER SEQUENCE")
    cert_items = _items(cert_content)
    if len(cert_items) != 3 or cert_items[0][0] != _SEQUENCE:
        raise _DerError("not a certificate structure")
    tbs_items = _items(cert_items[0][1])
    for i, (t, value) in enumerate(tbs_items):
        if t != _EXTENSIONS_TAG:
            continue
        seq_tag, seq, _ = _read(value, 0)
        extensions = []
        for ext_tag, ext in _items(seq):
            fixed = _repair_extension(ext)
            if fixed is not None:
                extensions.append((ext_tag, fixed))
        tbs_items[i] = (t, _tlv(seq_tag, _encode_all(extensions)))
        if not extensions:
            del tbs_items[i]
        break
    cert_items[0] = (_SEQUENCE, _encode_all(tbs_items))
    return _tlv(_SEQUENCE, _encode_all(cert_items))


# ---------------------------------------------------------------- trust lists

_DER_FIELDS = ("rawData", "raw_data", "certificate", "cert", "x5c", "rawdata")


def _b64(value: Any, what: str) -> bytes:
    if not isinstance(value, str) or not value.strip():
        raise TrustImportError(f"{what} is missing or not a base64 string")
    compact = "".join(value.split())
    try:
        return base64.b64decode(compact + "=" * (-len(compact) % 4), validate=True)
    except (binascii.Error, ValueError):
        try:
            return base64.urlsafe_b64decode(compact + "=" * (-len(compact) % 4))
        except (binascii.Error, ValueError):
            raise TrustImportError(f"{what} is not valid base64") from None


def _entry_key(entry: Any, map_kid: str | None, where: str) -> TrustedKey | None:
    if not isinstance(entry, dict):
        raise TrustImportError(f"{where}: expected an object")
    kind = entry.get("certificateType")
    if isinstance(kind, str) and kind.upper() not in ("DSC", ""):
        return None  # CSCA / upload / authentication certificates never sign a DCC
    raw = next((entry[f] for f in _DER_FIELDS if f in entry), None)
    if isinstance(raw, list) and raw:  # JWK-style x5c chain: the first one is the signer
        raw = raw[0]
    der = _b64(raw, f"{where}: certificate (rawData)")
    certs = load_certificates(der) if der[:1] == b"\x30" else None
    if not certs:
        raise TrustImportError(f"{where}: the certificate is not DER")
    country = entry.get("country") if isinstance(entry.get("country"), str) else ""
    key = dcc_trusted_key(certs[0], country=country)
    for claimed_text, source in ((entry.get("kid"), "kid"), (map_kid, "list key")):
        if claimed_text is None:
            continue
        claimed = _b64(claimed_text, f"{where}: {source}")
        if claimed != key.kid:
            raise TrustImportError(
                f"{where}: {source} {claimed_text!r} does not match the certificate "
                f"(its kid is {base64.b64encode(key.kid).decode('ascii')!r})"
            )
    return key


def parse_dcc_trust_list(json_text: str | bytes, rejected: list[str] | None = None) -> list[TrustedKey]:
    """Trusted DCC signer keys from a trust-list JSON document.

    Shapes: a list of entries `{"kid", "rawData" | "certificate", "country", ...}`; the same list
    under `{"certificates": [...]}`; or a map `{kid: [entry, ...]}`. An entry whose kid does not match
    its certificate, or whose certificate cannot be read, raises TrustImportError; when `rejected` is
    given, such entries are skipped and their messages appended to it instead. Entries typed as
    something other than a document signer ("CSCA", ...) are ignored.
    """
    if isinstance(json_text, (bytes, bytearray)):
        try:
            json_text = bytes(json_text).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise TrustImportError("trust list is not UTF-8 text") from None
    try:
        doc = json.loads(json_text)
    except (ValueError, TypeError, RecursionError) as exc:
        raise TrustImportError(f"trust list is not JSON ({exc})") from None
    entries: list[tuple[Any, str | None, str]] = []
    if isinstance(doc, dict) and isinstance(doc.get("certificates"), list):
        doc = doc["certificates"]
    if isinstance(doc, list):
        entries = [(e, None, f"entry {i}") for i, e in enumerate(doc)]
    elif isinstance(doc, dict):
        for kid, value in doc.items():
            values = value if isinstance(value, list) else [value]
            entries += [(e, kid, f"kid {kid!r} entry {i}") for i, e in enumerate(values)]
    else:
        raise TrustImportError("trust list: expected a list of certificates or a map of kid -> certificates")
    keys: list[TrustedKey] = []
    for entry, map_kid, where in entries:
        try:
            key = _entry_key(entry, map_kid, where)
        except TrustImportError as exc:
            if rejected is None:
                raise
            rejected.append(str(exc))
            continue
        if key is not None:
            keys.append(key)
    return keys
