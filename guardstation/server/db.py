"""Opening the server database: SQLite file by default, PostgreSQL for a real deployment.

- `postgresql://` / `postgres://` URLs use the psycopg 3 driver.
- SQLite runs in WAL mode with synchronous=FULL (an ack is a promise that the
  event is on disk); write transactions start with BEGIN IMMEDIATE so two
  writers queue on the busy timeout instead of failing on a lock upgrade.
- The schema is managed by Alembic (guardstation/server/migrations); `upgrade`
  takes a PostgreSQL advisory lock so several processes starting together do
  not race on it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
ENV_DB = "GUARDSTATION_SERVER_DB"
_MIGRATION_LOCK = 0x6753_5256  # "gSRV": advisory lock key for schema upgrades on PostgreSQL


class ServerDatabaseError(RuntimeError):
    """The database cannot be used; the message says what to do."""


def default_db_url() -> str:
    env = os.environ.get(ENV_DB)
    if env:
        return env
    import platformdirs

    folder = Path(platformdirs.user_data_dir("GuardStationServer", appauthor=False))
    return f"sqlite:///{folder / 'server.sqlite'}"


def normalise_url(url: str) -> str:
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    if "://" not in url:  # a bare path means an SQLite file
        url = f"sqlite:///{Path(url).expanduser().resolve()}"
    return url


def safe_url(url: str) -> str:
    """For output and logs: the password is never shown."""
    try:
        return make_url(normalise_url(url)).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a URL we cannot parse is shown as a placeholder
        return "<unparseable database URL>"


def _sqlite_connect(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (see _sqlite_begin)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(conn) -> None:
    mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str, *, pool_size: int = 10) -> Engine:
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if parsed.get_backend_name() == "postgresql":
        return create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)
    raise ServerDatabaseError(f"unsupported database {parsed.get_backend_name()!r}: use sqlite:/// or postgresql://")


def _alembic_config(connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    return ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> str:
    """Brings the schema to the code's head; returns the revision."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK})
        current = MigrationContext.configure(conn).get_current_revision()
        known = {rev.revision for rev in ScriptDirectory(str(MIGRATIONS_DIR)).walk_revisions()}
        if current is not None and current not in known:
            raise ServerDatabaseError(f"this database was written by a newer GuardStation server (schema {current})")
        command.upgrade(_alembic_config(conn), "head")
    return head_revision()


@dataclass
class ServerDB:
    url: str
    engine: Engine
    write_engine: Engine
    reader: sessionmaker[Session]
    writer: sessionmaker[Session]

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction: committed when the block ends, rolled back if it raises."""
        with self.writer.begin() as session:
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self.reader.begin() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()


def open_db(url: str | None = None, *, migrate: bool = True, pool_size: int = 10) -> ServerDB:
    url = url or default_db_url()
    engine = make_engine(url, pool_size=pool_size)
    try:
        if migrate:
            upgrade(engine)
        else:
            current = current_revision(engine)
            if current != head_revision():
                raise ServerDatabaseError(
                    f"database schema is {current or 'empty'}, the server needs "
                    f"{head_revision()}: run `guardstation-server init --db ...` first"
                )
    except ServerDatabaseError:
        engine.dispose()
        raise
    except Exception as exc:
        engine.dispose()
        raise ServerDatabaseError(
            f"cannot open the server database {safe_url(url)}: {getattr(exc, 'orig', None) or exc}"
        ) from exc
    write_engine = engine.execution_options(sqlite_begin="IMMEDIATE") if engine.dialect.name == "sqlite" else engine
    return ServerDB(
        url,
        engine,
        write_engine,
        sessionmaker(engine, expire_on_commit=False),
        sessionmaker(write_engine, expire_on_commit=False),
    )
