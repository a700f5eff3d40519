"""What each setting in config.json may hold: the choices (enums), the bounds, and one check per kind.

The enums are str-valued, so config.json keeps the same plain strings and code comparing
`settings.gate_mode == "auto"` keeps working. A check takes the value as read from JSON and returns
it typed, or raises Invalid saying why; model.py applies them field by field.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import time
from enum import Enum, StrEnum
from typing import Any

from guardstation.domain.exposure import LOOKBACK
from guardstation.domain.language import DEFAULT_LANGUAGE, Language
from guardstation.domain.verdict_types import GateMode

# Language and GateMode are defined in domain/ (below settings); re-exported for the settings' users.
__all__ = [
    "DECODERS",
    "DEFAULT_LANGUAGE",
    "GATE_MODES",
    "MAX_DAYS",
    "MAX_RESCAN_COOLDOWN_S",
    "MIN_DAYS",
    "MIN_VISIT_DAYS",
    "Check",
    "Decoder",
    "Enrolment",
    "GateMode",
    "Invalid",
    "Language",
    "boolean",
    "checkout_time",
    "choice",
    "number",
    "text",
    "whole_number",
]


class Decoder(StrEnum):
    """The QR decoder backends (scanner/decoders.py builds them by these names)."""

    ZXING = "zxing"
    PYZBAR = "pyzbar"
    OPENCV = "opencv"


class Enrolment(StrEnum):
    STANDALONE = "standalone"  # no central server
    PENDING = "pending"  # a server URL is set; the enrolment code waits in the keyring for the sync client
    ENROLLED = "enrolled"


# Plain strings for argparse: its error messages show repr() of each choice.
DECODERS: tuple[str, ...] = tuple(d.value for d in Decoder)
GATE_MODES: tuple[str, ...] = tuple(m.value for m in GateMode)

# Retention bounds in days. Visits stay at least as long as exposure tracing looks back.
MIN_VISIT_DAYS = LOOKBACK.days
MIN_DAYS, MAX_DAYS = 1, 3650
MAX_RESCAN_COOLDOWN_S = 3600.0  # longer, and a visitor could not scan twice in a shift


class Invalid(ValueError):
    """A value a setting cannot hold; the message says why (in the log and the start-up report)."""


Check = Callable[[Any], Any]


def _shown(value: Any) -> str:
    return repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."


def boolean(value: Any) -> bool:
    # Only JSON true/false: "no", "0" or 0 are ambiguous, and Python would take "no" as true.
    if isinstance(value, bool):
        return value
    raise Invalid(f"{_shown(value)} is not true or false")


def text(value: Any) -> str:
    if isinstance(value, str):
        return value
    raise Invalid(f"{_shown(value)} is not text")


def choice(enum: type[Enum]) -> Check:
    def check(value: Any) -> Enum:
        try:
            if isinstance(value, str):
                return enum(value)
        except ValueError:
            pass
        raise Invalid(f"{_shown(value)} is not one of {', '.join(str(m.value) for m in enum)}")

    return check


def _real(value: Any) -> float:
    # A JSON number; bool is an int in Python but not a number here.
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise Invalid(f"{_shown(value)} is not a number")
    return value


def _in_range(value: float, low: float, high: float) -> None:
    if value < low:
        raise Invalid(f"{_shown(value)} is below the minimum {low:g}")
    if value > high:
        raise Invalid(f"{_shown(value)} is above the maximum {high:g}")


def number(low: float, high: float = math.inf) -> Check:
    def check(value: Any) -> float:
        real = _real(value)
        _in_range(real, low, high)
        return float(real)

    return check


def whole_number(low: int, high: int) -> Check:
    def check(value: Any) -> int:
        real = _real(value)
        if not float(real).is_integer():
            raise Invalid(f"{_shown(value)} is not a whole number")
        _in_range(real, low, high)
        return int(real)

    return check


def checkout_time(value: Any) -> str:
    """ "HH:MM", "off", or "" for the site's closing time, as station/supervisor_actions.py reads it."""
    stripped = text(value).strip()
    if stripped in ("", "off"):
        return value
    try:
        time.fromisoformat(stripped)
    except ValueError:
        raise Invalid(f'{_shown(value)} is not a time (HH:MM), "off" or empty') from None
    return value
