"""`guardstation enroll URL CODE` and `guardstation sync` against a real server process on loopback."""

from __future__ import annotations

import json

import pytest

from guardstation.app import main
from guardstation.server.pgtemp import free_port
from tests.helpers.processes import serve_process


@pytest.fixture
def live_server(tmp_path):
    from guardstation.server.cli import main as server_main

    db_url = f"sqlite:///{tmp_path / 'server.sqlite'}"
    assert server_main(["init", "--db", db_url]) == 0
    with serve_process(db_url) as base:
        yield base, db_url


def _json(capsys) -> dict:
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def test_enroll_then_sync_from_the_command_line(live_server, tmp_path, capsys):
    from guardstation.server.cli import main as server_main

    base, db_url = live_server
    assert server_main(["site", "add", "Puskesmas Kraksaan", "--capacity", "25", "--db", db_url, "--json"]) == 0
    site = _json(capsys)["site_id"]
    assert server_main(["enroll-code", site, "--db", db_url, "--json"]) == 0
    code = _json(capsys)["code"]
    home = str(tmp_path / "station")
    assert main(["enroll", base, code, "--home", home, "--json"]) == 0
    enrolled = _json(capsys)
    assert enrolled["site_id"] == site
    assert main(["sync", "--home", home, "--json"]) == 0
    status = _json(capsys)
    assert status["online"] is True and status["queue_depth"] == 0
    assert status["streams"]["site_config"] is not None
    # The same code a second time: refused, with the reason, exit 1.
    assert main(["enroll", base, code, "--home", str(tmp_path / "other"), "--json"]) == 1
    assert "code_used" in capsys.readouterr().out


def test_enroll_without_a_server_says_so_and_changes_nothing(tmp_path, capsys):
    home = tmp_path / "station"
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    assert main(["enroll", url, "ABCD-EFGH-JKMN-PQRS", "--home", str(home)]) == 1
    out = capsys.readouterr().out
    assert "cannot reach the server" in out and "nothing was changed" in out
    assert main(["sync", "--home", str(home), "--status"]) == 1
    assert "not enrolled" in capsys.readouterr().out


def test_enroll_refuses_an_address_that_is_not_http(tmp_path, capsys):
    assert main(["enroll", "ftp://example", "ABCD", "--home", str(tmp_path / "s")]) == 2
    assert "https://" in capsys.readouterr().out
