"""Venue check-in codes, links, foreign passes, bare NIKs and free text: named clearly, never trusted."""

from __future__ import annotations

import base64
import hashlib
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guardstation.credentials.classify import classify, describe_other
from guardstation.credentials.venue import recognise, split_url
from guardstation.domain.credential import CredentialKind
from guardstation.domain.reasons import Reason

CWA_PAYLOAD = (
    "CAESLAgBEhNEb2xvcmVzIGN1bHBhIHV0IHNpGhNOb3N0cnVkIE5hbSBpZCBlbGlnGnYIARJggwLMzE153tQwAOf2MZoUXXfzWTdlSpfS9"
)
NZ_VENUE = (
    "NZCOVIDTRACER:eyJnbG4iOiI3MDAwMDAwNzU0NTAwIiwidmVyIjoiYzE5OjEiLCJ0eXAiOiJlbnRyeSIsIm9wbiI6IlRyZWV0b3duIEd5"
    "bSIsImFkciI6IjEgU2hha2VzcGVhcmUgUm9hZFxuQmFzdGlhIEhpbGxcbldoYW5nYW51aSJ9"
)
UK_VENUE = (
    "UKC19TRACING:1:eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6IjMifQ.eyJpZCI6IjRXVDU5TTVZIiwib3BuIjoiR292ZX"
    "JubWVudCBPZmZpY2UgT2YgSHVtYW4gUmVzb3VyY2VzIn0.ZIvwm9rxiRTm4o-koafL6Bzre9pakcyae8m6_MSyvAl"
)
LUCA_SCANNER = "512875cb-17e6-4dad-ac62-3e792d94e03f"


def luca_guest_code(seed: bytes = b"guest", checksum_ok: bool = True) -> str:
    filler = hashlib.sha512(seed).digest() + hashlib.sha512(seed + b"2").digest()
    data = bytes([4, 1, 0, 1]) + filler[:93]  # 97 bytes, as the luca app lays them out
    checksum = hashlib.sha256(data).digest()[:4]
    if not checksum_ok:
        checksum = bytes(b ^ 0xFF for b in checksum)
    return base64.b32encode(data + checksum).decode()


VENUES = [
    (f"https://e.coronawarn.app?v=1#{CWA_PAYLOAD}", "Corona-Warn-App"),
    (f"https://e.coronawarn.app/?v=1#{CWA_PAYLOAD}", "Corona-Warn-App"),
    ("HTTPS://E.CORONAWARN.APP/C1/BIYAUEDBZY6EIWF7QX6JOKSRPAGEB3H7CIIEGV2BEBGGC5LOMNUCAUDBO", "Corona-Warn-App"),
    ("https://qr.notifyme.ch/?v=2#CAESJQgBEgpBZG1pbmlzdHJhdGlvbg", "NotifyMe"),
    ("https://qr.swisscovid.ch/?v=3#CAESJQgBEgpBZG1pbmlzdHJh", "SwissCovid"),
    (f"https://app.luca-app.de/webapp/{LUCA_SCANNER}", "luca"),
    (f"https://app.luca-app.de/webapp/{LUCA_SCANNER}#e30/CWA1/{CWA_PAYLOAD}", "luca"),
    ("https://app.luca-app.de/webapp/meeting/e4e3c0d2#e30", "luca"),
    (f"luca://luca-app.de/webapp/{LUCA_SCANNER}", "luca"),
    ("https://app.luca-app.de/webapp/setup#abc", "luca"),
    (NZ_VENUE, "NZ COVID Tracer"),
    (NZ_VENUE.lower()[:14] + NZ_VENUE[14:], "NZ COVID Tracer"),  # the NZ app accepts any case
    (UK_VENUE, "NHS COVID-19"),
    (
        "https://www.safeentry-qr.gov.sg/tenant/PROD-200604346E-174923-FRASERSPROPERTYRETAILMANAGEMENTSPTELTD-SE",
        "SafeEntry",
    ),
    ("https://temperaturepass.ndi-api.gov.sg/login/PROD-201234567K-123456-ACMEPTELTD-SE", "SafeEntry"),
    (
        "https://www.service.nsw.gov.au/campaign/service-nsw-mobile-app?data=eyJ0IjoiY292aWQxOV9idXNpbmVzcyJ9",
        "Service NSW",
    ),
    ("https://qr.thaichana.com/?appId=0001&shopId=S0000012345", "Thai Chana"),
    ("https://pedulilindungi.id/checkin/ABC123", "PeduliLindungi"),
    ("https://www.pedulilindungi.id/qr-code/KANTORBUPATI01", "PeduliLindungi"),
    ("  https://e.coronawarn.app?v=1#CAES \r\n", "Corona-Warn-App"),  # surrounding whitespace from a scanner
]


