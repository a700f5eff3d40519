"""SMART Health Cards: "shc:/" + numeric-encoded compact JWS (ES256, raw-DEFLATE JSON payload).

Layers, outside in (https://spec.smarthealth.cards):
- QR text: "shc:/" then two digits per JWS character (character code - 45), so the QR stays in numeric mode;
- compact JWS: header {"alg": "ES256", "zip": "DEF", "kid": <RFC 7638 thumbprint>} . payload . signature;
- payload: raw DEFLATE (no zlib header) of JSON {iss, nbf, exp?, vc: {type, credentialSubject: {fhirBundle}}};
- the FHIR bundle: one Patient (name, birthDate) and the Immunization resources.

The key is found by kid in the trust store and must belong to the card's `iss`: a key that some other
issuer published (even with the same kid) never vouches for this card. Nothing here raises on bad
input; every rejection is a Credential with a reason, and the stage that failed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from guardstation.credentials.inflate import InflateError, inflate_bounded
from guardstation.credentials.trust import TrustStore
from guardstation.domain.credential import Credential, CredentialKind, Vaccination
from guardstation.domain.reasons import Reason
from guardstation.domain.subject import identity_from_name

PREFIX = "shc:/"
SCHEME = "shc"
STAGES = ("unprefix", "numeric", "jws_decode", "inflate", "signature", "expiry", "schema")  # the order they run
# A version-40 QR holds 7089 digits in numeric mode; nothing longer can come from one code.
MAX_TEXT = len(PREFIX) + 7089
MAX_INFLATED = 128 * 1024  # a real bundle inflates to a few kilobytes; more is a DEFLATE bomb
MAX_HEADER = 1024
MAX_ENTRIES = 500
MAX_NAME = 200
# Station clocks drift (docs/architecture.md §6); a card issued "in a minute" by a correct clock is still valid.
NBF_LEEWAY = timedelta(minutes=5)
HEALTH_CARD_TYPE = "https://smarthealth.cards#health-card"
COVID_TYPE = "https://smarthealth.cards#covid19"
IMMUNIZATION_TYPE = "https://smarthealth.cards#immunization"

_CHUNKED = re.compile(r"shc:/([0-9]{1,4})/([0-9]{1,4})/([0-9]*)")
_B64URL = re.compile(r"[A-Za-z0-9_-]*")
_FHIR_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
_FHIR_DATETIME = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2})(?:T[0-9:.]+(?:Z|[+-][0-9]{2}:[0-9]{2}))?)?)?")
# Two digits -> one JWS character: 10 * tens + units + 45. Tens and units are translated separately
# and added as two big integers (no carries: each byte stays below 256), ~6x faster than a Python loop.
_TENS = bytes.maketrans(b"0123456789", bytes(range(0, 100, 10)))
_UNITS_PLUS_45 = bytes.maketrans(b"0123456789", bytes(range(45, 55)))
_HIGHEST_CHAR = ord("z")  # pair 77; anything above cannot come from a JWS character
_LATEST_TIMESTAMP = 253402300799  # 9999-12-31T23:59:59Z

_CVX = "http://hl7.org/fhir/sid/cvx"
_SNOMED = "http://snomed.info/sct"
_ICD11 = "http://id.who.int/icd11/mms"
# COVID-19 vaccine codes. CVX: the CDC list incl. 500-519 for vaccines not licensed in the US
# (510 Sinopharm BIBP, 511 CoronaVac, the ones Indonesia used most). ICD-11: the XM platform codes.
# A code missing here only makes a card "vaccination unknown" (the guard checks by hand); a wrong
# code here could count a flu shot as a COVID dose, so the list errs on the short side.
_COVID_CODES = frozenset(
    [
        (_CVX, str(c))
        for c in (
            207,
            208,
            210,
            211,
            212,
            213,
            217,
            218,
            219,
            221,
            225,
            226,
            227,
            228,
            229,
            230,
            300,
            301,
            302,
            308,
            309,
            310,
            311,
            312,
            313,
            *range(500, 520),
        )
    ]
    + [(_SNOMED, c) for c in ("1119349007", "1119305005", "1162643001")]
    + [(_ICD11, c) for c in ("XM0GQ8", "XM68M6", "XM1NL1", "XM5DF6", "XM9QW8", "XM0CX4", "XM5JC5", "XM1J92", "XM6AT1")]
)
_SINGLE_DOSE_SERIES = frozenset({(_CVX, "212")})  # Janssen: one dose completes the primary series


class _Fail(Exception):
    """Internal: carries the reason out of a helper; never leaves this module."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.reason = Reason(code, params)


