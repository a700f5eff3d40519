"""`guardstation export` end to end, in-process: a station home with a recorded day, then main([...])."""

from __future__ import annotations

import csv
import hashlib
import json
import logging
from datetime import timedelta, timezone

import pytest

from guardstation.app import main

WIB = timezone(timedelta(hours=7))
FROM, TO = "2026-11-23T00:00+07:00", "2026-11-23T23:59:59+07:00"


@pytest.fixture(autouse=True)
def _restore_logging():
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


@pytest.fixture
def recorded_home(gate_day, station):
    """The known day (conftest) in a station home; closed, so the command opens it like a real run."""
    station.close()
    return station.home


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_csv_then_json_output(recorded_home, tmp_path, capsys):
    target = tmp_path / "log.csv"
    code, out, err = run(
        capsys, "export", "--home", recorded_home, "--from", FROM, "--to", TO, "--format", "csv", "--out", target
    )
    assert code == 0, err
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    assert out == f"{target}\nSHA-256 {digest}\n"
    with open(target, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == 11 and rows[1][3] == "Budi Santoso" and rows[1][8] == "HIJAU"

    code, out, err = run(
        capsys,
        "export",
        "--home",
        recorded_home,
        "--from",
        FROM,
        "--to",
        TO,
        "--out",
        tmp_path / "log.xlsx",
        "--json",
        "--lang",
        "en",
    )
    assert code == 0, err
    info = json.loads(out)
    assert info["format"] == "xlsx" and info["kind"] == "shift" and info["rows"] == 10
    assert info["sha256"] == hashlib.sha256((tmp_path / "log.xlsx").read_bytes()).hexdigest()
    assert info["from"] == "2026-11-23T00:00:00+07:00" and isinstance(info["audit_id"], int)


def test_every_kind(recorded_home, tmp_path, capsys):
    for kind, extra in (
        ("monitoring", ["--from", FROM, "--to", TO]),
        ("evacuation", []),
        ("exposure", ["--from", FROM, "--to", TO, "--subject", "3513011708800008"]),
    ):
        target = tmp_path / f"{kind}.pdf"
        code, out, err = run(
            capsys, "export", "--home", recorded_home, "--kind", kind, "--out", target, "--json", *extra
        )
        assert code == 0, (kind, err)
        info = json.loads(out)
        assert info["kind"] == kind and target.read_bytes().startswith(b"%PDF")
    assert json.loads(out)["rows"] == 3  # Budi's contacts, found from his NIK


def test_whole_days_from_dates(recorded_home, tmp_path, capsys):
    code, out, _ = run(
        capsys,
        "export",
        "--home",
        recorded_home,
        "--from",
        "2026-11-20",
        "--to",
        "2026-11-25",
        "--out",
        tmp_path / "week.csv",
        "--json",
    )
    assert code == 0 and json.loads(out)["rows"] == 10


@pytest.mark.parametrize(
    "argv,message",
    [
        (["--from", FROM, "--out", "x.csv"], "needs --from DATE and --to DATE"),
        (["--from", "yesterday", "--to", TO, "--out", "x.csv"], "not a date"),
        (["--from", FROM, "--to", TO, "--out", "x.doc"], "--format: give csv, xlsx or pdf"),
        (["--kind", "evacuation", "--from", FROM, "--to", TO, "--out", "x.pdf"], "do not apply to --kind evacuation"),
        (["--kind", "exposure", "--from", FROM, "--to", TO, "--out", "x.pdf"], "needs --subject"),
        (["--kind", "exposure", "--from", FROM, "--to", TO, "--subject", "Budi", "--out", "x.pdf"], "--subject:"),
        (["--from", FROM, "--to", TO, "--subject", "3513011708800008", "--out", "x.csv"], "only to --kind exposure"),
        (["--from", TO, "--to", FROM, "--out", "x.csv"], "Periode tidak sah"),
        (["--from", FROM, "--to", TO, "--out", "/no/such/folder/x.csv"], "Folder /no/such/folder tidak ada"),
    ],
)
def test_usage_errors_exit_2_with_a_clear_message(recorded_home, tmp_path, capsys, monkeypatch, argv, message):
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    code, out, err = run(capsys, "export", "--home", recorded_home, *argv)
    assert code == 2 and out == ""
    assert err.startswith("guardstation export: ") and message in err, err
    assert sorted(p.name for p in work.iterdir()) == []


def test_argparse_errors_exit_2(recorded_home, capsys):
    with pytest.raises(SystemExit) as caught:
        main(["export", "--home", str(recorded_home), "--format", "docx", "--out", "x"])
    assert caught.value.code == 2
    with pytest.raises(SystemExit) as caught:
        main(["export", "--home", str(recorded_home)])  # --out missing
    assert caught.value.code == 2
    assert "--out" in capsys.readouterr().err


def test_full_disk_exits_1_in_english(recorded_home, tmp_path, capsys, monkeypatch):
    import errno

    from guardstation.reports import xlsx

    def full(self):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(xlsx.Sheet, "_flush", full)
    code, out, err = run(
        capsys,
        "export",
        "--home",
        recorded_home,
        "--lang",
        "en",
        "--from",
        FROM,
        "--to",
        TO,
        "--out",
        tmp_path / "log.xlsx",
    )
    assert code == 1 and out == ""
    assert err.startswith("guardstation export: Disk full: the export stopped and nothing was written")
    assert list(tmp_path.glob("*log.xlsx*")) == []
