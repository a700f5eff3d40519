"""The small vocabulary of verdicts shared by rules and the verdict engine."""

from __future__ import annotations

from enum import Enum


class Colour(str, Enum):
    GREEN = "green"  # HIJAU: admit
    YELLOW = "yellow"  # KUNING: admit with warning (policy may deny)
    RED = "red"  # MERAH: deny, offer manual check
    BLACK = "black"  # HITAM: deny, alert supervisor
    FULL = "full"  # PENUH: building at its limit


class Action(str, Enum):
    CHECK_IN = "check_in"
    CHECK_OUT = "check_out"
    DENY = "deny"
    NOTICE = "notice"  # nothing changes (e.g. already inside at an "in" gate)


class GateMode(str, Enum):
    AUTO = "auto"  # a person already inside is checked out
    IN = "in"
    OUT = "out"
