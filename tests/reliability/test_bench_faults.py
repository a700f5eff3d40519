"""`python -m bench faults --json` end to end with tiny sizes: every figure, zero losses."""
from __future__ import annotations

import json

from bench import faults, main


def test_faults_bench_json(capsys):
    assert main(["faults", "--json", "--quiet", "--kills", "3", "--power-cuts", "20", "--fuzz", "20",
                 "--shift-scans", "400"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert len(lines) == 1
    result = json.loads(lines[0])
    assert set(faults.KEYS) <= result.keys()
    assert (result["kills"], result["power_cuts"]) == (3, 20)
    assert result["fuzz_inputs"] >= 100
    assert (result["lost_visits"], result["doubled_visits"], result["bad_recoveries"],
            result["uncaught_exceptions"]) == (0, 0, 0, 0), result["problems"]
    assert isinstance(result["rss_growth_pct"], float) and result["integrity"] == "ok"
    assert result["threads_leaked"] <= 0 and result["files_leaked"] <= 0
    # The crash loop synced to a server process: what the station wrote is there, once.
    assert result["sync"]["synced_events"] > 0 and result["sync"]["doubled_on_server"] == 0


def test_faults_table(capsys):
    result = {k: 0 for k in faults.KEYS} | {"rss_growth_pct": 1.5, "early_kills": 1, "verdicts_shown": 9,
                                            "shift_scans": 10, "threads_leaked": 0, "files_leaked": 0,
                                            "problems": ["x"], "sync": {"synced_events": 40}}
    table = faults.format_table(result)
    assert "lost_visits" in table and "goal <= 10" in table and "problems:" in table
    assert "sync.synced_events" in table
