"""`python -m bench export` end to end with small sizes: every figure present (timings not asserted)."""

from __future__ import annotations

import json
import math

from bench import export as export_bench
from bench import main


def test_export_bench_smoke(capsys, tmp_path):
    assert (
        main(
            ["export", "--rows", "3000", "--small-rows", "1000", "--keep", str(tmp_path / "home"), "--json", "--quiet"]
        )
        == 0
    )
    lines = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert len(lines) == 1
    result = json.loads(lines[0])
    for key in export_bench.KEYS:
        value = result[key]
        assert isinstance(value, (int, float)) and math.isfinite(value), (key, value)
    assert result["rows"] == 3000 and result["small_rows"] == 1000
    assert min(result["csv_s"], result["xlsx_s"], result["pdf_s"]) > 0
    assert result["progress_calls"]["xlsx"] >= 3  # 0, every 1,000 rows, and the end
    assert result["bytes"]["xlsx"] > 0 and result["goals"] == {"xlsx_s": 10.0}
    assert "rss_growth_mb_100k_vs_20k" in export_bench.format_table(result)
