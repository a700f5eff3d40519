"""Recognise what kind of code a QR text is, before any verification."""
from __future__ import annotations

from ..domain.credential import CredentialKind
from . import gspass, venue
from .venue import NIK_PATTERN

__all__ = ["CREDENTIAL_PREFIXES", "NIK_PATTERN", "classify"]   # NIK_PATTERN: kept importable from here

# Verifiable credentials by their exact, case-sensitive prefix (what the issuers' QR codes carry).
CREDENTIAL_PREFIXES = (
    (gspass.PREFIX, CredentialKind.GSPASS, None),
    ("HC1:", CredentialKind.DCC, "EU DCC"),
    ("shc:/", CredentialKind.SHC, "SMART Health Card"),
)


def classify(text: str) -> tuple[CredentialKind, str | None]:
    """(kind, scheme label) for a decoded QR text.

    VENUE: a check-in code of a place (label = the app); NIK: a bare 16-digit NIK; TEXT: anything
    else, with a label when it is a known pass this station cannot verify (e.g. "NZ COVID Pass").
    What to tell the guard about VENUE/NIK/TEXT codes: venue.describe_other(text).
    """
    for prefix, kind, label in CREDENTIAL_PREFIXES:
        if text.startswith(prefix):
            return kind, label
    found = venue.recognise(text)
    return found.kind, found.label
