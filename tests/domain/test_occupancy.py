"""Capacity gauge arithmetic."""

from __future__ import annotations

import pytest

from guardstation.domain.occupancy import GaugeLevel, Occupancy


@pytest.mark.parametrize(
    "inside, capacity, level, full",
    [
        (0, 60, GaugeLevel.OK, False),
        (47, 60, GaugeLevel.OK, False),
        (48, 60, GaugeLevel.WARN, False),  # 80 % turns amber
        (59, 60, GaugeLevel.WARN, False),
        (60, 60, GaugeLevel.FULL, True),
        (75, 60, GaugeLevel.FULL, True),  # over the limit (e.g. supervisor override) is still full
        (3, 3, GaugeLevel.FULL, True),
        (2, 3, GaugeLevel.OK, False),  # 67 %
    ],
)
def test_gauge_level(inside, capacity, level, full):
    occ = Occupancy(inside, capacity)
    assert occ.level is level
    assert occ.is_full is full
    assert occ.ratio == pytest.approx(inside / capacity)


def test_no_limit_is_never_full():
    occ = Occupancy(5000, None)
    assert occ.level is GaugeLevel.OK
    assert not occ.is_full
    assert occ.ratio == 0.0


def test_capacity_zero_means_closed():
    occ = Occupancy(0, 0)
    assert occ.is_full
    assert occ.level is GaugeLevel.FULL


def test_other_gates_count_towards_the_site():
    occ = Occupancy(inside_here=4, capacity=10, inside_elsewhere=4, elsewhere_age_s=120.0)
    assert occ.inside == 8
    assert occ.level is GaugeLevel.WARN
    assert Occupancy(4, 8, inside_elsewhere=4).is_full


def test_negative_counts_never_lower_the_total():
    # A stray negative count (e.g. a check-out seen before its check-in) must not hide people inside.
    assert Occupancy(-2, 10, inside_elsewhere=5).inside == 5
    assert Occupancy(3, 10, inside_elsewhere=-1).inside == 3
