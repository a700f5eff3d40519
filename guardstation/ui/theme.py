"""Colours and words of the verdicts, shared by the banner, the log and the gauge."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from guardstation.domain.occupancy import GaugeLevel
from guardstation.domain.verdict_types import Action, Colour

# Background, text colour: high contrast, readable across a desk.
VERDICT_COLOURS = {
    Colour.GREEN: ("#1b8a3a", "#ffffff"),
    Colour.YELLOW: ("#f2c200", "#1a1a1a"),
    Colour.RED: ("#c62828", "#ffffff"),
    Colour.BLACK: ("#111111", "#ffffff"),
    Colour.FULL: ("#6a1b9a", "#ffffff"),
}
CHECK_OUT_COLOURS = ("#1565c0", "#ffffff")
IDLE_COLOURS = ("#eceff1", "#37474f")
GAUGE_COLOURS = {GaugeLevel.OK: "#2e7d32", GaugeLevel.WARN: "#ef6c00", GaugeLevel.FULL: "#c62828"}


def verdict_word(colour: Colour, action: Action | None = None) -> str:
    translate = QCoreApplication.translate  # literal calls, so lupdate finds every word
    if action is Action.CHECK_OUT:
        return translate("Verdict", "OUT")
    return {
        Colour.GREEN: translate("Verdict", "GREEN"),
        Colour.YELLOW: translate("Verdict", "YELLOW"),
        Colour.RED: translate("Verdict", "RED"),
        Colour.BLACK: translate("Verdict", "BLACK"),
        Colour.FULL: translate("Verdict", "FULL"),
    }[colour]


def verdict_colours(colour: Colour, action: Action | None = None) -> tuple[str, str]:
    return CHECK_OUT_COLOURS if action is Action.CHECK_OUT else VERDICT_COLOURS[colour]


def sound_cue(colour: Colour, action: Action | None = None) -> str:
    return "out" if action is Action.CHECK_OUT else colour.value
