"""One entry point for every payload: parse_and_verify(text, trust, at) -> Credential."""

from __future__ import annotations

from datetime import datetime

from guardstation.credentials import classify, dcc, gspass, shc
from guardstation.credentials.trust import TrustStore
from guardstation.domain.credential import Credential, CredentialKind
from guardstation.domain.reasons import Reason


def parse_and_verify(text: str | None, trust: TrustStore, at: datetime) -> Credential:
    """Never raises on bad input: every rejection comes back as a Credential with a reason."""
    if text is None:
        return Credential(CredentialKind.NONE, None, {"picture_decode": False}, Reason("no_code"))
    kind, _label = classify.classify(text)
    if kind is CredentialKind.GSPASS:
        return gspass.verify_pass(text, trust, at)
    if kind is CredentialKind.SHC:
        return shc.verify_shc(text, trust, at)
    if kind is CredentialKind.DCC:
        return dcc.verify_dcc(text, trust, at)
    # Venue codes, links, a bare NIK, free text: unsigned, so answered but never trusted.
    return classify.describe_other(text)
