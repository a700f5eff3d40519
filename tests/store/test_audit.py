"""The audit log is append-only in the database and hash-chained so tampering shows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError as SADatabaseError

from guardstation.store.audit import GENESIS, append_audit, verify_chain
from guardstation.store.db import open_database

WIB = timezone(timedelta(hours=7))
T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


@pytest.fixture
def db(tmp_path):
    database = open_database(tmp_path / "station.sqlite")
    yield database
    database.close()


def _fill(db, count: int = 5, start: datetime = T0) -> list[int]:
    ids = []
    with db.transaction() as session:
        for i in range(count):
            row = append_audit(
                session,
                at=start + timedelta(minutes=i),
                actor="supervisor",
                action="shift_opened" if i % 2 == 0 else "correction",
                detail={"n": i, "note": "Serah terima shift — Pintu Depan"},
            )
            ids.append(row.id)
    return ids


def test_empty_log_verifies(db):
    with db.read() as session:
        check = verify_chain(session)
    assert check.ok and check.rows == 0 and check.first_bad_id is None


def test_appended_rows_chain_and_verify(db):
    ids = _fill(db, 5)
    assert ids == sorted(ids) and len(set(ids)) == 5
    with db.read() as session:
        check = verify_chain(session)
        rows = session.execute(text("SELECT id, prev_hash, hash FROM audit_log ORDER BY id")).all()
    assert check.ok and check.rows == 5
    assert rows[0].prev_hash == GENESIS
    for earlier, later in zip(rows, rows[1:]):
        assert later.prev_hash == earlier.hash


def test_rows_stamped_in_local_time_verify(db):
    # The station's clock is local (WIB, UTC+7), and that is what it hands to append_audit.
    # The database gives the time back in UTC; the chain must still verify.
    _fill(db, 3, start=datetime(2026, 11, 23, 8, 0, tzinfo=WIB))
    with db.read() as session:
        check = verify_chain(session)
    assert check.ok, check
    assert check.rows == 3


def test_appends_in_separate_transactions_continue_the_chain(db):
    _fill(db, 2)
    _fill(db, 3)
    with db.read() as session:
        assert verify_chain(session).rows == 5
        assert verify_chain(session).ok


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET actor = 'someone else' WHERE id = 2",
        "DELETE FROM audit_log WHERE id = 2",
        "DELETE FROM audit_log",
    ],
)
def test_database_refuses_edits_and_deletes(db, statement):
    _fill(db, 3)
    with pytest.raises(SADatabaseError, match="append-only"):
        with db.engine.begin() as conn:
            conn.exec_driver_sql(statement)
    with db.read() as session:
        check = verify_chain(session)
    assert check.ok and check.rows == 3


def _drop_guards(db) -> None:
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER audit_log_no_update")
        conn.exec_driver_sql("DROP TRIGGER audit_log_no_delete")


def test_edited_row_breaks_the_chain_at_that_row(db):
    ids = _fill(db, 5)
    _drop_guards(db)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE audit_log SET detail_json = '{\"n\": 99}' WHERE id = ?", (ids[2],))
    with db.read() as session:
        check = verify_chain(session)
    assert not check.ok
    assert check.first_bad_id == ids[2]


def test_edited_time_breaks_the_chain(db):
    ids = _fill(db, 4)
    _drop_guards(db)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE audit_log SET at = '2026-11-22T01:00:00.000000+00:00' WHERE id = ?", (ids[1],))
    with db.read() as session:
        assert verify_chain(session).first_bad_id == ids[1]


def test_deleted_row_breaks_the_chain_at_the_next_row(db):
    ids = _fill(db, 5)
    _drop_guards(db)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM audit_log WHERE id = ?", (ids[1],))
    with db.read() as session:
        check = verify_chain(session)
    assert not check.ok
    assert check.first_bad_id == ids[2]


def test_rehashed_row_still_breaks_at_the_next_row(db):
    # A tamperer who recomputes the edited row's own hash is caught by the following row.
    ids = _fill(db, 4)
    _drop_guards(db)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE audit_log SET hash = ? WHERE id = ?", ("f" * 64, ids[1]))
    with db.read() as session:
        assert verify_chain(session).first_bad_id == ids[1]
