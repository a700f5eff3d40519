"""Every other code people hold up: venue check-in codes, links, foreign passes, bare NIKs, text.

None of them identifies a person with a signature, so none is ever trusted; what matters is a clear
answer for the guard ("that is the café's check-in code, not your certificate"). Matching is by
well-defined structure only: a fixed prefix (case-insensitive where the apps themselves accept any
case), or a URL whose scheme and host are parsed (case-insensitive) with a user-info trick
("https://e.coronawarn.app@evil.example/") seen for what it is. Hostile input (megabytes, NUL bytes,
control characters, emoji) costs a bounded prefix scan: nothing here reads past MAX_SCAN characters
except the NIK check, which is a fixed-length match.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass

from guardstation.domain.credential import CredentialKind
from guardstation.domain.reasons import Reason

MAX_SCAN = 4096  # characters looked at to recognise a code
NIK_PATTERN = re.compile(r"\s*[0-9]{16}\s*")  # fullmatch; ASCII digits only

# Reason codes (see domain/reasons.py).
REASON_VENUE = "venue_code"  # params: scheme
REASON_URL = "url"  # params: host
REASON_PLAIN = "plain_text"
REASON_NIK = "unsigned_nik"
REASON_UNSUPPORTED = "credential_unsupported"  # params: kind


@dataclass(frozen=True)
class Recognised:
    kind: CredentialKind
    label: str | None  # scheme label shown to the guard ("PeduliLindungi", "luca", ...)
    reason: Reason


# Prefix codes (not URLs). The apps compare case-insensitively, so do we.
_PREFIX_VENUES = (
    ("NZCOVIDTRACER:", "NZ COVID Tracer"),  # NZCOVIDTRACER:<base64 JSON {gln, opn, adr, ver, typ}>
    ("UKC19TRACING:", "NHS COVID-19"),  # UKC19TRACING:1:<JWT of the venue>
)
# Foreign health passes we recognise but cannot verify here: never trusted, but named.
_PREFIX_PASSES = (("NZCP:/", "NZ COVID Pass"),)

# URL hosts: (registrable domain, path prefix or "", label). A host matches the domain itself or any
# subdomain of it; the path prefix is compared case-insensitively (QR alphanumeric mode upper-cases
# whole URLs, e.g. "HTTPS://E.CORONAWARN.APP/C1/...").
_URL_VENUES = (
    ("e.coronawarn.app", "", "Corona-Warn-App"),  # ?v=1#<base64url TraceLocation> or /c1/<base32>
    ("qr.notifyme.ch", "", "NotifyMe"),  # CrowdNotifier: ?v=2#<base64url>
    ("qr-dev.notifyme.ch", "", "NotifyMe"),
    ("qr.swisscovid.ch", "", "SwissCovid"),  # CrowdNotifier check-in of the Swiss app
    ("luca-app.de", "/webapp", "luca"),  # /webapp/<scanner uuid>[#data[/CWA1/...]]
    ("safeentry-qr.gov.sg", "", "SafeEntry"),  # /tenant/PROD-<UEN>-<id>-<name>-SE/...
    ("temperaturepass.ndi-api.gov.sg", "", "SafeEntry"),
    ("service.nsw.gov.au", "/campaign/service-nsw-mobile-app", "Service NSW"),  # ?data=<base64 JSON>
    ("qr.thaichana.com", "", "Thai Chana"),
)
# PeduliLindungi (Indonesia, 2021-2022). Its venue QR payload is not publicly documented; URLs on
# its own domain whose path speaks of check-in or QR codes are taken as venue codes, any other
# pedulilindungi.id link is just a link. See PEDULILINDUNGI_TEXT for the plain-text form.
PEDULILINDUNGI = "PeduliLindungi"
_PEDULILINDUNGI_DOMAINS = ("pedulilindungi.id",)
_PEDULILINDUNGI_PATH = re.compile(r"check-?in|scan|qr", re.IGNORECASE)
# A plain-text PeduliLindungi venue code, once a real sample confirms its shape; None = not recognised.
PEDULILINDUNGI_TEXT: re.Pattern[str] | None = None

_URL = re.compile(r"(https?|luca)://([^/?#]*)(.*)", re.IGNORECASE | re.DOTALL)
_HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.?")
_PORT = re.compile(r"[0-9]{1,5}")
_URL_BODY_BAD = re.compile(r"[\x00-\x20\x7f]")
_BASE32 = re.compile(r"[A-Z2-7]+=*")
# luca's guest check-in QR: base32(97 bytes: version, device type, entry policy, key id, timestamp,
# trace id, encrypted data, ephemeral key, tag; + 4 bytes SHA-256 checksum) -> 168 characters.
_LUCA_GUEST_BYTES = 101


def _prefix_match(text: str, table: tuple[tuple[str, str], ...]) -> str | None:
    head = text[:32].upper()
    for prefix, label in table:
        if head.startswith(prefix):
            return label
    return None


def _host_matches(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)


def split_url(text: str) -> tuple[str, str, str] | None:
    """(scheme, host, rest) for an absolute http(s) URL with a valid host, lower-cased; else None.

    User info ("user@host") is dropped: the host is what follows the last '@', as a browser sees it.
    A URL never contains spaces or control characters; text that does is not a URL.
    """
    match = _URL.fullmatch(text[:MAX_SCAN]) if len(text) <= MAX_SCAN else None
    if match is None:
        return None
    scheme, authority, rest = match[1].lower(), match[2], match[3]
    if _URL_BODY_BAD.search(authority) or _URL_BODY_BAD.search(rest):
        return None
    host = authority.rpartition("@")[2]
    if host.startswith("["):
        return None  # IPv6 literals: a link, but never one of the venue hosts
    host, _, port = host.partition(":")
    if port and not _PORT.fullmatch(port):
        return None
    host = host.lower()
    if not host or len(host) > 253 or not _HOST.fullmatch(host):
        return None
    return scheme, host.rstrip("."), rest


def _luca_guest_code(text: str) -> bool:
    """luca's personal check-in QR (app or key-ring badge), recognised by its SHA-256 checksum."""
    if not 160 <= len(text) <= 176 or not _BASE32.fullmatch(text):
        return False
    try:
        raw = base64.b32decode(text + "=" * (-len(text) % 8))
    except (binascii.Error, ValueError):
        return False
    return len(raw) == _LUCA_GUEST_BYTES and hashlib.sha256(raw[:-4]).digest()[:4] == raw[-4:]


