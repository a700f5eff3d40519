"""GuardStation's own visitor/employee pass: "GS1:" + base45(COSE_Sign1(Ed25519, CBOR claims)).

Base45 keeps the QR in alphanumeric mode (dense); CBOR with integer keys and
Ed25519's 64-byte signature keep a full pass near 200 characters.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import base45
import cbor2
from cryptography.hazmat.primitives.asymmetric import ed25519

from guardstation.credentials.cose import ALG_EDDSA, CoseError, decode_sign1, sign1_ed25519, verify_signature
from guardstation.credentials.trust import TrustStore, kid_for
from guardstation.domain.credential import Credential, CredentialKind, PersonKind, Vaccination
from guardstation.domain.reasons import Reason

PREFIX = "GS1:"
SCHEME = "gspass"
STAGES = ("unprefix", "base45", "cose_decode", "signature", "schema", "expiry")  # the order they run
MAX_TEXT = 2048
FORMAT_VERSION = 1

# Claim keys (integers keep the QR small).
K_VERSION, K_PASS_ID, K_SUBJECT, K_NAME, K_KIND = 1, 2, 3, 4, 5
K_DOSES, K_LAST_DOSE, K_ISSUED, K_NOT_BEFORE, K_EXPIRES = 6, 7, 8, 9, 10
_KIND_CODES = {PersonKind.EMPLOYEE: "e", PersonKind.VISITOR: "v"}


@dataclass(frozen=True)
class PassClaims:
    pass_id: str
    subject_key: str
    display_name: str
    kind: PersonKind
    doses: int | None
    valid_from: datetime
    valid_until: datetime
    last_dose: date | None = None
    issued_at: datetime | None = None

    def to_cbor(self) -> bytes:
        claims: dict[int, Any] = {
            # ids travel as raw bytes, not text: a third fewer characters in the QR.
            K_VERSION: FORMAT_VERSION,
            K_PASS_ID: uuid.UUID(self.pass_id).bytes,
            K_SUBJECT: bytes.fromhex(self.subject_key),
            K_NAME: self.display_name,
            K_KIND: _KIND_CODES[self.kind],
            K_ISSUED: int((self.issued_at or self.valid_from).timestamp()),
            K_NOT_BEFORE: int(self.valid_from.timestamp()),
            K_EXPIRES: int(self.valid_until.timestamp()),
        }
        if self.doses is not None:
            claims[K_DOSES] = self.doses
        if self.last_dose is not None:
            claims[K_LAST_DOSE] = self.last_dose.isoformat()
        return cbor2.dumps(claims)


def issue_pass(claims: PassClaims, private_key: ed25519.Ed25519PrivateKey, kid: bytes | None = None) -> str:
    """`kid` defaults to the key's own id; passing another one is how tests and the demo make forgeries."""
    kid = kid_for(private_key.public_key()) if kid is None else kid
    signed = sign1_ed25519(private_key, kid, claims.to_cbor())
    return PREFIX + base45.b45encode(signed).decode("ascii")


class _SchemaError(ValueError):
    pass


def _claims_from(payload: bytes) -> PassClaims:
    try:
        raw = cbor2.loads(payload)
    except Exception:
        raise _SchemaError("claims are not CBOR") from None
    if not isinstance(raw, dict) or raw.get(K_VERSION) != FORMAT_VERSION:
        raise _SchemaError("unknown pass version")

    def field(key: int, kind: type, required: bool = True):
        value = raw.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, kind) or isinstance(value, bool):
            raise _SchemaError(f"claim {key} has the wrong type")
        return value

    kind_code = field(K_KIND, str)
    kinds = {v: k for k, v in _KIND_CODES.items()}
    if kind_code not in kinds:
        raise _SchemaError("unknown pass kind")
    doses = field(K_DOSES, int, required=False)
    if doses is not None and not 0 <= doses <= 20:
        raise _SchemaError("implausible dose count")
    last_dose = field(K_LAST_DOSE, str, required=False)
    try:
        last = date.fromisoformat(last_dose) if last_dose else None
        nbf = datetime.fromtimestamp(field(K_NOT_BEFORE, int), UTC)
        exp = datetime.fromtimestamp(field(K_EXPIRES, int), UTC)
        issued = datetime.fromtimestamp(field(K_ISSUED, int), UTC)
    except (ValueError, OverflowError, OSError):
        raise _SchemaError("bad date") from None
    name = field(K_NAME, str)
    if not name.strip() or len(name) > 200:
        raise _SchemaError("bad name")
    pass_id, subject = field(K_PASS_ID, bytes), field(K_SUBJECT, bytes)
    if len(pass_id) != 16 or not 8 <= len(subject) <= 32:
        raise _SchemaError("bad pass id or subject key")
    return PassClaims(
        pass_id=str(uuid.UUID(bytes=pass_id)),
        subject_key=subject.hex(),
        display_name=name,
        kind=kinds[kind_code],
        doses=doses,
        valid_from=nbf,
        valid_until=exp,
        last_dose=last,
        issued_at=issued,
    )


def verify_pass(text: str, trust: TrustStore, at: datetime) -> Credential:
    """Every stage is reported; a stage after a failed one is reported False (it could not run)."""
    stages = dict.fromkeys(STAGES, False)

    def fail(code: str, **params) -> Credential:
        return Credential(CredentialKind.GSPASS, text, stages, Reason(code, params))

    if not text.startswith(PREFIX) or len(text) > MAX_TEXT:
        return fail("malformed", detail="wrong prefix or length")
    stages["unprefix"] = True
    try:
        raw = base45.b45decode(text[len(PREFIX) :])
    except Exception:
        return fail("malformed", detail="bad base45")
    stages["base45"] = True
    try:
        message = decode_sign1(raw)
    except CoseError as exc:
        return fail("malformed", detail=str(exc))
    stages["cose_decode"] = True
    if message.alg != ALG_EDDSA:
        return fail("bad_signature")
    keys = [k for k in trust.find(SCHEME, message.kid) if k.valid_at(at)]
    if not keys:
        return fail("unknown_key")
    if not any(verify_signature(message, k.public_key) for k in keys):
        return fail("bad_signature")
    stages["signature"] = True
    # Claims are parsed only after the signature holds: unsigned content is never interpreted.
    try:
        claims = _claims_from(message.payload)
    except _SchemaError as exc:
        return fail("malformed", detail=str(exc))
    stages["schema"] = True
    if at < claims.valid_from:
        return fail("not_yet_valid", date=claims.valid_from.date().isoformat())
    if at >= claims.valid_until:
        return fail("expired", date=claims.valid_until.date().isoformat())
    stages["expiry"] = True
    return Credential(
        kind=CredentialKind.GSPASS,
        decoded=text,
        stages=stages,
        failure=None,
        subject_key=claims.subject_key,
        display_name=claims.display_name,
        person_kind=claims.kind,
        vaccination=None if claims.doses is None else Vaccination(claims.doses, claims.last_dose),
        valid_from=claims.valid_from,
        valid_until=claims.valid_until,
        credential_id=claims.pass_id,
        signed=True,
    )
