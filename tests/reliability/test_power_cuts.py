"""Power cuts: a database whose WAL was cut (or its last frame torn) at a random byte reopens to
exactly the transactions whose WAL frames survived, in order, with integrity ok."""

from __future__ import annotations

import pytest

from bench import faults


def _assert_prefixes(result: faults.PowerCutResult, cuts: int) -> None:
    assert result.problems == []
    assert (result.cuts, result.bad_recoveries) == (cuts, 0)
    assert result.reopened_by_station >= 1
    lengths = set(result.prefix_lengths)
    # Cuts landed everywhere: nothing kept, some kept, everything kept.
    assert 0 in lengths and result.commits in lengths and len(lengths) > result.commits // 3


def test_wal_cut_at_random_points(tmp_path):
    _assert_prefixes(faults.power_cuts(tmp_path, 150, commits=30, seed=3), 150)


@pytest.mark.slow
def test_wal_cut_at_random_points_long(tmp_path):
    _assert_prefixes(faults.power_cuts(tmp_path, 3000, commits=80, seed=4, station_every=100), 3000)


def test_commit_frames_are_found(tmp_path):
    _db, wal, base, in_wal = faults.build_wal_database(tmp_path, 12)
    data = wal.read_bytes()
    ends = faults.wal_commit_ends(data)
    assert len(ends) == len(in_wal) == 12 and len(base) == 5
    assert ends == sorted(ends) and ends[-1] == len(data)
    assert faults.wal_commit_ends(b"") == []
