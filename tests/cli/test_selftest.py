"""`guardstation --self-test`: one PASS/FAIL line per check, non-zero exit on any failure, no station made."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys

from guardstation.app import main
from guardstation.cli.selftest import CHECKS, run_self_test


def _run(home, **kw):
    out = io.StringIO()
    code = run_self_test(home, out=out, **kw)
    return code, out.getvalue().splitlines()


def test_passes_in_a_fresh_home_without_making_a_station(qapp, tmp_path):
    home = tmp_path / "fresh"
    home.mkdir()
    code, lines = _run(home)
    checks = [line for line in lines if line.startswith(("PASS", "FAIL"))]
    assert code == 0, "\n".join(lines)
    assert len(checks) == len(CHECKS) and all(line.startswith("PASS") for line in checks)
    for name in ("database", "rule pack", "trust store", "sample QR", "main window", "keyring"):
        assert any(name in line for line in checks), name
    assert "signature verified, green" in next(line for line in checks if "sample QR" in line)
    assert lines[-1] == f"self-test: all {len(CHECKS)} checks passed"
    # It may create the database, but nothing of a station: no identity, site, keys or settings.
    con = sqlite3.connect(home / "guardstation.sqlite")
    try:
        for table in ("station", "site_config", "trust_key", "rule_pack", "visit_event"):
            assert con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0, table
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        con.close()
    assert not (home / "config.json").exists() and not (home / "secrets").exists()


def test_garbage_database_fails_with_a_fail_line_and_non_zero_exit(qapp, tmp_path):
    home = tmp_path / "broken"
    home.mkdir()
    (home / "guardstation.sqlite").write_bytes(b"this is not a database\n" * 200)
    code, lines = _run(home)
    assert code == 1
    failed = [line for line in lines if line.startswith("FAIL")]
    assert any(line.startswith("FAIL  database") and "restore the last backup" in line for line in failed)
    assert lines[-1].startswith("self-test:") and "FAILED" in lines[-1]
    # The other checks still ran and said so.
    assert any(line.startswith("PASS  sample QR") for line in lines)


def test_self_test_flag_through_main(qapp, tmp_path, capsys):
    assert main(["--self-test", "--home", str(tmp_path / "h"), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "PASS  main window" in out and "English" in out


def test_bundled_sample_is_not_trusted_by_a_real_station(station):
    """The self-test key lives only in the self-test's in-memory trust store."""
    import cv2

    from guardstation.resources import resource
    from guardstation.scanner import make_decoder
    from guardstation.scanner.sources import load_bgr_image

    image = load_bgr_image(resource("selftest", "sample-pass.png"))
    text = make_decoder("zxing").decode(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY))[0].text
    credential, decision = station.checkpoint.evaluate(text)
    assert not credential.trusted and decision.colour.value == "red"


def test_keyring_check_names_the_file_fallback_on_a_box_without_an_os_keyring(tmp_path):
    """No GUARDSTATION_KEYRING: the real discovery runs (this machine has no keyring service).

    Also guards against the in-memory test keyring being picked by keyring's discovery, which
    would lose the station's keys at exit.
    """
    env = {k: v for k, v in os.environ.items() if k not in ("GUARDSTATION_KEYRING", "PYTHON_KEYRING_BACKEND")}
    env.update(QT_QPA_PLATFORM="offscreen", DBUS_SESSION_BUS_ADDRESS="unix:path=/nonexistent")
    home = tmp_path / "h"
    result = subprocess.run(
        [sys.executable, "-m", "guardstation", "--self-test", "--home", str(home)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    line = next(line for line in result.stdout.splitlines() if line[6:].startswith("keyring"))
    assert line.startswith("PASS") and "FileKeyring" in line and "FILE FALLBACK" in line, result.stdout
    assert "MemoryKeyring" not in result.stdout
    assert not (home / "secrets").exists()  # the check only reads
