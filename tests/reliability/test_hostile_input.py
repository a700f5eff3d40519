"""Hostile input: mutated payloads, searches, export names, settings, trust files and rule packs are
rejected cleanly; no export name replaces a station file; secrets never reach logs, settings,
exports or the database."""

from __future__ import annotations

import base64
import logging
import os

import pytest

from bench import faults

CI_PER_SURFACE = int(os.environ.get("GUARDSTATION_FUZZ_N", "300"))


def _assert_clean(result: faults.HostileResult) -> None:
    assert result.uncaught == [] and result.written_outside == []


def test_hostile_inputs(tmp_path):
    result = faults.hostile_inputs(tmp_path, CI_PER_SURFACE, seed=21)
    _assert_clean(result)
    assert result.inputs >= 5 * CI_PER_SURFACE


@pytest.mark.slow
def test_hostile_inputs_long(tmp_path):
    _assert_clean(faults.hostile_inputs(tmp_path, 20_000, seed=22))


def test_search_with_control_characters_and_sql(station):
    """Found by the fuzzing above: a NUL in the search box ended the FTS phrase and raised."""
    from guardstation.station.checkpoint import ManualEntry
    from guardstation.store import visits

    station.checkpoint.manual_entry(ManualEntry(nik="3513011708800008", name="Budi Santoso"))
    with station.db.read() as session:
        assert [v.display_name for v in visits.log_page(session, name_query="Budi\x00 San")] == ["Budi Santoso"]
        for query in faults.HOSTILE_TEXTS:
            visits.log_page(session, name_query=query)
        assert visits.count_log(session) == 1


@pytest.mark.parametrize(
    "name",
    [
        "../guardstation.sqlite",
        "../guardstation.sqlite-wal",
        "../config.json",
        "../secrets/keyring.json",
        "sub/../../guardstation.sqlite",
    ],
)
def test_export_names_never_replace_station_files(station, name):
    from guardstation.reports import ExportError, ExportRequest, run_export

    (station.home / "exports" / "sub").mkdir(parents=True)
    (station.home / "secrets").mkdir(exist_ok=True)
    (station.home / "secrets" / "keyring.json").write_text("{}")
    station.settings.save(station.home)
    target = (station.home / "exports" / name).resolve()
    before = target.read_bytes() if target.exists() else None
    with pytest.raises(ExportError) as refused:
        run_export(
            station.db,
            ExportRequest("evacuation", "csv", station.home / "exports" / name, None),
            now=station.checkpoint.now(),
        )
    assert refused.value.code == "protected" and "stasiun" in refused.value.message("id")
    assert (target.read_bytes() if target.exists() else None) == before
    assert station.db.integrity_check(quick=False) == "ok"


def test_secrets_never_leave_the_keyring(tmp_path, monkeypatch, caplog):
    """A whole session on a station home, then every file in it is searched for every secret."""
    from guardstation.app import main
    from guardstation.log import setup_logging
    from guardstation.reports import ExportRequest, parse_period, run_export
    from guardstation.settings.model import Settings
    from guardstation.station.checkpoint import ManualEntry
    from guardstation.station.context import open_station
    from guardstation.station.pin import SupervisorPin, hash_pin
    from guardstation.store.secrets import DEPLOYMENT_SECRET, ISSUER_SECRET

    home = tmp_path / "home"
    pin = "4826159037"
    token = "gs-token-" + base64.urlsafe_b64encode(os.urandom(24)).decode()
    caplog.set_level(logging.DEBUG)
    setup_logging(home, verbose=True)
    assert (
        main(
            [
                "--home",
                str(home),
                "pass",
                "issue",
                "--name",
                "Budi Santoso",
                "--nik",
                "3513011708800008",
                "--out",
                str(tmp_path / "pass.png"),
            ]
        )
        == 0
    )
    station = open_station(home)
    try:
        station.secrets.put("station-token", token)  # what enrolment stores
        settings = Settings.load(home)
        settings.supervisor_pin_hash = hash_pin(pin)
        settings.configured = True
        settings.save(home)
        guard = SupervisorPin.for_home(home, settings.supervisor_pin_hash)
        assert guard.verify("0000000000").result.value == "wrong" and guard.verify(pin).result.value == "ok"
        for i in range(5):
            station.checkpoint.manual_entry(ManualEntry(nik="3513011708800008", name=f"Tamu {i}"))
        now = station.checkpoint.now()
        period = parse_period(now.date().isoformat(), now.date().isoformat(), now.tzinfo)
        (home / "exports").mkdir(exist_ok=True)
        for fmt in ("csv", "xlsx", "pdf"):
            run_export(station.db, ExportRequest("shift", fmt, home / "exports" / f"log.{fmt}", period), now=now)
        secrets = {name: station.secrets.get(name) for name in (DEPLOYMENT_SECRET, ISSUER_SECRET, "station-token")}
    finally:
        station.close()
    assert all(secrets.values())
    needles = {pin.encode(): "PIN", token.encode(): "station token"}
    for name, value in secrets.items():
        raw = base64.b64decode(value) if name != "station-token" else value.encode()
        needles.update(
            {
                value.encode(): name,
                raw.hex().encode(): f"{name} (hex)",
                base64.urlsafe_b64encode(raw).rstrip(b"="): f"{name} (base64url)",
            }
        )
    for record in caplog.records:
        text = record.getMessage().encode()
        assert not [label for needle, label in needles.items() if needle in text], record.getMessage()
    files = [p for p in home.rglob("*") if p.is_file()]
    assert any(p.suffix == ".log" for p in files) and any(p.suffix == ".xlsx" for p in files)
    for path in files:
        data = path.read_bytes()
        found = [label for needle, label in needles.items() if needle in data]
        assert not found, f"{found} in {path.relative_to(home)}"
