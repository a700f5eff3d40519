"""Opening the station database: durability pragmas, re-opening, and clear errors for bad files."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from guardstation.store.db import DatabaseError, open_database
from guardstation.store.models import Outbox

NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def test_new_database_has_wal_full_sync_and_foreign_keys(tmp_path):
    db = open_database(tmp_path / "station.sqlite")
    try:
        assert db.check_pragmas() == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1}
        assert db.integrity_check() == "ok"
        assert db.integrity_check(quick=False) == "ok"
        # Every pooled connection has the settings, not just the first one.
        with db.engine.connect() as a, db.engine.connect() as b:
            for conn in (a, b):
                assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        db.close()
    assert (tmp_path / "station.sqlite").is_file()


def test_missing_folder_is_created(tmp_path):
    db = open_database(tmp_path / "a" / "b" / "station.sqlite")
    db.close()
    assert (tmp_path / "a" / "b" / "station.sqlite").is_file()


def test_second_open_keeps_the_data_and_makes_no_backup(tmp_path):
    path = tmp_path / "station.sqlite"
    db = open_database(path)
    with db.transaction() as session:
        session.execute(
            text(
                "INSERT INTO shift (shift_id, guard_name, opened_at, closed_at) "
                "VALUES ('s1', 'Pak Joko', '2026-11-23T01:00:00+00:00', NULL)"
            )
        )
    db.close()
    again = open_database(path)
    try:
        assert again.check_pragmas()["journal_mode"] == "wal"
        with again.read() as session:
            assert session.execute(text("SELECT guard_name FROM shift")).scalar() == "Pak Joko"
    finally:
        again.close()
    # The schema is current, so nothing needed a pre-migration backup.
    assert not list(tmp_path.glob("*.backup.sqlite"))


def test_two_open_handles_at_once_are_fine(tmp_path):
    first = open_database(tmp_path / "station.sqlite")
    second = open_database(tmp_path / "station.sqlite")
    try:
        assert first.integrity_check() == second.integrity_check() == "ok"
    finally:
        first.close()
        second.close()


def test_foreign_keys_are_enforced(tmp_path):
    db = open_database(tmp_path / "station.sqlite")
    try:
        with pytest.raises(IntegrityError):
            with db.transaction() as session:
                session.add(Outbox(seq=1, event_id="no-such-event", created_at=NOW))
    finally:
        db.close()


def test_transaction_rolls_back_on_error(tmp_path):
    db = open_database(tmp_path / "station.sqlite")
    try:
        with pytest.raises(RuntimeError):
            with db.transaction() as session:
                session.execute(
                    text(
                        "INSERT INTO shift (shift_id, guard_name, opened_at, closed_at) "
                        "VALUES ('s1', 'X', '2026', NULL)"
                    )
                )
                raise RuntimeError("power cut")
        with db.read() as session:
            assert session.execute(text("SELECT count(*) FROM shift")).scalar() == 0
    finally:
        db.close()


def test_garbage_file_gives_a_clear_database_error_and_is_left_alone(tmp_path):
    path = tmp_path / "station.sqlite"
    garbage = b"this is a holiday photo, not a database\n" * 200
    path.write_bytes(garbage)
    with pytest.raises(DatabaseError) as info:
        open_database(path)
    assert not isinstance(info.value, sqlite3.Error)
    message = str(info.value)
    assert str(path) in message
    assert "not a database" in message or "cannot be opened" in message
    # The file is not overwritten: whatever it was, it can still be rescued.
    assert path.read_bytes() == garbage


def test_damaged_database_gives_a_database_error(tmp_path):
    path = tmp_path / "station.sqlite"
    db = open_database(path)
    with db.engine.begin() as conn:
        for i in range(2000):
            conn.exec_driver_sql(
                "INSERT INTO shift (shift_id, guard_name, opened_at, closed_at) VALUES (?, ?, ?, NULL)",
                (f"s{i}", "guard " * 8, "2026"),
            )
    db.close()
    data = bytearray(path.read_bytes())
    pages = len(data) // 4096
    for page in range(pages - 5, pages):  # smash the b-tree page headers of the last pages
        data[page * 4096 : page * 4096 + 12] = b"\x0d" + b"\xff" * 11
    path.write_bytes(bytes(data))
    with pytest.raises(DatabaseError) as info:
        open_database(path)
    assert str(path) in str(info.value)


def test_database_from_a_newer_version_gives_a_database_error(tmp_path):
    # After a downgrade of the app, the database carries a schema revision this code does not know:
    # the guard should get a clear DatabaseError, not a raw Alembic "Can't locate revision" crash.
    path = tmp_path / "station.sqlite"
    db = open_database(path)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0099'")
    db.close()
    with pytest.raises(DatabaseError):
        open_database(path)
