"""A compressed 12-hour shift through Checkpoint: memory stays flat after the warm-up, and no thread or
file handle is left behind. CI: 3,000 scans; `-m slow`: 50,000. Ratios within one run, no timings."""
from __future__ import annotations

import pytest

from guardstation.bench import faults


def _assert_steady(result: faults.ShiftResult) -> None:
    print(f"long shift: {result.scans} scans, RSS {result.rss_warm_mb:.1f} -> {result.rss_end_mb:.1f} MB "
          f"({result.rss_growth_pct:+.2f} %), threads {result.threads_before}->{result.threads_after}, "
          f"files {result.files_before}->{result.files_after}")
    assert result.visits > result.scans // 3
    assert result.rss_growth_pct <= 10.0
    assert result.threads_after <= result.threads_before
    assert result.files_after <= result.files_before


def test_long_shift_short(tmp_path):
    _assert_steady(faults.long_shift(tmp_path, 3000, seed=31))


@pytest.mark.slow
def test_long_shift_50000_scans(tmp_path):
    _assert_steady(faults.long_shift(tmp_path, 50_000, seed=32))
