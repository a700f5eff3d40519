"""A compressed 12-hour shift through Checkpoint, syncing to a server process all along: memory stays flat
after the warm-up, no thread or file handle is left behind, and the queue drains. CI: 600 scans (1,000
without a server);
`-m slow`: 50,000. Ratios within one run, no timings."""

from __future__ import annotations

import pytest

from bench import faults


def _assert_steady(result: faults.ShiftResult) -> None:
    print(
        f"long shift: {result.scans} scans, RSS {result.rss_warm_mb:.1f} -> {result.rss_end_mb:.1f} MB "
        f"({result.rss_growth_pct:+.2f} %), threads {result.threads_before}->{result.threads_after}, "
        f"files {result.files_before}->{result.files_after}"
    )
    assert result.visits > result.scans // 3
    assert result.rss_growth_pct <= 10.0
    assert result.threads_after <= result.threads_before
    assert result.files_after <= result.files_before


def _syncing_shift(tmp_path, scans: int, seed: int) -> faults.ShiftResult:
    with faults.CentralServer(tmp_path) as server:
        result = faults.long_shift(tmp_path / "shift", scans, seed=seed, server=server)
    _assert_steady(result)
    # Every event of the shift reached the server (the shift's visits are at least one event each).
    assert result.unsent_events == 0
    assert result.synced_events >= result.visits
    return result


def test_long_shift_short(tmp_path):
    _syncing_shift(tmp_path, 600, seed=31)


def test_long_shift_standalone(tmp_path):
    """A station that never syncs: the same checks, without the worker thread and its connections."""
    result = faults.long_shift(tmp_path, 1000, seed=33)
    _assert_steady(result)
    assert result.synced_events is None


@pytest.mark.slow
def test_long_shift_50000_scans(tmp_path):
    _syncing_shift(tmp_path, 50_000, seed=32)
