"""The station's settings file (config.json).

Secrets never go here (they live in the keyring); this file holds only
choices an installer or guard makes: language, camera, decoder, gate.
"""
from __future__ import annotations

import json
import logging
import os
import time
from dataclasses import asdict, dataclass, fields
from pathlib import Path


log = logging.getLogger(__name__)

LAST_GOOD = "config.last-good.json"   # a copy of the last settings saved, for a damaged config.json


@dataclass
class Settings:
    language: str = "id"
    decoder: str = "zxing"
    camera: str = "0"
    gate_mode: str = "auto"
    sound: bool = True
    rescan_cooldown_s: float = 3.0
    # First-run setup (ui/setup_wizard.py): False until the wizard has been finished once.
    configured: bool = False
    kiosk: bool = False
    # Argon2id hash of the supervisor PIN (guardstation/supervisor.py); never the PIN itself.
    supervisor_pin_hash: str = ""
    # "standalone", or "pending": a central server URL was given but enrolment has not happened
    # yet (the enrolment code waits in the keyring for the sync client).
    enrolment: str = "standalone"
    server_url: str = ""
    # Forgotten check-outs and long stays (guardstation/supervision.py); the site policy, when it
    # says, wins. auto_checkout_at: "HH:MM", "off", or "" for the site's closing time (17:00).
    auto_checkout_at: str = ""
    overstay_hours: float = 0          # 0: the default (8 hours)
    # Retention in days per data category (UU 27/2022; guardstation/retention.py purges past it).
    # Visits stay at least 14 days: exposure tracing looks 14 days back.
    retention_visit_days: int = 30       # names, masked NIK, purpose, host of visits that ended
    retention_denied_days: int = 14      # the same for refused scans
    retention_export_days: int = 30      # files in the data folder's exports/ (evacuation lists)

    # Why the settings file could not be used (shown at start-up); "" when it was fine. Not saved.
    load_problem = ""
    load_fallback = ""      # then: "last_good" (config.last-good.json) or "defaults"
    damaged_copy = ""       # where the damaged file was kept

    @classmethod
    def load(cls, home: Path) -> "Settings":
        """config.json; if it is damaged, the last good copy (config.last-good.json) and a note why."""
        path = home / "config.json"
        try:
            return cls._from_file(path)
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError, TypeError) as exc:
            # A damaged settings file must not stop the gate, nor send a set-up station back to the
            # first-run wizard: the last good settings, and say so.
            log.error("settings file %s unusable (%s); using the last good copy", path, exc)
            kept = path.with_name(f"config.json.damaged-{int(time.time())}")
            try:
                os.replace(path, kept)
            except OSError:
                kept = path
            try:
                settings, fallback = cls._from_file(home / LAST_GOOD), "last_good"
            except (OSError, ValueError, TypeError):
                settings, fallback = cls(), "defaults"
            settings.load_problem = f"{kept}: {exc}"
            settings.load_fallback, settings.damaged_copy = fallback, str(kept)
            return settings

    @classmethod
    def _from_file(cls, path: Path) -> "Settings":
        data = json.loads(path.read_text("utf-8"))
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    def save(self, home: Path) -> None:
        path = home / "config.json"
        tmp = path.with_suffix(".tmp")
        text = json.dumps(asdict(self), indent=2)
        tmp.write_text(text, "utf-8")
        os.replace(tmp, path)
        good = home / (LAST_GOOD + ".tmp")
        good.write_text(text, "utf-8")
        os.replace(good, home / LAST_GOOD)
