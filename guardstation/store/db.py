"""Opening the station database: pragmas, integrity check, backup, migrations.

Durability settings are checked, not assumed: a verdict is shown only after its
visit is committed, which means nothing unless synchronous=FULL really holds.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
EXPECTED_PRAGMAS = {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1}
BACKUPS_KEPT = 3


WRITE_OPTION = "guardstation_write"


class DatabaseError(RuntimeError):
    """The database cannot be used safely; the message is meant for the person at the desk."""


def _set_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _alembic_config(connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


@dataclass
class Database:
    path: Path
    engine: Engine
    sessions: sessionmaker[Session]

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back if it raises."""
        with self.sessions.begin() as session:
            session.connection(execution_options={WRITE_OPTION: True})
            yield session

    def read(self) -> Session:
        return self.sessions()

    def check_pragmas(self) -> dict[str, object]:
        with self.engine.connect() as conn:
            actual = {name: conn.exec_driver_sql(f"PRAGMA {name}").scalar() for name in EXPECTED_PRAGMAS}
        wrong = {k: v for k, v in actual.items() if v != EXPECTED_PRAGMAS[k]}
        if wrong:
            raise DatabaseError(f"database durability settings not in force: {wrong}")
        return actual

    def integrity_check(self, quick: bool = True) -> str:
        with self.engine.connect() as conn:
            return conn.exec_driver_sql("PRAGMA quick_check" if quick else "PRAGMA integrity_check").scalar()

    def close(self) -> None:
        self.engine.dispose()


def _take_over_transactions(dbapi_connection, _record) -> None:
    # pysqlite's own BEGIN handling breaks SAVEPOINTs and always begins DEFERRED; we begin ourselves.
    dbapi_connection.isolation_level = None


def _begin(conn) -> None:
    # A write transaction takes the write lock at BEGIN: with two writers (the checkpoint and the sync
    # worker), a DEFERRED transaction that read first could not upgrade once the other committed, and
    # would fail at once with "database is locked" instead of waiting `busy_timeout` for its turn.
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE_OPTION) else "BEGIN")


def make_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _set_pragmas)
    event.listen(engine, "connect", _take_over_transactions)
    event.listen(engine, "begin", _begin)
    return engine


def _backup(path: Path) -> Path:
    """A consistent copy (SQLite backup API, WAL included): before touching the schema, and daily.

    Written under a temporary name and renamed when complete, so a crash or power cut mid-copy never
    leaves a half backup that would later be offered as "the last good one".
    """
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.stem}.{stamp}.backup.sqlite")
    partial = target.with_name(target.name + ".partial")
    for stale in path.parent.glob(f"{path.stem}.*.backup.sqlite.partial"):
        stale.unlink(missing_ok=True)
    src, dst = sqlite3.connect(path), sqlite3.connect(partial)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    with open(partial, "rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, target)
    backups = sorted(path.parent.glob(f"{path.stem}.*.backup.sqlite"))
    for old in backups[:-BACKUPS_KEPT]:
        old.unlink(missing_ok=True)
    return target


def backup_if_older_than(path: Path, hours: float = 24.0) -> Path | None:
    """The daily backup: a new copy when the newest is older than `hours` (or there is none)."""
    newest = max(path.parent.glob(f"{path.stem}.*.backup.sqlite"), key=lambda p: p.stat().st_mtime, default=None)
    if newest is not None and datetime.now().timestamp() - newest.stat().st_mtime < hours * 3600:
        return None
    return _backup(path)


def good_backups(path: Path) -> list[Path]:
    """Backups of the database at `path` that pass a full integrity check, newest first."""
    good = []
    for candidate in sorted(path.parent.glob(f"{path.stem}.*.backup.sqlite"), reverse=True):
        try:
            con = sqlite3.connect(f"file:{candidate}?mode=ro", uri=True)
            try:
                if con.execute("PRAGMA integrity_check").fetchone()[0] == "ok":
                    good.append(candidate)
            finally:
                con.close()
        except sqlite3.DatabaseError:
            continue
    return good


def restore_backup(path: Path, backup: Path) -> Path:
    """Put `backup` in place of the (damaged) database; the damaged files are kept beside it, renamed.

    Returns the damaged copy's path. Visits recorded after the backup was made are not in it.
    """
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    damaged = path.with_name(f"{path.stem}.damaged-{stamp}.sqlite")
    for suffix in ("", "-wal", "-shm", "-journal"):
        source = Path(f"{path}{suffix}")
        if source.exists():
            os.replace(source, Path(f"{damaged}{suffix}"))
    partial = path.with_name(path.name + ".restoring")
    shutil.copyfile(backup, partial)
    os.replace(partial, path)
    return damaged


def _needs_upgrade(engine: Engine) -> tuple[bool, bool]:
    """(is there an existing schema, is it behind the code)."""
    scripts = ScriptDirectory(str(MIGRATIONS_DIR))
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    known = {rev.revision for rev in scripts.walk_revisions()}
    if current is not None and current not in known:
        raise DatabaseError(
            f"this database was written by a newer GuardStation (schema {current}); "
            "install that version again, or restore a backup made by this one"
        )
    return current is not None, current != scripts.get_current_head()


def open_database(path: Path) -> Database:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(path)
    try:
        existing, behind = _needs_upgrade(engine)
        if existing:
            with engine.connect() as conn:
                verdict = conn.exec_driver_sql("PRAGMA quick_check").scalar()
            if verdict != "ok":
                raise DatabaseError(f"database {path} is damaged ({verdict}); restore the last backup")
        if behind:
            if existing:
                log.info("schema upgrade: backup written to %s", _backup(path))
            with engine.begin() as conn:
                command.upgrade(_alembic_config(conn), "head")
    except (sqlite3.DatabaseError, SADatabaseError) as exc:
        engine.dispose()
        raise DatabaseError(
            f"database {path} cannot be opened ({getattr(exc, 'orig', exc)}); "
            "restore the last backup (*.backup.sqlite beside it)"
        ) from exc
    except BaseException:
        engine.dispose()
        raise
    db = Database(path, engine, sessionmaker(engine, expire_on_commit=False))
    db.check_pragmas()
    return db
