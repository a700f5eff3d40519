"""Recognising what a QR text is before verifying it."""

from __future__ import annotations

import pytest

from guardstation.credentials.classify import classify
from guardstation.domain.credential import CredentialKind


@pytest.mark.parametrize(
    "text, kind, label",
    [
        ("GS1:RRQT 9P60GO0XJA", CredentialKind.GSPASS, None),
        ("GS1:", CredentialKind.GSPASS, None),
        ("HC1:NCFOXN%TS3DH3ZSUZK+.V0ETD%65NL-AH", CredentialKind.DCC, "EU DCC"),
        ("shc:/56762909524320603460292437404460", CredentialKind.SHC, "SMART Health Card"),
        ("https://e.coronawarn.app?v=1#CAESJQgBEgpBZ", CredentialKind.VENUE, "Corona-Warn-App"),
        ("https://qr.notifyme.ch/?v=2#CAESJ", CredentialKind.VENUE, "NotifyMe"),
        ("https://app.luca-app.de/webapp/setup#abc", CredentialKind.VENUE, "luca"),
        ("NZCOVIDTRACER:eyJnbG4iOiI3MTIzNDU2", CredentialKind.VENUE, "NZ COVID Tracer"),
        ("UKC19TRACING:1:eyJhbGciOiJFUzI1NiIs", CredentialKind.VENUE, "NHS COVID-19"),
        ("https://www.safeentry-qr.gov.sg/tenant/PROD-123", CredentialKind.VENUE, "SafeEntry"),
        ("3513011708800008", CredentialKind.NIK, None),
        (" 3513011708800008\n", CredentialKind.NIK, None),
        ("hello world", CredentialKind.TEXT, None),
        ("", CredentialKind.TEXT, None),
        ("https://pedulilindungi.id/", CredentialKind.TEXT, None),
    ],
)
def test_classify(text, kind, label):
    assert classify(text) == (kind, label)


@pytest.mark.parametrize(
    "text",
    [
        "351301170880000",  # 15 digits
        "35130117088000081",  # 17 digits
        "3513 0117 0880 0008",  # a NIK with spaces is typed text, not a QR payload
        "NIK 3513011708800008",
        "gs1:RRQT",  # prefixes are case sensitive
        "hc1:NCFOXN",
        "SHC:/5676",
        " GS1:RRQT",  # a leading space is not our pass
    ],
)
def test_near_misses_are_plain_text(text):
    assert classify(text)[0] is CredentialKind.TEXT
