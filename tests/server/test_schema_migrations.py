"""The Alembic migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from guardstation.server.db import head_revision
from guardstation.server.models import Base


def test_migrations_match_the_models(db):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn)
        assert context.get_current_revision() == head_revision()
        diff = compare_metadata(context, Base.metadata)
    assert diff == [], diff


def test_counter_row_exists(db):
    from guardstation.server import changelog

    with db.read() as s:
        assert changelog.last_seq(s) == 0


def test_visit_event_changes_survive_migration_0004_both_ways(db, deployment):
    """0004 makes a visit event's change point at its event instead of holding a copy. Downgrading writes the
    copies back; upgrading again leaves them as they are, and pull gives the same data either way."""
    import json

    from alembic import command

    from guardstation.server.db import _alembic_config

    site = deployment.site()
    a, b = deployment.gate(site, "A"), deployment.gate(site, "B")
    a.push([a.event("check_in", "v1", subject=f"{1:032x}", note='é "x"'), a.event("check_out", "v1")])
    before = [c for c in b.pull_all() if c["stream"] == "visit_event"]
    assert len(before) == 2
    try:
        with db.engine.begin() as conn:
            command.downgrade(_alembic_config(conn), "0003")
        with db.engine.connect() as conn:
            stored = conn.exec_driver_sql(
                "SELECT seq, data_json FROM change_log WHERE stream = 'visit_event' ORDER BY seq"
            ).all()
        assert [(seq, json.loads(data)) for seq, data in stored] == [(c["seq"], c["data"]) for c in before]
    finally:
        with db.engine.begin() as conn:
            command.upgrade(_alembic_config(conn), "head")
    b.cursor = 0
    assert [c for c in b.pull_all() if c["stream"] == "visit_event"] == before
