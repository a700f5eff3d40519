"""--portable keeps everything next to the executable; --home still wins."""

from __future__ import annotations

import sys

from guardstation.app import parse_args
from guardstation.settings import paths as config
from guardstation.settings.paths import portable_home, resolve_home
from tests.helpers.paths import REPO_ROOT as REPO


def test_portable_from_source_is_the_checkouts_portable_data():
    assert portable_home() == REPO / "portable-data"


def test_portable_when_frozen_is_the_executables_data_folder(tmp_path, monkeypatch):
    exe = tmp_path / "usb" / "GuardStation" / "guardstation.exe"
    exe.parent.mkdir(parents=True)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))
    monkeypatch.delenv("GUARDSTATION_HOME", raising=False)
    assert resolve_home(portable=True) == exe.parent / "data"
    assert resolve_home(portable=True, demo=True) == exe.parent / "data" / "demo"
    assert (exe.parent / "data").is_dir()


def test_home_beats_portable_and_portable_beats_the_environment(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "portable_home", lambda: tmp_path / "portable")
    monkeypatch.setenv("GUARDSTATION_HOME", str(tmp_path / "env"))
    assert resolve_home(tmp_path / "explicit", portable=True) == tmp_path / "explicit"
    assert resolve_home(None, portable=True) == tmp_path / "portable"
    assert resolve_home(None) == tmp_path / "env"


def test_portable_flag_before_or_after_a_subcommand():
    assert parse_args(["--portable"]).portable
    assert parse_args(["verify", "--portable", "text:a"]).portable
    assert parse_args(["--portable", "verify", "text:a"]).portable
    assert not parse_args([]).portable


def test_portable_command_keeps_its_data_and_keys_in_the_portable_folder(tmp_path, monkeypatch, capsys):
    from guardstation.app import main

    monkeypatch.setattr(config, "portable_home", lambda: tmp_path / "usb" / "data")
    monkeypatch.delenv("GUARDSTATION_HOME", raising=False)
    monkeypatch.setenv("GUARDSTATION_KEYRING", "")  # recorded, so the "file" that --portable sets is undone
    monkeypatch.delenv("GUARDSTATION_KEYRING")
    assert main(["--portable", "pass", "issue", "--name", "Budi", "--out", str(tmp_path / "p.png")]) == 0
    data = tmp_path / "usb" / "data"
    assert (data / "guardstation.sqlite").exists() and (data / "logs" / "guardstation.log").exists()
    assert (data / "secrets" / "keyring.json").exists()  # the keys travel with the data