def _b64url(text: str) -> bytes:
    if not _B64URL.fullmatch(text) or len(text) % 4 == 1:
        raise _Fail("malformed", detail="JWS part is not base64url")
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise _Fail("malformed", detail="JWS part is not base64url") from None
    # The unused low bits of the last character must be zero: one card, one spelling (and one id).
    if base64.urlsafe_b64encode(raw).rstrip(b"=") != text.encode("ascii"):
        raise _Fail("malformed", detail="JWS part is not canonical base64url")
    return raw


def _reject_constant(name: str) -> Any:
    raise ValueError(f"JSON constant {name}")


def _json(data: bytes, what: str) -> Any:
    try:
        return json.loads(data.decode("utf-8"), parse_constant=_reject_constant)
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise _Fail("malformed", detail=f"{what} is not JSON") from None


def _numeric_to_jws(digits: str) -> str:
    # isascii() first: str.isdigit() alone also accepts other scripts' digits ("\u0663").
    if not digits or len(digits) % 2 or not digits.isascii() or not digits.isdigit():
        raise _Fail("malformed", detail="not an even number of digits after shc:/")
    raw = digits.encode("ascii")
    tens, units = raw[0::2].translate(_TENS), raw[1::2].translate(_UNITS_PLUS_45)
    chars = (int.from_bytes(tens, "big") + int.from_bytes(units, "big")).to_bytes(len(tens), "big")
    if max(chars) > _HIGHEST_CHAR:
        raise _Fail("malformed", detail="digit pair above 77 in the numeric encoding")
    return chars.decode("ascii")


def _inflate(payload: bytes) -> bytes:
    try:
        return inflate_bounded(payload, limit=MAX_INFLATED, raw=True)
    except InflateError as exc:
        raise _Fail("malformed", detail=str(exc)) from None


