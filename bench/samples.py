"""Valid sample credentials of every signed format, made here with throw-away keys.

The verify benchmark and the fuzz tests need a credential that really verifies
(so the work measured or mutated reaches the deepest stage), without
depending on outside test data.
"""

from __future__ import annotations

import base64
import json
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import base45
import cbor2
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import NameOID

from guardstation.credentials.gspass import PassClaims, issue_pass
from guardstation.credentials.jwks import jwk_for, thumbprint
from guardstation.credentials.trust import TrustedKey, kid_for
from guardstation.credentials.x509_keys import dcc_kid, dcc_trusted_key
from guardstation.domain.credential import PersonKind

DCC_VACCINATION_EKU = "1.3.6.1.4.1.1847.2021.1.2"
SHC_ISSUER = "https://sample.guardstation.invalid/issuer"


@dataclass(frozen=True)
class Sample:
    text: str
    key: TrustedKey
    at: datetime  # a moment at which the sample is valid


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _es256(key: ec.EllipticCurvePrivateKey, data: bytes) -> bytes:
    r, s = decode_dss_signature(key.sign(data, ec.ECDSA(hashes.SHA256())))
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def sample_gspass(at: datetime) -> Sample:
    key = ed25519.Ed25519PrivateKey.generate()
    claims = PassClaims(
        "0189f3c2-7b1e-7000-8000-000000000001",
        "ab" * 16,
        "Budi Santoso",
        PersonKind.VISITOR,
        2,
        at - timedelta(days=1),
        at + timedelta(days=30),
    )
    return Sample(issue_pass(claims, key), TrustedKey(kid_for(key.public_key()), "gspass", key.public_key()), at)


def sample_dcc(at: datetime) -> Sample:
    """A two-dose vaccination certificate signed ES256 by a self-made document signer."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "GuardStation sample DSC"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
        ]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(at - timedelta(days=365))
        .not_valid_after(at + timedelta(days=365))
        .add_extension(x509.ExtendedKeyUsage([x509.ObjectIdentifier(DCC_VACCINATION_EKU)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    dcc = {
        "ver": "1.3.0",
        "nam": {"fn": "Nurhaliza", "fnt": "NURHALIZA", "gn": "Siti", "gnt": "SITI"},
        "dob": "1985-04-12",
        "v": [
            {
                "tg": "840539006",
                "vp": "1119349007",
                "mp": "EU/1/20/1528",
                "ma": "ORG-100030215",
                "dn": 2,
                "sd": 2,
                "dt": "2021-08-01",
                "co": "DE",
                "is": "Robert Koch-Institut",
                "ci": "URN:UVCI:01DE/IZ12345A/5CWLU12RNOB9RXSEOP6FG8#W",
            }
        ],
    }
    protected = cbor2.dumps({1: -7, 4: dcc_kid(cert)})
    payload = cbor2.dumps(
        {
            1: "DE",
            4: int((at + timedelta(days=180)).timestamp()),
            6: int((at - timedelta(days=10)).timestamp()),
            -260: {1: dcc},
        }
    )
    signature = _es256(key, cbor2.dumps(["Signature1", protected, b"", payload]))
    message = cbor2.dumps(cbor2.CBORTag(18, [protected, {}, payload, signature]))
    text = "HC1:" + base45.b45encode(zlib.compress(message, 9)).decode("ascii")
    return Sample(text, dcc_trusted_key(cert), at)


def sample_shc(at: datetime) -> Sample:
    """A SMART Health Card with a patient and two completed COVID immunisations."""
    key = ec.generate_private_key(ec.SECP256R1())
    kid = thumbprint(jwk_for(key.public_key()))
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {
                "fullUrl": "resource:0",
                "resource": {
                    "resourceType": "Patient",
                    "birthDate": "1980-08-17",
                    "name": [{"family": "Santoso", "given": ["Budi"]}],
                },
            },
            *(
                {
                    "fullUrl": f"resource:{i}",
                    "resource": {
                        "resourceType": "Immunization",
                        "status": "completed",
                        "patient": {"reference": "resource:0"},
                        "vaccineCode": {"coding": [{"system": "http://hl7.org/fhir/sid/cvx", "code": "207"}]},
                        "occurrenceDateTime": f"2021-0{i}-01",
                    },
                }
                for i in (1, 2)
            ),
        ],
    }
    payload = {
        "iss": SHC_ISSUER,
        "nbf": int((at - timedelta(days=30)).timestamp()),
        "vc": {
            "type": ["https://smarthealth.cards#health-card"],
            "credentialSubject": {"fhirVersion": "4.0.1", "fhirBundle": bundle},
        },
    }
    deflate = zlib.compressobj(wbits=-15)
    body = deflate.compress(json.dumps(payload, separators=(",", ":")).encode()) + deflate.flush()
    signing_input = _b64url(json.dumps({"alg": "ES256", "zip": "DEF", "kid": kid}).encode()) + "." + _b64url(body)
    jws = signing_input + "." + _b64url(_es256(key, signing_input.encode("ascii")))
    text = "shc:/" + "".join(f"{ord(c) - 45:02d}" for c in jws)
    return Sample(text, TrustedKey(kid.encode("ascii"), "shc", key.public_key(), SHC_ISSUER, issuer=SHC_ISSUER), at)


DEFAULT_AT = datetime(2021, 10, 1, 9, 0, tzinfo=timezone(timedelta(hours=7)))
