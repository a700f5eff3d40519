"""The benchmark commands run end to end with tiny sizes and report every figure.

Behaviour only: timings are never asserted (they depend on the machine).
"""

from __future__ import annotations

import json
import math

import pytest

from bench import log as log_bench
from bench import main
from bench import scan as scan_bench

SCAN_KEYS = set(scan_bench.KEYS) | {"python", "platform"}
LOG_KEYS = set(log_bench.KEYS)


def _run_json(capsys, argv: list[str]) -> dict:
    assert main(argv + ["--json", "--quiet"]) == 0
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.strip()]
    assert len(lines) == 1, f"--json must print exactly one line, got: {out!r}"
    return json.loads(lines[0])


def _assert_positive_finite(result: dict, keys: set[str]) -> None:
    for key in keys:
        value = result[key]
        if key in ("python", "platform"):
            assert isinstance(value, str) and value
            continue
        assert isinstance(value, (int, float)) and not isinstance(value, bool), f"{key}={value!r}"
        assert math.isfinite(value) and value > 0, f"{key}={value!r}"


def test_scan_smoke(capsys):
    result = _run_json(capsys, ["scan", "--scans", "20", "--repeats", "5"])
    assert SCAN_KEYS <= result.keys(), SCAN_KEYS - result.keys()
    _assert_positive_finite(result, SCAN_KEYS)
    assert result["frames"] == 20 and result["repeats"] == 5
    # Every frame held a real pass: it decoded, verified and got the expected verdict.
    assert result["decode_failures"] == 0
    assert result["decoded_wrong_text"] == 0
    assert result["unexpected_verdicts"] == {}
    assert result["scans_timed"] == 20
    assert result["db_pragmas"]["synchronous"] == 2  # the commit measured is a FULL one
    assert result["scan_to_verdict_ms_p95"] >= result["scan_to_verdict_ms_p50"]


def test_log_smoke(capsys, tmp_path):
    keep = tmp_path / "log-home"
    result = _run_json(capsys, ["log", "--rows", "5000", "--keep", str(keep)])
    assert LOG_KEYS <= result.keys(), LOG_KEYS - result.keys()
    _assert_positive_finite(result, LOG_KEYS)
    assert result["rows"] == 5000 and result["built_this_run"] is True
    assert result["search_rows_found"] > 0
    assert result["search_same_rows_as_like"] is True  # the index finds what LIKE finds
    assert result["first_page_rows"] == result["page_size"]
    assert all(q["total_matches"] > 0 for q in result["search_queries"])

    # A second run on the kept home reuses the database instead of rebuilding it.
    again = _run_json(capsys, ["log", "--rows", "5000", "--keep", str(keep)])
    assert again["built_this_run"] is False and again["rows"] == 5000
    assert again["search_rows_found"] > 0


def test_table_output(capsys):
    assert main(["log", "--rows", "500", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "first_page_ms" in out and "goal" in out


def test_bad_arguments():
    with pytest.raises(SystemExit):
        main(["nosuchbench"])


def test_verify_bench_reports_every_format():
    from bench import run

    result = run(["verify", "--seconds", "0.3"])
    for key in (
        "hc1_per_s",
        "hc1_forged_per_s",
        "shc_per_s",
        "gspass_per_s",
        "raw_ecdsa_p256_verify_per_s",
        "hc1_cost_vs_raw_ecdsa",
    ):
        assert result[key] > 0 and math.isfinite(result[key]), key
