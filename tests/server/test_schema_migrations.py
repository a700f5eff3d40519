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
