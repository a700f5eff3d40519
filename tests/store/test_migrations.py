"""Schema migrations: an old database is upgraded in place, with a backup first, and nothing is lost."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext

from guardstation.store.db import MIGRATIONS_DIR, make_engine, open_database
from guardstation.store.models import Base


def _upgrade_to(path, revision):
    engine = make_engine(path)
    with engine.begin() as conn:
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    engine.dispose()


def test_upgrade_from_0001_keeps_data_and_backs_up(tmp_path):
    path = tmp_path / "station.sqlite"
    _upgrade_to(path, "0001")
    con = sqlite3.connect(path)
    con.execute(
        "INSERT INTO trust_key (scheme, kid, public_der, label, usage, source, added_at) "
        "VALUES ('gspass', x'01', x'02', 'old key', '', 'local', ?)",
        (datetime.now(UTC).isoformat(),),
    )
    con.commit()
    con.close()

    db = open_database(path)
    try:
        with db.engine.connect() as conn:
            row = conn.exec_driver_sql("SELECT label, issuer, cert_der FROM trust_key").one()
            assert tuple(row) == ("old key", "", None)
            assert conn.exec_driver_sql("SELECT count(*) FROM data_freshness").scalar() == 0
    finally:
        db.close()
    assert list(tmp_path.glob("station.*.backup.sqlite")), "no backup written before the upgrade"


def test_models_match_the_migrated_schema(tmp_path):
    db = open_database(tmp_path / "station.sqlite")
    try:
        with db.engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"include_object": lambda o, n, t, r, c: not (t == "table" and n.startswith("visit_fts"))}
            )
            diff = compare_metadata(context, Base.metadata)
        assert diff == [], f"models and migrations disagree: {diff}"
    finally:
        db.close()
