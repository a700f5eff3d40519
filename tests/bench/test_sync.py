"""The sync benchmark runs end to end with tiny sizes and reports every figure (timings never asserted)."""

from __future__ import annotations

import json
import math

from bench import main
from bench import sync as sync_bench


def test_sync_bench_smoke(capsys):
    assert (
        main(["sync", "--events", "1000", "--naive-events", "20", "--catchup-events", "1050", "--json", "--quiet"]) == 0
    )
    lines = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert len(lines) == 1
    result = json.loads(lines[0])
    assert set(sync_bench.KEYS) <= result.keys()
    for key in (
        "server_ingest_per_s",
        "server_ingest_per_s_workers",
        "server_ingest_per_s_sqlite",
        "push_events_per_s",
        "naive_push_events_per_s",
        "bytes_per_event",
        "catchup_21k_s",
    ):
        assert isinstance(result[key], float) and math.isfinite(result[key]) and result[key] > 0, key
    assert result["postgres"]  # PostgreSQL ran (the test extra ships it)
    # bytes_per_event is what the engine sent (gzip), so it is well below the same batches as plain JSON.
    assert 20 < result["bytes_per_event"] < result["json_bytes_per_event"]
    # The returning gate pushed its whole outbox and pulled the other gates' recent visits (a week of the
    # pushing gate's 1,000 events holds about 36 h / 7 days of them, plus the visits still open).
    assert result["catchup_pushed"] == 1050
    assert 50 < result["catchup_pulled"] < 1000


def test_sync_bench_ingest_only(capsys):
    """--only ingest: just the server figures (no station engine), --repeat: the median of fresh databases."""
    assert (
        main(["sync", "--only", "ingest", "--events", "1000", "--repeat", "2", "--no-workers", "--json", "--quiet"])
        == 0
    )
    result = json.loads(capsys.readouterr().out)
    assert "push_events_per_s" not in result and result["server_ingest_per_s_workers"] is None
    for key in ("server_ingest_per_s", "server_ingest_per_s_sqlite"):
        runs = result[key + "_runs"]
        assert len(runs) == 2 and all(math.isfinite(r) and r > 0 for r in runs)
        assert min(runs) <= result[key] <= max(runs)
