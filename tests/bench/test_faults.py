"""`python -m bench faults --json` end to end with tiny sizes: every figure, zero losses."""

from __future__ import annotations

import json

import pytest

from bench import faults, main


@pytest.mark.parametrize(
    "kills, power_cuts, shift_scans",
    [
        (1, 5, 250),
        pytest.param(3, 20, 400, marks=pytest.mark.slow),
    ],
)
def test_faults_bench_json(capsys, kills, power_cuts, shift_scans):
    assert (
        main(
            [
                "faults",
                "--json",
                "--quiet",
                "--kills",
                str(kills),
                "--power-cuts",
                str(power_cuts),
                "--fuzz",
                "20",
                "--shift-scans",
                str(shift_scans),
            ]
        )
        == 0
    )
    lines = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert len(lines) == 1
    result = json.loads(lines[0])
    assert set(faults.KEYS) <= result.keys()
    assert (result["kills"], result["power_cuts"]) == (kills, power_cuts)
    assert result["fuzz_inputs"] >= 100
    assert (
        result["lost_visits"],
        result["doubled_visits"],
        result["bad_recoveries"],
        result["uncaught_exceptions"],
    ) == (0, 0, 0, 0), result["problems"]
    assert isinstance(result["rss_growth_pct"], float) and result["integrity"] == "ok"
    assert result["threads_leaked"] <= 0 and result["files_leaked"] <= 0
    # The crash loop synced to a server process: what the station wrote is there, once.
    assert result["sync"]["synced_events"] > 0 and result["sync"]["doubled_on_server"] == 0


def test_faults_table(capsys):
    result = {k: 0 for k in faults.KEYS} | {
        "rss_growth_pct": 1.5,
        "early_kills": 1,
        "verdicts_shown": 9,
        "shift_scans": 10,
        "threads_leaked": 0,
        "files_leaked": 0,
        "problems": ["x"],
        "sync": {"synced_events": 40},
    }
    table = faults.format_table(result)
    assert "lost_visits" in table and "goal <= 10" in table and "problems:" in table
    assert "sync.synced_events" in table
