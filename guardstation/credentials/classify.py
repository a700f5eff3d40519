"""Recognise what kind of code a QR text is, before any verification."""
from __future__ import annotations

import re

from ..domain.credential import CredentialKind
from . import gspass

NIK_PATTERN = re.compile(r"^\s*\d{16}\s*$")

# Venue check-in codes name a place, not a person (prefix -> scheme label).
VENUE_PREFIXES = (
    ("https://e.coronawarn.app", "Corona-Warn-App"),
    ("https://qr.notifyme.ch", "NotifyMe"),
    ("https://qr.crowdnotifier", "CrowdNotifier"),
    ("https://app.luca-app.de/webapp", "luca"),
    ("NZCOVIDTRACER:", "NZ COVID Tracer"),
    ("UKC19TRACING:", "NHS COVID-19"),
    ("https://temperaturepass.ndi-api.gov.sg", "SafeEntry"),
    ("https://www.safeentry-qr.gov.sg", "SafeEntry"),
)


def classify(text: str) -> tuple[CredentialKind, str | None]:
    """(kind, scheme label) for a decoded QR text."""
    if text.startswith(gspass.PREFIX):
        return CredentialKind.GSPASS, None
    if text.startswith("HC1:"):
        return CredentialKind.DCC, "EU DCC"
    if text.startswith("shc:/"):
        return CredentialKind.SHC, "SMART Health Card"
    for prefix, label in VENUE_PREFIXES:
        if text.startswith(prefix):
            return CredentialKind.VENUE, label
    if NIK_PATTERN.match(text):
        return CredentialKind.NIK, None
    return CredentialKind.TEXT, None
