"""config.json format versions: which version a file is, and one upgrade function per version step.

Version 1: the format before `schema_version` existed (a file without the key is version 1).
Version 2: `schema_version` is written, and every value is checked on load (schema.py).

To change the format: raise SCHEMA_VERSION to N+1 and register in UPGRADES[N] a function taking a
version-N object to a version-N+1 object. Upgrades work on plain dicts and never use the current
model or checks: they must keep describing the old format after the model has moved on.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

SCHEMA_VERSION = 2
VERSION_KEY = "schema_version"

Upgrade = Callable[[dict[str, Any]], dict[str, Any]]


def upgrade_1_to_2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 1 was not checked, and its readers understood a few loose spellings; keep their meaning.

    - a webcam given as a number (`"camera": 0`) becomes its text, as the camera was opened from either;
    - the decoder name in any case or with spaces becomes its canonical name (the scanner lower-cased it);
    - a number written as text ("30") becomes the number (retention read the days with int()).
    Anything else is left for the checks: "sound": "no" was never understood (it read as on).
    """
    out = dict(data)
    camera = out.get("camera")
    if isinstance(camera, int) and not isinstance(camera, bool):
        out["camera"] = str(camera)
    if isinstance(out.get("decoder"), str):
        out["decoder"] = out["decoder"].strip().lower()
    for key in (
        "rescan_cooldown_s",
        "overstay_hours",
        "retention_visit_days",
        "retention_denied_days",
        "retention_export_days",
    ):
        value = out.get(key)
        if isinstance(value, str):
            try:
                number = float(value.strip())
            except ValueError:
                continue
            if math.isfinite(number):
                out[key] = int(number) if number.is_integer() else number
    return out


# UPGRADES[n] takes a version-n object to version n+1; one entry for every n below SCHEMA_VERSION.
UPGRADES: dict[int, Upgrade] = {1: upgrade_1_to_2}


def file_version(data: dict[str, Any]) -> int | None:
    """The version a settings object says it is; None if its schema_version is not a version number."""
    version = data.get(VERSION_KEY, 1)
    if isinstance(version, int) and not isinstance(version, bool) and version >= 1:
        return version
    return None


def upgrade(data: dict[str, Any], version: int) -> dict[str, Any]:
    """`data` of `version` brought to SCHEMA_VERSION, one step at a time, in order. A newer version is
    returned as it is: this program cannot know what changed."""
    for step in range(version, SCHEMA_VERSION):
        data = UPGRADES[step](dict(data))
        data[VERSION_KEY] = step + 1
    return data
