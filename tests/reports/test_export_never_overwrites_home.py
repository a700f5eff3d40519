"""An export never replaces or adds a file in the station home, except in its exports/ folder:
not by name, not through `..`, not through a link. Nothing is written; the file stays as it was."""

from __future__ import annotations

import os

import pytest

from guardstation.app import main
from guardstation.reports import ExportError, ExportRequest, run_export

HOME_FILES = [
    "config.json",
    "config.last-good.json",
    "supervisor_lockout.json",
    "guardstation.sqlite",
    "secrets/keyring.json",
    "guard_lockout/g1.json",
    "logs/guardstation.log",
    "new-file-in-the-home.csv",  # not there yet: the home itself is no place for exports either
]


@pytest.fixture
def home_files(station):
    """Every file above, with bytes we can compare; the database is the live one."""
    for name in HOME_FILES:
        path = station.home / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() and name != "new-file-in-the-home.csv":
            path.write_bytes(f"station file {name}\n".encode())
    (station.home / "exports").mkdir(exist_ok=True)
    return station.home


def snapshot(home) -> dict:
    return {p.relative_to(home).as_posix(): p.read_bytes() for p in home.rglob("*") if p.is_file()}


def refused(station, out) -> ExportError:
    with pytest.raises(ExportError) as caught:
        run_export(station.db, ExportRequest("evacuation", "csv", out, None), now=station.checkpoint.now())
    return caught.value


@pytest.mark.parametrize("name", HOME_FILES)
def test_each_home_file_is_refused_and_untouched(station, home_files, name):
    target = home_files / name
    before = target.read_bytes() if target.exists() else None
    error = refused(station, target)
    assert error.code == "protected"
    assert "exports" in error.message("en") and "stasiun" in error.message("id")
    assert (target.read_bytes() if target.exists() else None) == before
    assert not any(p.name.endswith(".part") for p in home_files.rglob("*"))


@pytest.mark.parametrize(
    "name",
    [
        "exports/../supervisor_lockout.json",
        "exports/../config.last-good.json",
        "exports/sub/../../secrets/keyring.json",
        "exports/../guardstation.sqlite",
        "exports/..",
    ],
)
def test_dot_dot_out_of_exports_is_refused(station, home_files, name):
    (home_files / "exports" / "sub").mkdir()
    before = snapshot(home_files)
    with pytest.raises(ExportError):
        run_export(
            station.db, ExportRequest("evacuation", "csv", home_files / name, None), now=station.checkpoint.now()
        )
    after = snapshot(home_files)
    assert {k: v for k, v in after.items() if "sqlite" not in k} == {
        k: v for k, v in before.items() if "sqlite" not in k
    }
    assert station.db.integrity_check(quick=False) == "ok"


def test_links_into_the_home_are_refused(station, home_files, tmp_path):
    outside = tmp_path / "usb"
    outside.mkdir()
    to_file = outside / "report.csv"
    to_file.symlink_to(home_files / "supervisor_lockout.json")
    to_folder = outside / "station"
    to_folder.symlink_to(home_files / "secrets", target_is_directory=True)
    exports_link = home_files / "exports" / "keys"
    exports_link.symlink_to(home_files / "secrets", target_is_directory=True)
    before = snapshot(home_files)
    for out in (to_file, to_folder / "keyring.json", to_folder / "new.csv", exports_link / "keyring.json"):
        assert refused(station, out).code == "protected", out
    assert snapshot(home_files) == before
    assert to_file.is_symlink()


def test_exports_folder_and_outside_the_home_still_work(station, home_files, tmp_path):
    now = station.checkpoint.now()
    for out in (
        home_files / "exports" / "evacuation.csv",
        home_files / "exports" / "2026" / "e.pdf",
        tmp_path / "e.csv",
    ):
        out.parent.mkdir(parents=True, exist_ok=True)
        result = run_export(station.db, ExportRequest("evacuation", out.suffix[1:], out, None), now=now)
        assert out.is_file() and result.size == out.stat().st_size
    (home_files / "exports" / "evacuation.csv").write_text("old list")
    run_export(station.db, ExportRequest("evacuation", "csv", home_files / "exports" / "evacuation.csv", None), now=now)
    assert (home_files / "exports" / "evacuation.csv").read_text("utf-8-sig") != "old list"


def test_a_link_swapped_in_during_the_export_is_refused_before_the_rename(station, home_files, tmp_path, monkeypatch):
    """Checked again just before the rename: a folder replaced by a link into the home meanwhile."""
    from guardstation.reports import api

    folder = tmp_path / "usb"
    folder.mkdir()
    real_write = api._write

    def write_then_swap(ctx, request, temp):
        rows = real_write(ctx, request, temp)
        parked = tmp_path / "parked"
        os.rename(folder, parked)
        folder.symlink_to(home_files, target_is_directory=True)
        (parked / temp.name).rename(home_files / temp.name)  # the temp file follows, as if it had been there
        return rows

    monkeypatch.setattr(api, "_write", write_then_swap)
    before = (home_files / "config.json").read_bytes()
    assert refused(station, folder / "config.json").code == "protected"
    assert (home_files / "config.json").read_bytes() == before


def test_cli_export_out_into_the_home_is_refused(station, home_files, capsys):
    station.close()
    target = home_files / "config.last-good.json"
    before = target.read_bytes()
    code = main(["export", "--home", str(home_files), "--kind", "evacuation", "--out", str(target), "--format", "csv"])
    _, err = capsys.readouterr()
    assert code == 2 and "exports" in err
    assert target.read_bytes() == before
