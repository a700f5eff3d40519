"""One entry point for every payload: parse_and_verify(text, trust, at) -> Credential."""
from __future__ import annotations

from datetime import datetime

from ..domain.credential import Credential, CredentialKind
from ..domain.reasons import Reason
from . import gspass
from .classify import classify
from .trust import TrustStore


def parse_and_verify(text: str | None, trust: TrustStore, at: datetime) -> Credential:
    """Never raises on bad input: every rejection comes back as a Credential with a reason."""
    if text is None:
        return Credential(CredentialKind.NONE, None, {"picture_decode": False}, Reason("no_code"))
    kind, label = classify(text)
    if kind is CredentialKind.GSPASS:
        return gspass.verify_pass(text, trust, at)
    if kind in (CredentialKind.DCC, CredentialKind.SHC):
        # Recognised but not verified here yet: never trusted, so never green.
        return Credential(kind, text, {"unprefix": True}, Reason("credential_unsupported", {"kind": label}))
    if kind is CredentialKind.VENUE:
        return Credential(kind, text, {}, Reason("venue_code", {"scheme": label}))
    if kind is CredentialKind.NIK:
        return Credential(kind, text, {}, Reason("unsigned_nik"))
    return Credential(kind, text, {}, Reason("plain_text"))
