"""The station's settings file (config.json): typed, versioned, and checked field by field on load.

Secrets never go here (they live in the keyring); this file holds only choices an installer or guard
makes: language, camera, decoder, gate. Format versions and their upgrades: upgrade.py; what each
field may hold: schema.py.

What load does with a file that is not simply right:
- an older version is upgraded step by step and written back at once (the old file kept as config.json.v<N>);
- a value a field cannot hold is replaced by that field's value in the last good copy, else its default.
  The file as it was is kept as config.json.damaged-<time>, the repaired settings are written, and the
  start-up notice names the fields; every valid value stays;
- a file from a newer GuardStation is used as far as understood and never rewritten by load; a later
  save changes only the settings this program changed, keeping the file's version and unknown keys;
- a file that is not a JSON object is moved aside, and the last good copy (else the defaults) used.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from guardstation.settings import upgrade as versions  # read at call time: tests add a version
from guardstation.settings.schema import (
    DEFAULT_LANGUAGE,
    MAX_DAYS,
    MAX_RESCAN_COOLDOWN_S,
    MIN_DAYS,
    MIN_VISIT_DAYS,
    Check,
    Decoder,
    Enrolment,
    GateMode,
    Invalid,
    Language,
    boolean,
    checkout_time,
    choice,
    number,
    text,
    whole_number,
)

log = logging.getLogger(__name__)

CONFIG = "config.json"
LAST_GOOD = "config.last-good.json"  # a copy of the last settings saved, for a damaged config.json


def setting(default: Any, check: Check) -> Any:
    """A settings field: its default and the check its value in config.json must pass."""
    return field(default=default, metadata={"check": check})


@dataclass
class Settings:
    language: Language = setting(DEFAULT_LANGUAGE, choice(Language))
    decoder: Decoder = setting(Decoder.ZXING, choice(Decoder))
    camera: str = setting("0", text)
    gate_mode: GateMode = setting(GateMode.AUTO, choice(GateMode))
    sound: bool = setting(True, boolean)
    rescan_cooldown_s: float = setting(3.0, number(0, MAX_RESCAN_COOLDOWN_S))
    # First-run setup (ui/setup_wizard.py): False until the wizard has been finished once.
    configured: bool = setting(False, boolean)
    kiosk: bool = setting(False, boolean)
    # Argon2id hash of the supervisor PIN (station/pin.py); never the PIN itself.
    supervisor_pin_hash: str = setting("", text)
    # "standalone", or "pending": a central server URL was given but enrolment has not happened
    # yet (the enrolment code waits in the keyring for the sync client); then "enrolled".
    enrolment: Enrolment = setting(Enrolment.STANDALONE, choice(Enrolment))
    server_url: str = setting("", text)
    # Forgotten check-outs and long stays (station/supervisor_actions.py); the site policy, when it
    # says, wins. auto_checkout_at: "HH:MM", "off", or "" for the site's closing time (17:00).
    auto_checkout_at: str = setting("", checkout_time)
    overstay_hours: float = setting(0, number(0))  # 0: the default (8 hours)
    # Retention in days per data category (UU 27/2022; station/retention.py purges past it).
    # Visits stay at least MIN_VISIT_DAYS: exposure tracing looks that far back.
    retention_visit_days: int = setting(30, whole_number(MIN_VISIT_DAYS, MAX_DAYS))  # visits that ended
    retention_denied_days: int = setting(14, whole_number(MIN_DAYS, MAX_DAYS))  # refused scans
    retention_export_days: int = setting(30, whole_number(MIN_DAYS, MAX_DAYS))  # files in exports/

    # What was wrong with the settings file (shown at start-up); "" when it was fine. Not saved.
    load_problem = ""
    load_fallback = ""  # then: "last_good" (config.last-good.json) or "defaults"
    damaged_copy = ""  # where the file as it was is kept
    reset_fields = ()  # the refused fields, when only some were (schema_version first, then in field order)
    # A file from a newer version: (its object, the values as loaded), so save() keeps what it did not change.
    # (Class attributes without annotations: not dataclass fields, so never saved nor compared.)
    _newer = None

    @classmethod
    def load(cls, home: Path) -> Settings:
        """config.json, upgraded and checked; if it is damaged, the last good copy and a note why."""
        path = home / CONFIG
        try:
            data = _read_object(path)
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as exc:
            return cls._load_damaged(home, path, exc)
        reading = _Reading.of(data)
        newer = reading.version > versions.SCHEMA_VERSION
        settings, from_last_good = cls._build(reading, _last_good_values(home) if reading.invalid else {})
        problems = []
        if newer:
            settings._newer = (data, asdict(settings))
            problems.append(
                f"{path}: settings version {reading.version} is newer than this GuardStation knows "
                f"({versions.SCHEMA_VERSION}); loaded as far as understood"
                + (f"; not understood: {', '.join(reading.unknown)}" if reading.unknown else "")
            )
            log.warning("%s", problems[-1])
        rewrite = not newer and (reading.version < versions.SCHEMA_VERSION or bool(reading.invalid))
        if reading.invalid:
            # A newer file stays as it is, so it is its own copy; anything else is copied before the rewrite.
            kept = path if newer else _keep_copy(path, f"{CONFIG}.damaged-{int(time.time())}")
            rewrite = rewrite and kept is not None
            kept = kept or path
            why = "; ".join(f"{name}: {reason}" for name, reason in reading.invalid.items())
            log.error("settings file %s: %s; using the last good value or the default for these", path, why)
            problems.append(f"{kept}: {why}")
            settings.reset_fields = tuple(reading.invalid)
            settings.load_fallback = "last_good" if from_last_good else "defaults"
            settings.damaged_copy = str(kept)
        elif rewrite:
            rewrite = _keep_copy(path, f"{CONFIG}.v{reading.version}") is not None
        settings.load_problem = "; ".join(problems)
        if rewrite:
            settings._write_back(home)
        return settings

    @classmethod
    def _load_damaged(cls, home: Path, path: Path, exc: Exception) -> Settings:
        # A damaged settings file must not stop the gate, nor send a set-up station back to the
        # first-run wizard: the last good settings, and say so.
        log.error("settings file %s unusable (%s); using the last good copy", path, exc)
        kept = path.with_name(f"{CONFIG}.damaged-{int(time.time())}")
        try:
            os.replace(path, kept)
        except OSError:
            kept = path
        try:
            data = _read_object(home / LAST_GOOD)
        except (OSError, ValueError):
            settings, fallback = cls(), "defaults"
        else:
            reading = _Reading.of(data)
            settings, fallback = cls._build(reading, {})[0], "last_good"
            if reading.version > versions.SCHEMA_VERSION:
                settings._newer = (data, asdict(settings))
            if kept != path:
                settings._write_back(home)  # else the next start finds no config.json and shows the wizard
        settings.load_problem = f"{kept}: {exc}"
        settings.load_fallback, settings.damaged_copy = fallback, str(kept)
        return settings

    @classmethod
    def _build(cls, reading: _Reading, fallback: dict[str, Any]) -> tuple[Settings, list[str]]:
        """The valid values read, and for each refused field its `fallback` value if any (else the default)."""
        values = dict(reading.values)
        from_fallback = [name for name in reading.invalid if name in fallback]
        values.update((name, fallback[name]) for name in from_fallback)
        return cls(**values), from_fallback

    def save(self, home: Path) -> None:
        # The enums are str: written as their plain values.
        data = {versions.VERSION_KEY: versions.SCHEMA_VERSION, **asdict(self)}
        if self._newer is not None:
            original, loaded = self._newer
            changed = {k: v for k, v in data.items() if k != versions.VERSION_KEY and v != loaded.get(k)}
            data = {**original, **changed}
        path = home / CONFIG
        tmp = path.with_suffix(".tmp")
        body = json.dumps(data, indent=2)
        tmp.write_text(body, "utf-8")
        os.replace(tmp, path)
        good = home / (LAST_GOOD + ".tmp")
        good.write_text(body, "utf-8")
        os.replace(good, home / LAST_GOOD)

    def _write_back(self, home: Path) -> None:
        try:
            self.save(home)
        except OSError as exc:
            log.error("settings in use could not be written back to %s: %s", home / CONFIG, exc)


@dataclass
class _Reading:
    """A settings object checked field by field."""

    version: int  # as the file says; 1 without schema_version (or with an unusable one)
    values: dict[str, Any]  # field -> checked value, for the fields that passed
    invalid: dict[str, str]  # field (or schema_version) -> why its value was refused
    unknown: list[str]  # keys this program does not know

    @classmethod
    def of(cls, data: dict[str, Any]) -> _Reading:
        invalid: dict[str, str] = {}
        version = versions.file_version(data)
        if version is None:
            invalid[versions.VERSION_KEY] = f"{data[versions.VERSION_KEY]!r} is not a version number"
            version = 1  # the loosest reading; the checks still apply
        current = versions.upgrade(data, version)
        values: dict[str, Any] = {}
        for f in fields(Settings):
            if f.name in current:
                try:
                    values[f.name] = f.metadata["check"](current[f.name])
                except Invalid as exc:
                    invalid[f.name] = str(exc)
        known = {f.name for f in fields(Settings)} | {versions.VERSION_KEY}
        return cls(version, values, invalid, [key for key in current if key not in known])


def _read_object(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text("utf-8"))
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    return data


def _last_good_values(home: Path) -> dict[str, Any]:
    """The valid values of the last good copy; none if it is missing or unusable."""
    try:
        return _Reading.of(_read_object(home / LAST_GOOD)).values
    except (OSError, ValueError):
        return {}


def _keep_copy(path: Path, name: str) -> Path | None:
    """A copy of `path` beside it, before the file is rewritten; None if it could not be made."""
    kept = path.with_name(name)
    try:
        shutil.copyfile(path, kept)
    except OSError as exc:
        log.error("settings file %s not copied to %s (%s); it is left as it is", path, kept, exc)
        return None
    return kept
