"""Demo mode: a sample office with a small capacity, demo passes and a camera that shows them.

Lets anyone see the whole flow with no webcam and no server: green, yellow,
capacity full, check-out, red (not vaccinated, forged, expired) and black.
"""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ed25519

from guardstation.credentials.trust import kid_for
from guardstation.domain.credential import PersonKind
from guardstation.domain.subject import identity_from_nik
from guardstation.station.checkpoint import ManualEntry
from guardstation.station.context import StationContext, open_station
from guardstation.station.pass_issuer import PassRequest, deployment_key, issuer_key, make_pass_text, render_pass_png
from guardstation.store import reference

DEMO_SITE = "Pendopo Kabupaten Probolinggo"
DEMO_CAPACITY = 8
DEMO_GATE = "Pintu Depan"
# People already inside when the demo starts, so the gauge can reach PENUH.
DEMO_INSIDE = [
    ("3513010101800001", "Hadi Prasetyo", "Rapat", "Sekretariat Daerah"),
    ("3513014202850002", "Lina Marlina", "Layanan KTP", "Dispendukcapil"),
    ("3513010303900003", "Joko Susilo", "Audiensi", "Bupati"),
    ("3513014404920004", "Ratna Dewi", "Rapat", "Bappeda"),
    ("3513010505880005", "Agus Salim", "Antar surat", "Umum"),
    ("3513014606950006", "Yuni Astuti", "Konsultasi", "Diskominfo"),
]
POSITIVE_NIK = "3513011212800007"


def _card(
    home: Path,
    name: str,
    request: PassRequest | None,
    key,
    hmac_key: bytes,
    *,
    text: str | None = None,
    caption: str = "",
) -> Path:
    if text is None:
        text = make_pass_text(request, key, hmac_key)
    return render_pass_png(text, [caption or name], home / "demo-cards" / f"{name}.png")


def prepare_demo(home: Path) -> tuple[StationContext, Path]:
    """Open (or create) the demo station and write its camera folder; returns (station, camera folder)."""
    station = open_station(
        home, site_name=DEMO_SITE, capacity=DEMO_CAPACITY, gate_name=DEMO_GATE, site_id="demo-probolinggo"
    )
    now = datetime.now().astimezone()
    key = issuer_key(station.secrets, station.db, now)
    station.checkpoint.reload_reference()
    hmac_key = deployment_key(station.secrets)
    with station.db.read() as session:
        empty = not reference.load_trust_store(session) or station.checkpoint.occupancy(session).inside == 0
    if empty:
        for nik, name, purpose, host in DEMO_INSIDE:
            station.checkpoint.manual_entry(ManualEntry(nik, name, purpose, host))
    with station.db.transaction() as session:
        reference.put_status(
            session,
            station.checkpoint.subject_key_for(identity_from_nik(POSITIVE_NIK)),
            "positive",
            now - timedelta(days=2),
            now + timedelta(days=12),
        )

    start = now - timedelta(days=1)
    cards = home / "demo-cards"
    shutil.rmtree(cards, ignore_errors=True)

    def person(name, kind, doses, nik=None, valid_from=start, days=365):
        return PassRequest(name=name, kind=kind, doses=doses, valid_from=valid_from, valid_days=days, nik=nik)

    budi = _card(
        home,
        "01-budi",
        person("Budi Santoso", PersonKind.EMPLOYEE, 2, "3513011708800008"),
        key,
        hmac_key,
        caption="Budi Santoso - ASN",
    )
    siti = _card(
        home,
        "02-siti",
        person("Siti Rahmawati", PersonKind.VISITOR, 1, "3513015108900009"),
        key,
        hmac_key,
        caption="Siti Rahmawati - tamu",
    )
    ahmad = _card(
        home,
        "03-ahmad",
        person("Ahmad Fauzi", PersonKind.VISITOR, 2, "3513012009910010"),
        key,
        hmac_key,
        caption="Ahmad Fauzi - tamu",
    )
    dewi = _card(
        home,
        "05-dewi",
        person("Dewi Lestari", PersonKind.VISITOR, 0, "3513016507930011"),
        key,
        hmac_key,
        caption="Dewi Lestari - tamu",
    )
    forger = ed25519.Ed25519PrivateKey.generate()
    # A forgery that names our issuer's key but was signed by another: "Tanda tangan tidak sah".
    forged_text = make_pass_text(
        person("Tamu Palsu", PersonKind.VISITOR, 2), forger, hmac_key, kid=kid_for(key.public_key())
    )
    forged = _card(home, "06-palsu", None, None, hmac_key, text=forged_text, caption="Kartu palsu")
    expired = _card(
        home,
        "07-kedaluwarsa",
        person("Eko Saputra", PersonKind.VISITOR, 2, "3513010812870012", valid_from=now - timedelta(days=40), days=30),
        key,
        hmac_key,
        caption="Eko Saputra - kedaluwarsa",
    )
    rudi = _card(
        home,
        "08-rudi",
        person("Rudi Hartono", PersonKind.VISITOR, 2, POSITIVE_NIK),
        key,
        hmac_key,
        caption="Rudi Hartono - positif",
    )
    # Camera order tells the story: in, in (full), full, out, red x3, black, then people leave.
    sequence = [budi, siti, ahmad, budi, dewi, forged, expired, rudi, ahmad, siti, ahmad]
    camera = home / "demo-camera"
    shutil.rmtree(camera, ignore_errors=True)
    camera.mkdir(parents=True)
    for i, card in enumerate(sequence):
        shutil.copyfile(card, camera / f"{i:02d}-{card.name}")
    return station, camera
