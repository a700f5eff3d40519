"""kill -9 right after a verdict is shown: after restart the visit is there and the database is intact."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

from guardstation.app import main
from tests.helpers.processes import child_env


def test_visit_survives_kill_9_right_after_verdict(tmp_path, monkeypatch):
    home = tmp_path / "home"
    env = child_env()
    monkeypatch.setenv("GUARDSTATION_KEYRING", "file")  # same keys in this process and the child
    cards = tmp_path / "camera"
    for i, name in enumerate(["Budi Santoso", "Siti Rahma", "Ahmad Fauzi"]):
        assert (
            main(
                ["--home", str(home), "pass", "issue", "--name", name, "--doses", "2", "--out", str(cards / f"{i}.png")]
            )
            == 0
        )

    # A station that has been through the first-run setup (otherwise the setup wizard would open).
    (home / "config.json").write_text(json.dumps({"configured": True}), "utf-8")
    log_file = home / "logs" / "guardstation.log"
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "guardstation",
            "--home",
            str(home),
            "--camera",
            str(cards),
            "--rescan-after",
            "0.5",
            "--quit-after",
            "60",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    visit_id = None
    deadline = time.monotonic() + 45
    try:
        while time.monotonic() < deadline and visit_id is None:
            if log_file.exists():
                for line in log_file.read_text("utf-8").splitlines():
                    if "verdict shown: visit=" in line:
                        visit_id = line.split("visit=")[1].split()[0]
                        break
            if child.poll() is not None:
                break
            time.sleep(0.005)
        assert visit_id, f"no verdict shown; child said: {child.stderr.read().decode() if child.poll() else ''}"
        os.kill(child.pid, signal.SIGKILL)  # no chance to flush or close anything
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(10)
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL

    db = home / "guardstation.sqlite"
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        status, colour = con.execute("SELECT status, colour FROM visit WHERE visit_id = ?", (visit_id,)).fetchone()
        assert (status, colour) == ("inside", "green")
        events = con.execute("SELECT kind FROM visit_event WHERE visit_id = ?", (visit_id,)).fetchall()
        outbox = con.execute(
            "SELECT COUNT(*) FROM outbox JOIN visit_event USING (event_id) WHERE visit_id = ?", (visit_id,)
        ).fetchone()[0]
        assert events == [("check_in",)] and outbox == 1
    finally:
        con.close()

    # And the station starts again on that database.
    restarted = subprocess.run(
        [sys.executable, "-m", "guardstation", "--home", str(home), "verify", "--json", "text:hello"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert restarted.returncode == 0, restarted.stderr