def _signature_holds(signing_input: bytes, signature: bytes, public_key: Any) -> bool:
    if len(signature) != 64 or not isinstance(public_key, ec.EllipticCurvePublicKey):
        return False
    der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
    try:
        public_key.verify(der, signing_input, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return False
    return True


def _timestamp(value: Any, name: str) -> datetime:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= _LATEST_TIMESTAMP:
        raise _Fail("schema_invalid", detail=f"{name} is not a NumericDate")
    return datetime.fromtimestamp(value, UTC)


def _fhir_date(value: Any, pattern: re.Pattern[str] = _FHIR_DATE) -> tuple[str, date | None] | None:
    """(the date as written, down to the day; the full date when it has one): FHIR allows '1951', '1951-01'."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    match = pattern.fullmatch(value)
    if match is None:
        return None
    year, month, day = match.groups()
    try:
        if day is not None:
            full = date(int(year), int(month), int(day))
            return full.isoformat(), full
        if month is not None and not 1 <= int(month) <= 12:
            return None
    except ValueError:
        return None
    return value[: len(year) + (3 if month else 0)], None


def _name_of(patient: dict[str, Any]) -> str:
    names = patient.get("name")
    if not isinstance(names, list) or not names:
        raise _Fail("schema_invalid", detail="patient has no name")
    usable = [n for n in names if isinstance(n, dict)]
    chosen = next((n for n in usable if n.get("use") == "official"), usable[0] if usable else None)
    if chosen is None:
        raise _Fail("schema_invalid", detail="patient name is not a HumanName")
    given = chosen.get("given", [])
    family = chosen.get("family", "")
    parts: list[str] = []
    if isinstance(given, list):
        parts.extend(g for g in given if isinstance(g, str))
    if isinstance(family, str):
        parts.append(family)
    text = " ".join(" ".join(p.split()) for p in parts if p.strip())
    if not text and isinstance(chosen.get("text"), str):
        text = " ".join(chosen["text"].split())
    if (
        not text
        or len(text) > MAX_NAME
        or any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 or 0xD800 <= ord(c) < 0xE000 for c in text)
    ):
        raise _Fail("schema_invalid", detail="patient name is empty, too long or has control characters")
    return text


def _codings(resource: dict[str, Any]) -> set[tuple[str, str]]:
    concept = resource.get("vaccineCode")
    codings = concept.get("coding") if isinstance(concept, dict) else None
    if not isinstance(codings, list):
        return set()
    return {
        (c["system"], c["code"])
        for c in codings
        if isinstance(c, dict) and isinstance(c.get("system"), str) and isinstance(c.get("code"), str)
    }


def _read_bundle(claims: dict[str, Any]) -> tuple[str, str, Vaccination | None]:
    """(display name, birth date text, vaccination) from the credential's FHIR bundle."""
    vc = claims.get("vc")
    if not isinstance(vc, dict):
        raise _Fail("schema_invalid", detail="no vc object")
    types = vc.get("type")
    if not isinstance(types, list) or HEALTH_CARD_TYPE not in types:
        raise _Fail("schema_invalid", detail="vc.type lacks " + HEALTH_CARD_TYPE)
    subject = vc.get("credentialSubject")
    bundle = subject.get("fhirBundle") if isinstance(subject, dict) else None
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        raise _Fail("schema_invalid", detail="no FHIR Bundle in vc.credentialSubject.fhirBundle")
    entries = bundle.get("entry")
    if not isinstance(entries, list) or not entries or len(entries) > MAX_ENTRIES:
        raise _Fail("schema_invalid", detail="bundle entries missing or too many")
    patients: list[dict[str, Any]] = []
    immunizations: list[dict[str, Any]] = []
    for entry in entries:
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if not isinstance(resource, dict):
            raise _Fail("schema_invalid", detail="bundle entry without a resource")
        kind = resource.get("resourceType")
        if kind == "Patient":
            patients.append(resource)
        elif kind == "Immunization":
            immunizations.append(resource)
    if len(patients) != 1:
        raise _Fail("schema_invalid", detail=f"expected one Patient, found {len(patients)}")
    name = _name_of(patients[0])
    born = _fhir_date(patients[0].get("birthDate"))  # a FHIR date, never a date-time
    if born is None:
        raise _Fail("schema_invalid", detail="patient birthDate missing or not a FHIR date")

    covid_card = COVID_TYPE in types
    doses = 0
    unrecognised = 0
    last: date | None = None
    single_dose_series = False
    seen: set[tuple[str, frozenset[tuple[str, str]]]] = set()
    for immunization in immunizations:
        if immunization.get("status") != "completed":
            continue  # "entered-in-error" and "not-done" are not doses
        codes = _codings(immunization)
        if not covid_card and not codes & _COVID_CODES:
            unrecognised += 1  # a vaccine we cannot tell is against COVID-19 never counts as a dose
            continue
        occurred = immunization.get("occurrenceDateTime")
        if isinstance(occurred, str):
            # The same vaccine at the same moment listed twice is one dose, not two.
            key = (occurred, frozenset(codes))
            if key in seen:
                continue
            seen.add(key)
        doses += 1
        single_dose_series |= bool(codes & _SINGLE_DOSE_SERIES)
        when = _fhir_date(immunization.get("occurrenceDateTime"), _FHIR_DATETIME)
        if when is not None and when[1] is not None and (last is None or when[1] > last):
            last = when[1]
    if doses == 0 and (unrecognised or (not immunizations and IMMUNIZATION_TYPE not in types and not covid_card)):
        # Only vaccines of unknown kind, or no immunization content at all (e.g. a lab-result card):
        # "unknown" is honest, "not vaccinated" would not be.
        vaccination = None
    else:
        vaccination = Vaccination(doses, last, 1 if single_dose_series else None)
    return name, born[0], vaccination


def _unprefix(text: Any, max_text: int) -> str:
    if not isinstance(text, str) or not text.startswith(PREFIX):
        raise _Fail("malformed", detail="does not start with shc:/")
    if len(text) > max_text:
        raise _Fail("malformed", detail="longer than any single QR code")
    return text[len(PREFIX) :]


def verify_shc(text: str, trust: TrustStore, at: datetime) -> Credential:
    """Every stage is reported; a stage after a failed one is reported False (it could not run)."""
    return _verify(text, trust, at, MAX_TEXT)


def _verify(text: str, trust: TrustStore, at: datetime, max_text: int) -> Credential:
    stages = dict.fromkeys(STAGES, False)
    try:
        digits = _unprefix(text, max_text)
        stages["unprefix"] = True

        chunk = _CHUNKED.fullmatch(text)
        if chunk is not None:
            raise _Fail("chunked_shc", detail=f"part {chunk[1]} of {chunk[2]}: every part must be scanned")
        jws = _numeric_to_jws(digits)
        stages["numeric"] = True

        parts = jws.split(".")
        if len(parts) != 3:
            raise _Fail("malformed", detail="not a compact JWS (header.payload.signature)")
        header_b64, payload_b64, signature_b64 = parts
        if len(header_b64) > MAX_HEADER:
            raise _Fail("malformed", detail="JWS header too long")
        header = _json(_b64url(header_b64), "JWS header")
        payload = _b64url(payload_b64)
        signature = _b64url(signature_b64)
        if not isinstance(header, dict):
            raise _Fail("malformed", detail="JWS header is not an object")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid or len(kid) > 128 or not _B64URL.fullmatch(kid):
            raise _Fail("malformed", detail="JWS header has no usable kid")
        stages["jws_decode"] = True

        if header.get("zip") != "DEF":
            raise _Fail("malformed", detail='payload must be compressed (header "zip": "DEF")')
        claims = _json(_inflate(payload), "payload")
        if not isinstance(claims, dict):
            raise _Fail("malformed", detail="payload is not a JSON object")
        stages["inflate"] = True

        if header.get("alg") != "ES256":
            raise _Fail("bad_signature", detail=f"algorithm {str(header.get('alg'))[:16]!r} is not ES256")
        issuer = claims.get("iss")
        if not isinstance(issuer, str) or not issuer:
            raise _Fail("malformed", detail="payload names no issuer (iss)")
        keys = [k for k in trust.find(SCHEME, kid.encode("ascii")) if k.issuer == issuer and k.valid_at(at)]
        if not keys:
            raise _Fail("unknown_key", detail=f"no valid key {kid[:16]}... of issuer {issuer[:80]!r}")
        signing_input = f"{header_b64}.{payload_b64}".encode("ascii")
        if not any(_signature_holds(signing_input, signature, k.public_key) for k in keys):
            raise _Fail("bad_signature")
        stages["signature"] = True

        # Claims are interpreted only after the signature holds.
        valid_from = _timestamp(claims.get("nbf"), "nbf")
        valid_until = None if claims.get("exp") is None else _timestamp(claims.get("exp"), "exp")
        if at + NBF_LEEWAY < valid_from:
            raise _Fail("not_yet_valid", date=valid_from.date().isoformat())
        if valid_until is not None and at >= valid_until:
            raise _Fail("expired", date=valid_until.date().isoformat())
        stages["expiry"] = True

        name, born, vaccination = _read_bundle(claims)
        stages["schema"] = True
    except _Fail as failure:
        return Credential(CredentialKind.SHC, text if isinstance(text, str) else None, stages, failure.reason)
    return Credential(
        kind=CredentialKind.SHC,
        decoded=text,
        stages=stages,
        failure=None,
        identity=identity_from_name(name, born),
        display_name=name,
        vaccination=vaccination,
        valid_from=valid_from,
        valid_until=valid_until,
        # ECDSA signatures are randomised, so the hash of the JWS names this very card.
        credential_id="shc:" + hashlib.sha256(jws.encode("ascii")).hexdigest()[:32],
        signed=True,
    )


def join_chunks(texts: list[str]) -> str | None:
    """Reassemble a chunked card ("shc:/1/3/...", "shc:/2/3/...", ...) into one "shc:/" text.

    Any order; None unless every part 1..N is present exactly once with the same N. (Chunking is
    deprecated in the SMART spec, but early issuers printed cards in two or three QR codes.)
    """
    parts: dict[int, str] = {}
    total = None
    for text in texts:
        match = _CHUNKED.fullmatch(text) if isinstance(text, str) and len(text) <= MAX_TEXT else None
        if match is None:
            return None
        index, count = int(match[1]), int(match[2])
        if not 1 <= index <= count <= 20 or (total is not None and count != total) or index in parts:
            return None
        total = count
        parts[index] = match[3]
    if total is None or len(parts) != total:
        return None
    return PREFIX + "".join(parts[i] for i in range(1, total + 1))


def verify_shc_chunks(texts: list[str], trust: TrustStore, at: datetime) -> Credential:
    """A chunked card, given every scanned part; an incomplete or inconsistent set is malformed."""
    joined = join_chunks(texts)
    if joined is None:
        stages = dict.fromkeys(STAGES, False)
        return Credential(
            CredentialKind.SHC,
            None,
            stages,
            Reason("malformed", {"detail": "chunked SHC: parts missing, repeated or inconsistent"}),
        )
    return _verify(joined, trust, at, len(texts) * MAX_TEXT)
