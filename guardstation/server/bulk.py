"""Set-based statements that run well on both databases.

On PostgreSQL a batch of rows goes in as one statement reading a single JSON
parameter with `json_populate_recordset(NULL::table, ...)`: one round trip, a
short query text, and the rows encoded by the C JSON encoder and decoded by
PostgreSQL. (A multi-row VALUES list with thousands of placeholders, or typed
arrays in psycopg's text format, cost more to build than to execute: measured
with `python -m bench sync`.) "Is in this list" becomes
`= ANY(array)`. On SQLite the same rows go through executemany, which is what
it is good at.

Rows that cannot conflict (new events, new visits, change log entries) skip all
of that: `append_rows` sends them with COPY on PostgreSQL (see there).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    TypeDecorator,
    any_,
    bindparam,
    cast,
    func,
    literal,
    literal_column,
    null,
    select,
)
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def one_of(session: Session, column, values: Iterable[Any]) -> ColumnElement[bool]:
    values = list(values)
    if is_postgres(session):
        return column == any_(
            cast(bindparam(None, values, type_=postgresql.ARRAY(column.type)), postgresql.ARRAY(column.type))
        )
    return column.in_(values)


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]):
    """(statement, parameters) inserting `rows` (all with the same keys); add ON CONFLICT, then `run`."""
    columns = list(rows[0])
    if is_postgres(session):
        doc = json.dumps(rows, default=_json_value, separators=(",", ":"))
        source = func.json_populate_recordset(
            literal_column(f"NULL::{table.name}"), cast(bindparam("rows_json", doc, type_=Text), JSON)
        ).table_valued(*columns)
        stmt = postgresql.insert(table).from_select(columns, select(*[source.c[c] for c in columns]))
        return stmt, None
    return sqlite.insert(table), list(rows)


def insert_from_json(table: Table, columns: Sequence[str]):
    """PostgreSQL: INSERT INTO table (columns) reading the rows of the JSON parameter `rows_json` (see json_rows);
    a statement that does not depend on the rows, so it can be built once and compiled once."""
    columns = list(columns)
    source = func.json_populate_recordset(
        literal_column(f"NULL::{table.name}"), cast(bindparam("rows_json", type_=Text), JSON)
    ).table_valued(*columns)
    return postgresql.insert(table).from_select(columns, select(*[source.c[c] for c in columns]))


def insert_from_json_arrays(
    table: Table, fields: Sequence[str], constants: dict[str, Any], same_as: dict[str, str] | None = None
):
    """PostgreSQL: INSERT INTO table reading rows from the JSON parameter `rows_json`, an array of arrays (values
    in `fields` order, see json_rows), columns in `same_as` set to the value of another field, the other
    columns set to `constants`. Arrays, not objects: the document
    does not repeat every column name on every row (about half the bytes to encode, send and parse). Built once;
    add ON CONFLICT as needed."""
    source = func.jsonb_array_elements(cast(bindparam("rows_json", type_=Text), JSONB)).table_valued("value")
    values = {
        name: cast(source.c.value.op("->>")(literal_column(str(i))), table.c[name].type)
        for i, name in enumerate(fields)
    }
    for name, source_name in (same_as or {}).items():
        values[name] = values[source_name]
    for name, value in constants.items():
        if name not in values:
            values[name] = cast(null(), table.c[name].type) if value is None else literal(value, table.c[name].type)
    columns = list(values)
    return postgresql.insert(table).from_select(columns, select(*values.values()))


def json_rows(rows: Sequence[Any]) -> str:
    """The `rows_json` parameter of insert_from_json / insert_from_json_arrays (aware datetimes as ISO text)."""
    return json.dumps(rows, default=_json_value, separators=(",", ":"))


@lru_cache(maxsize=64)
def _binary_types(table: Table, columns: tuple[str, ...]) -> tuple[str, ...] | None:
    """PostgreSQL type names of the columns for a binary COPY (which needs them exactly), or None."""
    names = []
    for name in columns:
        type_ = table.c[name].type
        if isinstance(type_, TypeDecorator):
            type_ = type_.impl_instance
        if isinstance(type_, DateTime) and type_.timezone:
            names.append("timestamptz")
        elif isinstance(type_, BigInteger):
            names.append("int8")
        elif isinstance(type_, Integer) and not isinstance(type_, SmallInteger):
            names.append("int4")
        elif isinstance(type_, Boolean):
            names.append("bool")
        elif isinstance(type_, String):
            names.append("text")
        else:
            return None
    return tuple(names)


@lru_cache(maxsize=64)
def _time_positions(table: Table, columns: tuple[str, ...]) -> tuple[int, ...]:
    """Where the timestamp columns are in `columns`."""
    return tuple(
        i
        for i, name in enumerate(columns)
        if isinstance(table.c[name].type, DateTime) or isinstance(getattr(table.c[name].type, "impl", None), DateTime)
    )


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return _iso(value)
    raise TypeError(f"cannot store {type(value).__name__} in a bulk insert")


@lru_cache(maxsize=8192)
def _iso(value: datetime) -> str:
    """Cached: a batch repeats the same few times (received_at, created_at) on every row."""
    if value.tzinfo is None:
        raise ValueError("naive datetime given to the database; times must be timezone-aware")
    return value.isoformat()


def run(session: Session, stmt, params):
    conn = session.connection()
    return conn.execute(stmt) if params is None else conn.execute(stmt, params)


class Sent:
    """A statement sent in a Pipeline: its rows and row count once the statement has run."""

    def __init__(self, cursor: Any = None, result: Any = None, sql: str = "", dialect: Any = None) -> None:
        self._cursor, self._result = cursor, result
        self._sql, self._dialect = sql, dialect

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount if self._cursor is not None else self._result.rowcount

    def rows(self) -> list[Any]:
        """The result rows (inside the Pipeline block this waits for every statement sent so far)."""
        if self._cursor is None:
            return self._result.all()
        try:
            return self._cursor.fetchall()
        except Exception as exc:  # this statement's error, or an earlier one's in the block
            raise _sa_error(exc, self._sql, self._dialect) from exc


class Pipeline:
    """`with Pipeline(session) as send: sent = send(statement, params)`: on PostgreSQL the statements go to the
    server one after another without waiting for each to finish (psycopg's pipeline mode, in the session's
    transaction), so the server runs one while Python prepares the next, or checks a push while the server looks
    up what it already holds; results arrive when asked for (`sent.rows()`) or when the block ends. SQLite runs
    each statement at once. `expect_rows=n`: raise RuntimeError at the end of the block unless the statement
    wrote exactly n rows. Statements are compiled once; bind parameters go through their types' bind processors,
    as SQLAlchemy's execute does (no "expanding" IN parameters: use JSON lists, as the push does). A database error
    is raised as SQLAlchemy's (IntegrityError, ...), at the latest when the block ends; COPY cannot run inside."""

    def __init__(self, session: Session) -> None:
        self.conn = session.connection()
        self.postgres = self.conn.dialect.name == "postgresql"
        self._checks: list[tuple[Sent, int, Any]] = []
        self._pipeline_cm = None
        self._sent_sql: list[str] = []

    def __enter__(self):
        if self.postgres:
            self._pipeline_cm = self.conn.connection.driver_connection.pipeline()
            self._pipeline_cm.__enter__()
        return self.send

    def send(self, statement, params: dict[str, Any] | None = None, *, expect_rows: int | None = None) -> Sent:
        if self.postgres:
            sql, prepare = _compiled(statement, self.conn.dialect)
            self._sent_sql.append(sql)
            try:
                values = prepare(params or {})
            except Exception as exc:  # a bind processor's refusal, as execute() reports it
                raise sa_exc.StatementError(str(exc), sql, params, exc) from exc
            cursor = self.conn.connection.driver_connection.cursor()
            try:
                cursor.execute(sql, values)
            except Exception as exc:
                raise _sa_error(exc, sql, self.conn.dialect) from exc
            sent = Sent(cursor, sql=sql, dialect=self.conn.dialect)
        else:
            sent = Sent(result=self.conn.execute(statement, params or {}))
        if expect_rows is not None:
            self._checks.append((sent, expect_rows, statement))
        return sent

    def __exit__(self, exc_type, exc, tb) -> None:
        if self._pipeline_cm is not None:
            try:
                self._pipeline_cm.__exit__(exc_type, exc, tb)  # sync: every result is in
            except Exception as error:
                if exc_type is None:  # which statement failed is in the error; the block's SQL goes with it
                    raise _sa_error(error, ";\n".join(self._sent_sql), self.conn.dialect) from error
        if exc_type is None:
            for sent, expected, statement in self._checks:
                if sent.rowcount != expected:  # e.g. a hole in reserved change seqs: never commit one
                    what = " ".join(str(statement).split())[:80]
                    raise RuntimeError(f"{sent.rowcount} rows written, {expected} expected: {what}")