def _recognise_url(scheme: str, host: str, rest: str) -> Recognised | None:
    path = rest.split("?", 1)[0].split("#", 1)[0].lower()
    if scheme == "luca":
        host_ok = host == "luca-app.de" or host.endswith(".luca-app.de")
        if not host_ok:
            return None
    if _host_matches(host, "luca-app.de") and (path == "/webapp" or path.startswith("/webapp/")):
        if path.startswith("/webapp/testresult"):
            # A luca test-result link: a person's document, signed by the test centre, not verifiable here.
            return Recognised(
                CredentialKind.TEXT, "luca test result", Reason(REASON_UNSUPPORTED, {"kind": "luca test result"})
            )
        return Recognised(CredentialKind.VENUE, "luca", Reason(REASON_VENUE, {"scheme": "luca"}))
    if scheme == "luca":
        return None
    for domain, path_prefix, label in _URL_VENUES:
        if _host_matches(host, domain) and path.startswith(path_prefix):
            return Recognised(CredentialKind.VENUE, label, Reason(REASON_VENUE, {"scheme": label}))
    if any(_host_matches(host, d) for d in _PEDULILINDUNGI_DOMAINS) and _PEDULILINDUNGI_PATH.search(path):
        return Recognised(CredentialKind.VENUE, PEDULILINDUNGI, Reason(REASON_VENUE, {"scheme": PEDULILINDUNGI}))
    return None


def recognise(text: str) -> Recognised:
    """What a code that is not one of our verifiable credentials is. Never raises, never trusts."""
    if not isinstance(text, str):
        return Recognised(CredentialKind.TEXT, None, Reason(REASON_PLAIN))
    stripped = text[:MAX_SCAN].strip()
    label = _prefix_match(stripped, _PREFIX_VENUES)
    if label is not None:
        return Recognised(CredentialKind.VENUE, label, Reason(REASON_VENUE, {"scheme": label}))
    label = _prefix_match(stripped, _PREFIX_PASSES)
    if label is not None:
        return Recognised(CredentialKind.TEXT, label, Reason(REASON_UNSUPPORTED, {"kind": label}))
    if stripped.startswith("PK\x03\x04"):
        # A ZIP file in a QR code: DIVOC certificates (India's CoWIN and others) travel like this.
        return Recognised(CredentialKind.TEXT, "DIVOC", Reason(REASON_UNSUPPORTED, {"kind": "DIVOC"}))
    if PEDULILINDUNGI_TEXT is not None and PEDULILINDUNGI_TEXT.fullmatch(stripped):
        return Recognised(CredentialKind.VENUE, PEDULILINDUNGI, Reason(REASON_VENUE, {"scheme": PEDULILINDUNGI}))
    url = split_url(stripped) if len(text) <= MAX_SCAN else None
    if url is not None:
        found = _recognise_url(*url)
        if found is not None:
            return found
        if url[0] != "luca":
            return Recognised(CredentialKind.TEXT, None, Reason(REASON_URL, {"host": url[1]}))
    if len(text) <= 64 and NIK_PATTERN.fullmatch(text):
        return Recognised(CredentialKind.NIK, None, Reason(REASON_NIK))
    if len(text) <= MAX_SCAN and _luca_guest_code(stripped):
        # A person's luca code, meant for the venue's luca scanner: no certificate in it.
        return Recognised(CredentialKind.TEXT, "luca", Reason("app_code", {"scheme": "luca"}))
    return Recognised(CredentialKind.TEXT, None, Reason(REASON_PLAIN))