@pytest.mark.parametrize("text, label", VENUES)
def test_venue_codes_are_named_and_never_trusted(text, label):
    assert classify(text) == (CredentialKind.VENUE, label)
    credential = describe_other(text)
    assert credential.kind is CredentialKind.VENUE
    assert not credential.trusted and not credential.signed
    assert credential.failure == Reason("venue_code", {"scheme": label})
    assert label in credential.failure.text("id") or "Kode lokasi" in credential.failure.text("id")
    assert credential.decoded == text


@pytest.mark.parametrize(
    "text, host",
    [
        ("https://pedulilindungi.id/", "pedulilindungi.id"),
        ("https://www.pedulilindungi.id/cek-sertifikat", "www.pedulilindungi.id"),
        ("https://www.google.com/search?q=vaksin", "www.google.com"),
        ("HTTP://EXAMPLE.ORG", "example.org"),
        ("https://e.coronawarn.app@evil.example/?v=1#CAES", "evil.example"),  # user info is not the host
        ("https://e.coronawarn.app.evil.example/?v=1#CAES", "e.coronawarn.app.evil.example"),
        ("https://e-coronawarn.app/?v=1#CAES", "e-coronawarn.app"),
        ("https://notluca-app.de/webapp/x", "notluca-app.de"),
        ("https://www.luca-app.de/", "www.luca-app.de"),  # luca's homepage, not a check-in
        ("https://app.luca-app.de:8443", "app.luca-app.de"),
        ("https://www.service.nsw.gov.au/transaction/apply", "www.service.nsw.gov.au"),
        ("https://kantor.example.go.id.", "kantor.example.go.id"),
    ],
)
def test_other_links_are_web_links(text, host):
    assert classify(text) == (CredentialKind.TEXT, None)
    credential = describe_other(text)
    assert credential.failure == Reason("url", {"host": host})
    assert not credential.trusted


@pytest.mark.parametrize(
    "text, label",
    [
        (
            "NZCP:/1/2KCEVIQEIVVWK6JNGEASNICZAEP2KALYDZSGSZB2O5SWEOTOPJRXALTDN53GSZBRHEXGQZLBNR2GQLTOPICRUYMBTIFAIGTUKBAAUYTWMOSGQQDDN5XHIZLYOSBHQJTIOR2HA4Z2F4XXO53XFZ3TGLTPOJTS6MRQGE4C6Y3SMVSGK3TUNFQWY4ZPOYYXQKTIOR2HA4Z2F4XW46DHMYWGQY3KF4ZSSTF2YRYCLWIRJO3GD2PAM4E5T4XN2BDMF2IXONH2RAL4JFFPKYWFN3DJT4RWXWF4PGHP5SQFKQUWB5PLFWXKI2Y3DEAUUSNAVLPNMDC",
            "NZ COVID Pass",
        ),
        ("https://app.luca-app.de/webapp/testresult/#eyJ0eXAiOiJKV1QiLCJhbGciOiJFUzI1NiJ9.e30.sig", "luca test result"),
        ("PK\x03\x04\x14\x00\x00\x00\x08\x00certificate.json", "DIVOC"),
    ],
)
def test_foreign_passes_are_named_but_not_verified(text, label):
    assert classify(text) == (CredentialKind.TEXT, label)
    credential = describe_other(text)
    assert credential.failure == Reason("credential_unsupported", {"kind": label})
    assert not credential.trusted


def test_luca_guest_code_is_recognised_by_its_checksum():
    code = luca_guest_code()
    assert len(code) == 168
    assert classify(code) == (CredentialKind.TEXT, "luca")
    assert describe_other(code).failure.code == "app_code"
    assert "luca" in describe_other(code).failure.text("id")
    assert classify(luca_guest_code(checksum_ok=False)) == (CredentialKind.TEXT, None)
    assert classify(code.lower()) == (CredentialKind.TEXT, None)


@pytest.mark.parametrize("text", ["3513011708800008", " 3513011708800008\n"])
def test_a_bare_nik_is_unsigned(text):
    assert classify(text) == (CredentialKind.NIK, None)
    credential = describe_other(text)
    assert credential.kind is CredentialKind.NIK
    assert credential.failure == Reason("unsigned_nik")
    assert credential.identity is None and credential.subject_key is None  # an unsigned NIK identifies nobody


@pytest.mark.parametrize(
    "text",
    [
        "hello world",
        "",
        "Selamat pagi, Pak",
        "3513 0117 0880 0008",
        "NIK 3513011708800008",
        "\u0663\u0665\u0661\u0663" * 4,  # Arabic-Indic digits are not a NIK
        "WIFI:S:Kantor;T:WPA;P:rahasia;;",
        "https://",
        "https:// spaced.example",
        "luca://evil.example/webapp/x",
        "ftp://example.org/file",
    ],
)
def test_free_text_is_plain_text(text):
    assert classify(text) == (CredentialKind.TEXT, None)
    credential = describe_other(text)
    assert credential.failure == Reason("plain_text")
    assert not credential.trusted


