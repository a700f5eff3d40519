"""The outbox keeps acknowledged rows, so it only grows; the sync worker's two questions about it
(how many are pending, which are next) must be answered through the partial index of migration 0005,
not by reading the whole table."""

from __future__ import annotations

from sqlalchemy import event

from guardstation.station.checkpoint import ManualEntry
from guardstation.sync.engine import SyncEngine, pending_count


def _plans(station, call) -> list[str]:
    """EXPLAIN QUERY PLAN of every outbox statement `call` runs."""
    seen: list[tuple[str, tuple]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many):
        if "outbox" in statement and statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(station.db.engine, "before_cursor_execute", capture)
    try:
        call()
    finally:
        event.remove(station.db.engine, "before_cursor_execute", capture)
    assert seen, "no outbox query ran"
    with station.db.engine.connect() as conn:
        return [
            " | ".join(row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params))
            for sql, params in seen
        ]


def test_pending_rows_are_found_through_the_partial_index(station):
    station.checkpoint.manual_entry(ManualEntry("3513010101800001", "Hadi Prasetyo"))

    def count() -> None:
        with station.db.read() as session:
            assert pending_count(session) == 1

    engine = SyncEngine(station.db, transport=None, token="t")
    for plan in _plans(station, count) + _plans(station, engine._pending):
        assert "ix_outbox_pending" in plan, plan
