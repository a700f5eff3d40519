"""Issuing our own visitor passes: the issuer key pair and the pass picture.

The private key lives only in the keyring; its public half goes into this
station's trust store so passes it issues verify here offline.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import cv2
import numpy as np
import zxingcpp
from cryptography.hazmat.primitives.asymmetric import ed25519

from guardstation.credentials.gspass import PassClaims, issue_pass
from guardstation.credentials.trust import ed25519_from_raw_private, raw_private_bytes
from guardstation.domain.credential import PersonKind
from guardstation.domain.ids import new_id
from guardstation.domain.subject import identity_from_name, identity_from_nik, subject_key
from guardstation.store import reference
from guardstation.store.db import Database
from guardstation.store.secrets import DEPLOYMENT_SECRET, ISSUER_SECRET, SecretStore


def deployment_key(secrets: SecretStore) -> bytes:
    key, _created = secrets.get_or_create_bytes(DEPLOYMENT_SECRET)
    return key


def issuer_key(secrets: SecretStore, db: Database, now: datetime) -> ed25519.Ed25519PrivateKey:
    """The issuer key, created on first use; its public key is always trusted by this station."""
    stored = secrets.get(ISSUER_SECRET)
    if stored is None:
        private = ed25519.Ed25519PrivateKey.generate()
        secrets.put(ISSUER_SECRET, base64.b64encode(raw_private_bytes(private)).decode("ascii"))
    else:
        private = ed25519_from_raw_private(base64.b64decode(stored))
    with db.transaction() as session:
        reference.add_trusted_key(
            session, scheme="gspass", public_key=private.public_key(), label="this station's pass issuer", now=now
        )
    return private


@dataclass(frozen=True)
class PassRequest:
    name: str
    kind: PersonKind
    doses: int | None
    valid_from: datetime
    valid_days: int
    nik: str | None = None
    birth_date: date | None = None
    last_dose: date | None = None


def make_pass_text(
    request: PassRequest, private_key: ed25519.Ed25519PrivateKey, hmac_key: bytes, kid: bytes | None = None
) -> str:
    if request.nik:
        identity = identity_from_nik(request.nik)
    else:
        # Without a NIK the pass id itself is the identity: one pass, one subject.
        identity = identity_from_name(request.name, request.birth_date) if request.birth_date else None
    pass_id = new_id()
    claims = PassClaims(
        pass_id=pass_id,
        subject_key=subject_key(hmac_key, identity or f"PASS:{pass_id}"),
        display_name=request.name,
        kind=request.kind,
        doses=request.doses,
        valid_from=request.valid_from,
        valid_until=request.valid_from + timedelta(days=request.valid_days),
        last_dose=request.last_dose,
        issued_at=request.valid_from,
    )
    return issue_pass(claims, private_key, kid)


def render_pass_png(text: str, caption_lines: list[str], path: Path, scale: int = 6) -> Path:
    """A printable card: the QR with a quiet zone and a caption underneath."""
    code = np.asarray(
        zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M").to_image(
            scale=scale, add_quiet_zones=True
        )
    )
    width = max(code.shape[1], 520)
    caption_h = 34 * len(caption_lines) + 20
    card = np.full((code.shape[0] + caption_h, width), 255, np.uint8)
    x0 = (width - code.shape[1]) // 2
    card[: code.shape[0], x0 : x0 + code.shape[1]] = code
    for i, line in enumerate(caption_lines):
        # OpenCV's Hershey fonts are ASCII-only: keep captions ASCII (names are shown on screen anyway).
        safe = line.encode("ascii", "replace").decode("ascii")
        cv2.putText(card, safe, (16, code.shape[0] + 30 + 34 * i), cv2.FONT_HERSHEY_SIMPLEX, 0.8, 0, 2, cv2.LINE_AA)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not cv2.imwrite(str(path), card):
        raise OSError(f"cannot write {path}")
    return path
