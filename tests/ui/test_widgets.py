"""Widgets the guard reads at a glance."""

from __future__ import annotations

import pytest

from guardstation.domain.occupancy import GaugeLevel, Occupancy
from guardstation.ui.capacity_gauge import CapacityGauge
from guardstation.ui.theme import GAUGE_COLOURS


@pytest.mark.parametrize(
    "inside, level",
    [
        (0, GaugeLevel.OK),
        (47, GaugeLevel.OK),
        (48, GaugeLevel.WARN),
        (59, GaugeLevel.WARN),
        (60, GaugeLevel.FULL),
        (61, GaugeLevel.FULL),
    ],
)
def test_gauge_changes_colour_at_80_and_100_percent(qtbot, inside, level):
    gauge = CapacityGauge()
    qtbot.addWidget(gauge)
    gauge.update_occupancy(Occupancy(inside, 60))
    assert gauge.level is level
    assert gauge.count.text() == f"{inside} / 60"
    assert GAUGE_COLOURS[level] in gauge.count.styleSheet()
    assert gauge.bar.value() == min(inside, 60)


def test_gauge_without_a_limit_shows_the_count(qtbot):
    gauge = CapacityGauge()
    qtbot.addWidget(gauge)
    gauge.update_occupancy(Occupancy(12, None))
    assert gauge.count.text() == "12" and gauge.level is GaugeLevel.OK


def test_banner_returns_to_ready(qtbot):
    from guardstation.domain.verdict_types import Action, Colour
    from guardstation.ui import verdict_banner

    banner = verdict_banner.VerdictBanner()
    qtbot.addWidget(banner)
    banner._idle_timer.setInterval(50)
    banner.show_verdict(Colour.GREEN, Action.CHECK_IN, "ok")
    assert banner.colour is Colour.GREEN
    qtbot.waitUntil(lambda: banner.colour is None, timeout=2000)
    assert banner.headline.text() == "READY"
