"""Recognise what kind of code a QR text is, before any verification."""

from __future__ import annotations

from guardstation.credentials import gspass, venue
from guardstation.credentials.venue import NIK_PATTERN
from guardstation.domain.credential import Credential, CredentialKind
from guardstation.domain.reasons import Reason

__all__ = ["CREDENTIAL_PREFIXES", "NIK_PATTERN", "classify", "describe_other"]  # NIK_PATTERN: kept importable from here

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
    What to tell the guard about VENUE/NIK/TEXT codes: describe_other(text).
    """
    for prefix, kind, label in CREDENTIAL_PREFIXES:
        if text.startswith(prefix):
            return kind, label
    found = venue.recognise(text)
    return found.kind, found.label


def describe_other(text: str) -> Credential:
    """The unsigned answer for any code: a Credential whose failure always says what it was.

    Codes that are verifiable credentials (our pass, EU DCC, SMART) belong to their verifiers; given
    here they are answered as "not verified here", never trusted.
    """
    kind, label = classify(text) if isinstance(text, str) else (CredentialKind.TEXT, None)
    if kind in (CredentialKind.GSPASS, CredentialKind.DCC, CredentialKind.SHC):
        reason = Reason(venue.REASON_UNSUPPORTED, {"kind": label or "GuardStation"})
    else:
        found = venue.recognise(text)
        kind, reason = found.kind, found.reason
    return Credential(kind, text if isinstance(text, str) else None, {}, reason)
