"""Bad files: a damaged database at start-up (the last good backup offered and restored), and bad
rule packs, trust files and settings rejected with a message while the previous ones are kept."""

from __future__ import annotations

import json
import sqlite3
from argparse import Namespace

import pytest

from guardstation.resources import DEFAULT_RULE_PACK, resource
from guardstation.station.checkpoint import ManualEntry
from guardstation.station.context import DB_FILENAME, open_station
from guardstation.store.db import DatabaseError, _backup, backup_if_older_than, good_backups, open_database


def _visit_ids(path) -> set[str]:
    con = sqlite3.connect(path)
    try:
        return {r[0] for r in con.execute("SELECT visit_id FROM visit")}
    finally:
        con.close()


def _damage(path) -> None:
    """Overwrite pages in the middle of the file, as a failing disk would."""
    data = bytearray(path.read_bytes())
    assert len(data) > 20 * 4096
    for offset in range(4096 * 2, len(data), 4096 * 3):
        data[offset : offset + 4096] = b"\xa5" * 4096
    path.write_bytes(bytes(data))


@pytest.fixture
def damaged_home(home, clock):
    station = open_station(home, clock=clock)
    kept = station.checkpoint.manual_entry(ManualEntry(nik="3513011708800008", name="Sebelum Cadangan")).visit_id
    station.close()
    _backup(home / DB_FILENAME)
    station = open_station(home, clock=clock)
    clock.advance(minutes=5)
    for i in range(300):
        station.checkpoint.manual_entry(ManualEntry(nik="3513011708800008", name=f"Sesudah {i}"))
        clock.advance(minutes=1)
    station.close()
    _damage(home / DB_FILENAME)
    with pytest.raises(DatabaseError) as refused:
        open_database(home / DB_FILENAME).close()
    return home, kept, str(refused.value)


def test_damaged_database_message_and_backup_offered(damaged_home, qapp, translator):
    from guardstation.ui.recovery import offer_backup

    home, kept, message = damaged_home
    assert "damaged" in message or "cannot be opened" in message
    assert "backup" in message  # the message says what to do
    translator("id")
    asked = []
    station = offer_backup(home, message, ask=lambda question, details: asked.append((question, details)) or True)
    try:
        assert "Basis data stasiun rusak" in asked[0][0] and asked[0][1] == message
        assert station.db.integrity_check(quick=False) == "ok"
        assert _visit_ids(station.db.path) == {kept}  # what the backup held
        station.checkpoint.manual_entry(ManualEntry(nik="3513011708800008", name="Sesudah Pulih"))
    finally:
        station.close()
    damaged = list(home.glob("guardstation.damaged-*.sqlite"))
    assert len(damaged) == 1  # nothing thrown away


def test_declined_or_no_backup_means_no_change(damaged_home, qapp):
    from guardstation.ui.recovery import offer_backup

    home, _kept, message = damaged_home
    before = (home / DB_FILENAME).read_bytes()
    assert offer_backup(home, message, ask=lambda *_: False) is None
    assert (home / DB_FILENAME).read_bytes() == before
    for backup in home.glob("*.backup.sqlite"):
        backup.unlink()
    assert offer_backup(home, message, ask=lambda *_: True) is None


def test_a_half_written_backup_is_never_offered(home, clock):
    station = open_station(home, clock=clock)
    station.close()
    path = home / DB_FILENAME
    good = _backup(path)
    (home / "guardstation.20990101T000000Z.backup.sqlite").write_bytes(good.read_bytes()[:5000])  # torn copy
    assert good_backups(path) == [good]
    assert backup_if_older_than(path, hours=24) is None  # one a day
    assert backup_if_older_than(path, hours=0) is not None


def test_bad_rule_pack_rejected_previous_kept(station, clock):
    from guardstation.domain.rules import RulePackError
    from guardstation.store import reference

    before = [p.pack_id for p in station.checkpoint.packs]
    good = json.loads(resource(*DEFAULT_RULE_PACK).read_text("utf-8"))
    bad_packs = [
        [],
        {},
        {**good, "id": "rusak", "format": 99},
        {**good, "id": "rusak", "vaccination": []},
        {**good, "id": "rusak", "vaccination": [{"min_doses": 2, "colour": "green"}]},
        {**good, "id": "rusak", "vaccination": [{"min_doses": 0, "colour": "ungu"}]},
        {**good, "id": "rusak", "status": {"alien": "red"}},
    ]
    for bad in bad_packs:
        with pytest.raises(RulePackError):
            with station.db.transaction() as session:
                reference.put_rule_pack(session, bad, clock())
    station.checkpoint.reload_reference()
    assert [p.pack_id for p in station.checkpoint.packs] == before


def test_bad_trust_file_rejected_with_a_message_previous_kept(station, tmp_path, capsys):
    from guardstation.cli.commands import UsageError, run_trust_import, run_trust_list

    def trusted() -> list[str]:
        run_trust_list(station, Namespace(json=True))
        return capsys.readouterr().out.splitlines()

    before = trusted()
    for name, content in (
        ("kosong.pem", b""),
        ("rusak.json", b'{"keys": [{"kty": "EC", "x": "!!"}]}'),
        ("sampah.pem", b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
        ("daftar.json", b'{"certificates": 5}'),
    ):
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(UsageError) as refused:
            run_trust_import(station, Namespace(file=str(path), issuer=None, json=True))
        assert name in str(refused.value) and "nothing was imported" in str(refused.value)
    assert trusted() == before


def test_damaged_settings_fall_back_to_the_last_good_ones(home):
    from guardstation.settings.model import Settings

    settings = Settings(language="en", camera="2", configured=True, kiosk=True)
    settings.save(home)
    (home / "config.json").write_text('{"language": "en", "camera": ', "utf-8")  # cut off mid-write
    loaded = Settings.load(home)
    assert (loaded.language, loaded.camera, loaded.configured, loaded.kiosk) == ("en", "2", True, True)
    assert loaded.load_problem and "config.json" in loaded.load_problem
    assert list(home.glob("config.json.damaged*"))  # kept for a look, not overwritten
    (home / "config.json").write_text("[1, 2, 3]", "utf-8")  # valid JSON, wrong shape
    assert Settings.load(home).configured is True
