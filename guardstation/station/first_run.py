"""First-run setup without Qt: validating the installer's answers and applying them.

The wizard (ui/setup_wizard.py) collects a `SetupChoices`; `apply_setup` writes
it: the site and gate rows (store.reference.put_site, store.events.ensure_station),
the settings file (language, camera, kiosk, PIN hash, enrolment state) and, for
a central server, the enrolment code in the keyring.

Enrolment itself needs the sync client (not built yet): the URL and code are
kept and the station is marked "pending"; it works standalone meanwhile.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from urllib.parse import urlsplit

from guardstation.settings.model import Settings
from guardstation.station.context import STANDALONE_SITE_ID, StationContext
from guardstation.station.pin import hash_pin
from guardstation.store import reference
from guardstation.store.audit import append_audit
from guardstation.store.events import ensure_station, load_station
from guardstation.store.secrets import ENROLMENT_CODE_SECRET
from guardstation.sync.transport import InsecureServerUrl, require_safe_server_url

log = logging.getLogger(__name__)

NAME_MAX = 100
CAPACITY_MAX = 100_000
_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{5,63}$")


class Mode(str, Enum):
    STANDALONE = "standalone"
    ENROL = "enrol"


class SetupProblem(str, Enum):
    SITE_EMPTY = "site_empty"
    GATE_EMPTY = "gate_empty"
    NAME_TOO_LONG = "name_too_long"
    CAPACITY = "capacity"
    URL = "url"
    URL_NOT_HTTPS = "url_not_https"
    CODE = "code"
    CAMERA = "camera"


@dataclass
class SetupChoices:
    language: str = "id"
    mode: Mode = Mode.STANDALONE
    site_name: str = ""
    gate_name: str = ""
    capacity: int | None = None  # standalone only; None = no limit
    server_url: str = ""  # enrol only
    enrolment_code: str = ""  # enrol only; goes to the keyring
    camera: str = "0"
    pin: str | None = None  # None keeps the current PIN (re-run)
    kiosk: bool = False


def clean_name(text: str) -> str:
    return " ".join(text.split())


def check_site(site_name: str, gate_name: str, capacity: int | None) -> SetupProblem | None:
    site, gate = clean_name(site_name), clean_name(gate_name)
    if not site:
        return SetupProblem.SITE_EMPTY
    if not gate:
        return SetupProblem.GATE_EMPTY
    if len(site) > NAME_MAX or len(gate) > NAME_MAX:
        return SetupProblem.NAME_TOO_LONG
    if capacity is not None and not 0 < capacity <= CAPACITY_MAX:
        return SetupProblem.CAPACITY
    return None


def normalise_url(url: str) -> str:
    return url.strip().rstrip("/")


def check_enrolment(url: str, code: str) -> SetupProblem | None:
    """https:// with a host (plain http only for this machine, for testing); a one-time code of
    6-64 letters, digits or hyphens."""
    try:
        parts = urlsplit(normalise_url(url))
    except ValueError:
        return SetupProblem.URL
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username or parts.query or parts.fragment:
        return SetupProblem.URL
    try:
        require_safe_server_url(normalise_url(url))
    except InsecureServerUrl:
        return SetupProblem.URL_NOT_HTTPS
    if not _CODE_RE.match(code.strip()):
        return SetupProblem.CODE
    return None


def check_choices(choices: SetupChoices) -> SetupProblem | None:
    capacity = choices.capacity if choices.mode is Mode.STANDALONE else None
    problem = check_site(choices.site_name, choices.gate_name, capacity)
    if problem is None and choices.mode is Mode.ENROL:
        problem = check_enrolment(choices.server_url, choices.enrolment_code)
    if problem is None and not str(choices.camera).strip():
        problem = SetupProblem.CAMERA
    return problem


def current_choices(station: StationContext) -> SetupChoices:
    """What a re-run of the wizard starts from."""
    settings = station.settings
    with station.db.read() as session:
        site = reference.get_site(session)
        try:
            gate = load_station(session).gate_name
        except LookupError:
            gate = ""
    code = (station.secrets.get(ENROLMENT_CODE_SECRET) or "") if settings.enrolment == "pending" else ""
    return SetupChoices(
        language=settings.language,
        mode=Mode.ENROL if settings.enrolment == "pending" else Mode.STANDALONE,
        site_name=site.name if site else "",
        gate_name=gate,
        capacity=site.capacity if site else None,
        server_url=settings.server_url,
        enrolment_code=code,
        camera=settings.camera,
        pin=None,
        kiosk=settings.kiosk,
    )


def apply_setup(
    station: StationContext, choices: SetupChoices, now: datetime | None = None, actor: str = "installer"
) -> Settings:
    """Writes the choices; returns the saved settings. Raises ValueError for invalid choices."""
    problem = check_choices(choices)
    if problem is not None:
        raise ValueError(f"setup choices invalid: {problem.value}")
    settings = station.settings
    if choices.pin is None and not settings.supervisor_pin_hash:
        raise ValueError("setup choices invalid: a supervisor PIN is required")
    pin_hash = hash_pin(choices.pin) if choices.pin is not None else settings.supervisor_pin_hash
    now = now or station.checkpoint.now()
    site_name, gate_name = clean_name(choices.site_name), clean_name(choices.gate_name)
    with station.db.transaction() as session:
        row = ensure_station(session, site_id=STANDALONE_SITE_ID, gate_name=gate_name, now=now)
        row.gate_name = gate_name
        capacity = choices.capacity if choices.mode is Mode.STANDALONE else None
        reference.put_site(session, site_id=row.site_id, name=site_name, capacity=capacity, now=now)
        append_audit(
            session,
            at=now,
            actor=actor,
            action="setup_completed",
            detail={
                "mode": choices.mode.value,
                "site": site_name,
                "gate": gate_name,
                "capacity": capacity,
                "server_url": normalise_url(choices.server_url) if choices.mode is Mode.ENROL else "",
                "pin_changed": choices.pin is not None,
                "kiosk": choices.kiosk,
                "camera": str(choices.camera),
            },
        )
    if choices.mode is Mode.ENROL:
        station.secrets.put(ENROLMENT_CODE_SECRET, choices.enrolment_code.strip())
    settings.language = choices.language
    settings.camera = str(choices.camera).strip()
    settings.kiosk = choices.kiosk
    settings.supervisor_pin_hash = pin_hash
    settings.enrolment = "pending" if choices.mode is Mode.ENROL else "standalone"
    settings.server_url = normalise_url(choices.server_url) if choices.mode is Mode.ENROL else ""
    settings.configured = True
    settings.save(station.home)
    station.checkpoint.reload_reference()
    log.info("setup applied: mode=%s site=%r gate=%r kiosk=%s", choices.mode.value, site_name, gate_name, choices.kiosk)
    return settings