@pytest.mark.parametrize(
    "text, label",
    [
        ("GS1:RRQT 9P60GO0XJA", "GuardStation"),
        ("HC1:NCFOXN%TS3DH3ZSUZK+.V0ETD%65NL-AH", "EU DCC"),
        ("shc:/56762909524320603460292437404460", "SMART Health Card"),
    ],
)
def test_credentials_given_to_describe_other_are_not_verified_there(text, label):
    credential = describe_other(text)
    assert credential.failure == Reason("credential_unsupported", {"kind": label})
    assert not credential.trusted


HOSTILE = [
    "A" * 100_000,
    "NZCOVIDTRACER:" + "\x00" * 100_000,
    "https://e.coronawarn.app/" + "a" * 100_000,
    "https://" + "a" * 100_000,
    "https://" + "a." * 50_000 + "app",
    "https://e.coronawarn.app\x00/?v=1",
    "https://e.coronawarn.app/\x00?v=1",
    "https://e.coron\u0430warn.app/?v=1",  # Cyrillic 'a': not the CWA host
    "\x00" * 1000,
    "\U0001f600" * 50_000,
    "\ud800\udfff\ud800",  # lone surrogates
    "\u202ehttps://e.coronawarn.app",  # right-to-left override
    "3513011708800008" * 6250,
    "\n" * 100_000 + "3513011708800008",
    "@" * 10_000 + "https://x",
    "https://" + "@" * 50_000 + "e.coronawarn.app",
    "https://[::1]/webapp",
]


@pytest.mark.parametrize("index", range(len(HOSTILE)))
def test_hostile_input_is_answered_quickly(index):
    text = HOSTILE[index]
    started = time.perf_counter()
    credential = describe_other(text)
    kind, _ = classify(text)
    elapsed = time.perf_counter() - started
    assert elapsed < 0.05, elapsed
    assert credential.failure is not None and not credential.trusted
    assert credential.kind is kind
    assert (
        kind is not CredentialKind.VENUE
        or text.startswith("NZCOVIDTRACER:")
        or text.startswith("https://e.coronawarn.app/a")
    )


def test_hostile_venue_lookalikes_are_not_venues():
    for text in (
        "https://e.coronawarn.app\x00/?v=1",
        "https://e.coron\u0430warn.app/?v=1",
        "\u202ehttps://e.coronawarn.app",
        "https://" + "@" * 50_000 + "e.coronawarn.app",
    ):
        assert classify(text)[0] is not CredentialKind.VENUE


def test_split_url_parses_only_real_urls():
    assert split_url("https://User:pw@App.Luca-App.DE:443/webapp/X?a=1#f") == (
        "https",
        "app.luca-app.de",
        "/webapp/X?a=1#f",
    )
    assert split_url("https://host.example:99999999/") is None
    assert split_url("https://-bad-.example/") is None
    assert split_url("https://host.example/with space") is None
    assert split_url("mailto:someone@example.org") is None


def test_recognise_never_trusts_and_agrees_with_classify():
    for text, _ in VENUES:
        found = recognise(text)
        assert found.reason.code == "venue_code"
        assert classify(text) == (found.kind, found.label)


@settings(max_examples=2000, deadline=None)
@given(
    st.one_of(
        st.text(max_size=200),
        st.builds(
            lambda p, t: p + t,
            st.sampled_from(
                [
                    "https://",
                    "HTTPS://E.CORONAWARN.APP",
                    "https://e.coronawarn.app",
                    "luca://luca-app.de/webapp/",
                    "NZCOVIDTRACER:",
                    "UKC19TRACING:",
                    "NZCP:/",
                    "PK\x03\x04",
                    "https://pedulilindungi.id/",
                    "https://app.luca-app.de/webapp/testresult/#",
                ]
            ),
            st.text(max_size=200),
        ),
        st.text(alphabet="0123456789 \n", max_size=40),
        st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ234567=", min_size=150, max_size=180),
    )
)
def test_any_text_gets_an_untrusted_answer(text):
    credential = describe_other(text)
    assert credential.failure is not None and isinstance(credential.failure.code, str)
    assert not credential.trusted and not credential.signed
    assert credential.identity is None and credential.vaccination is None
    assert credential.kind in (
        CredentialKind.VENUE,
        CredentialKind.TEXT,
        CredentialKind.NIK,
        CredentialKind.GSPASS,
        CredentialKind.DCC,
        CredentialKind.SHC,
    )
    assert credential.kind is classify(text)[0]
    assert credential.failure.text("id") and credential.failure.text("en")