@lru_cache(maxsize=64)
def _compiled(statement, dialect) -> tuple[str, Any]:
    """(SQL text, params -> driver params) for a statement built once at import (cached by identity)."""
    compiled = statement.compile(dialect=dialect)
    names = compiled.bind_names
    processors = {
        names[bind]: proc
        for bind in compiled.binds.values()
        if (proc := bind.type.dialect_impl(dialect).bind_processor(dialect)) is not None
    }

    def prepare(params: dict[str, Any]) -> dict[str, Any]:
        values = compiled.construct_params(params)
        for name, proc in processors.items():
            values[name] = proc(values[name])
        return values

    return str(compiled), prepare


def _sa_error(exc: BaseException, sql: str, dialect) -> BaseException:
    """A psycopg error as SQLAlchemy raises it from execute() (IntegrityError, OperationalError, ...)."""
    import psycopg

    if isinstance(exc, psycopg.Error):
        return sa_exc.DBAPIError.instance(sql, None, exc, psycopg.Error, dialect=dialect)
    return exc


def append_rows(session: Session, table: Table, columns: Sequence[str], rows: Sequence[tuple]) -> None:
    """Inserts new rows (tuples in `columns` order) with no conflict handling: see Appender."""
    with Appender(session, table, columns) as add:
        for row in rows:
            add(row)


class Appender:
    """`with Appender(session, table, columns) as add: add(row)...`: inserts new rows (tuples in `columns`
    order) with no conflict handling. A duplicate key raises IntegrityError and the transaction is lost, so use
    it for rows whose keys were checked under a lock or reserved.

    PostgreSQL: `COPY table (columns) FROM STDIN (FORMAT BINARY)` on the session's own connection and
    transaction, opened at the first row. Rows are sent in chunks as they are added, so the server inserts the
    first rows while the caller is still working out the next ones (the push path checks each event inside the
    block). psycopg formats them in C and the server writes multi-row inserts: measured (bench
    sync), about half the time of the same rows through json_populate_recordset, on both sides of the
    connection. Binary rather than text: JSON bodies are not scanned for characters to escape (and unescaped),
    times are 8-byte integers rather than ISO text to format and parse. (Columns of a type without a mapping
    here go as text, times as ISO text.) Nothing else may use the connection inside the block. SQLite: the rows
    are kept and inserted with executemany when the block ends.
    """

    def __init__(self, session: Session, table: Table, columns: Sequence[str]) -> None:
        self.conn = session.connection()
        self.table, self.columns = table, tuple(columns)
        self.postgres = self.conn.dialect.name == "postgresql"
        self.binary = _binary_types(table, self.columns)
        self.sql = f"COPY {table.name} ({', '.join(self.columns)}) FROM STDIN" + (
            " (FORMAT BINARY)" if self.binary else ""
        )
        self.times = () if self.binary else _time_positions(table, self.columns)
        self.rows: list[tuple] = []
        self.count = 0
        self._copy = self._cursor = self._copy_cm = None

    def __enter__(self):
        return self.add

    def add(self, row: Sequence[Any]) -> None:
        self.count += 1
        if not self.postgres:
            self.rows.append(row)
            return
        if self.times:
            row = list(row)
            for i in self.times:
                value = row[i]
                if value is not None and value.__class__ is not str:
                    row[i] = _iso(value)
        if self._copy is None:
            self._start()
        try:
            self._copy.write_row(row)
        except Exception as exc:
            self._fail(exc)

    def _start(self) -> None:
        self._cursor = self.conn.connection.driver_connection.cursor()
        try:
            self._copy_cm = self._cursor.copy(self.sql)  # keep the context manager: it owns the COPY
            self._copy = self._copy_cm.__enter__()
            if self.binary:
                self._copy.set_types(self.binary)
        except Exception as exc:
            self._fail(exc)

    def __exit__(self, exc_type, exc, tb) -> None:
        if not self.postgres:
            if exc_type is None and self.rows:
                self.conn.execute(self.table.insert(), [dict(zip(self.columns, row)) for row in self.rows])
            return
        if self._cursor is None:
            return
        try:
            if self._copy is not None:
                self._copy_cm.__exit__(exc_type, exc, tb)  # ends the COPY (or cancels it if the block raised)
        except Exception as error:
            if exc_type is None:
                self._fail(error)
        finally:
            self._cursor.close()

    def _fail(self, exc: BaseException):
        error = _sa_error(exc, self.sql, self.conn.dialect)
        if error is exc:
            raise exc
        raise error from exc
