"""Set-based statements that run well on both databases.

On PostgreSQL a batch of rows goes in as one statement reading a single JSON
parameter with `json_populate_recordset(NULL::table, ...)`: one round trip, a
short query text, and the rows encoded by the C JSON encoder and decoded by
PostgreSQL. (A multi-row VALUES list with thousands of placeholders, or typed
arrays in psycopg's text format, cost more to build than to execute: measured
with `python -m guardstation.bench sync`.) "Is in this list" becomes
`= ANY(array)`. On SQLite the same rows go through executemany, which is what
it is good at.

Rows that cannot conflict (new events, change log entries) skip all of that:
`append_rows` sends them with COPY on PostgreSQL (see there).
"""
from __future__ import annotations

import json
from datetime import datetime
from functools import lru_cache
from typing import Any, Iterable, Sequence

from sqlalchemy import JSON, DateTime, Table, Text, any_, bindparam, cast, func, literal, literal_column, null, select
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def one_of(session: Session, column, values: Iterable[Any]) -> ColumnElement[bool]:
    values = list(values)
    if is_postgres(session):
        return column == any_(cast(bindparam(None, values, type_=postgresql.ARRAY(column.type)),
                                   postgresql.ARRAY(column.type)))
    return column.in_(values)


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]):
    """(statement, parameters) inserting `rows` (all with the same keys); add ON CONFLICT, then `run`."""
    columns = list(rows[0])
    if is_postgres(session):
        doc = json.dumps(rows, default=_json_value, separators=(",", ":"))
        source = func.json_populate_recordset(literal_column(f"NULL::{table.name}"),
                                              cast(bindparam("rows_json", doc, type_=Text), JSON)
                                              ).table_valued(*columns)
        stmt = postgresql.insert(table).from_select(columns, select(*[source.c[c] for c in columns]))
        return stmt, None
    return sqlite.insert(table), list(rows)


def insert_from_json(table: Table, columns: Sequence[str]):
    """PostgreSQL: INSERT INTO table (columns) reading the rows of the JSON parameter `rows_json` (see json_rows);
    a statement that does not depend on the rows, so it can be built once and compiled once."""
    columns = list(columns)
    source = func.json_populate_recordset(literal_column(f"NULL::{table.name}"),
                                          cast(bindparam("rows_json", type_=Text), JSON)).table_valued(*columns)
    return postgresql.insert(table).from_select(columns, select(*[source.c[c] for c in columns]))


def insert_from_json_arrays(table: Table, fields: Sequence[str], constants: dict[str, Any],
                            same_as: dict[str, str] | None = None):
    """PostgreSQL: INSERT INTO table reading rows from the JSON parameter `rows_json`, an array of arrays (values
    in `fields` order, see json_rows), columns in `same_as` set to the value of another field, the other
    columns set to `constants`. Arrays, not objects: the document
    does not repeat every column name on every row (about half the bytes to encode, send and parse). Built once;
    add ON CONFLICT as needed."""
    source = func.json_array_elements(cast(bindparam("rows_json", type_=Text), JSON)).table_valued("value")
    values = {name: cast(source.c.value.op("->>")(literal_column(str(i))), table.c[name].type)
              for i, name in enumerate(fields)}
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
def _time_positions(table: Table, columns: tuple[str, ...]) -> tuple[int, ...]:
    """Where the timestamp columns are in `columns`."""
    return tuple(i for i, name in enumerate(columns) if isinstance(table.c[name].type, DateTime)
                 or isinstance(getattr(table.c[name].type, "impl", None), DateTime))


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


def append_rows(session: Session, table: Table, columns: Sequence[str], rows: Sequence[tuple]) -> None:
    """Inserts new rows (tuples in `columns` order) with no conflict handling: a duplicate key raises
    IntegrityError and the transaction is lost, so use it for rows whose keys were checked or reserved.

    PostgreSQL: `COPY table (columns) FROM STDIN` on the session's own connection and transaction. psycopg
    formats the rows in C and sends them in chunks while the rest are formatted, and the server parses the
    plain COPY text and writes the rows with multi-row inserts: measured (guardstation.bench sync), about half
    the time of the same rows through json_populate_recordset, on both sides of the connection. SQLite:
    executemany.
    """
    if not rows:
        return
    conn = session.connection()
    if conn.dialect.name != "postgresql":
        conn.execute(table.insert(), [dict(zip(columns, row)) for row in rows])
        return
    import psycopg

    sql = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
    raw = conn.connection.driver_connection
    times = _time_positions(table, tuple(columns))
    try:
        with raw.cursor() as cursor, cursor.copy(sql) as copy:
            write = copy.write_row
            if times:
                # Times go as ISO text (PostgreSQL reads it for timestamptz): datetime.isoformat is several
                # times cheaper than psycopg's datetime adapter, and times repeat within a batch.
                for row in rows:
                    row = list(row)
                    for i in times:
                        value = row[i]
                        if value is not None and not isinstance(value, str):
                            row[i] = _iso(value)
                    write(row)
            else:
                for row in rows:
                    write(row)
    except psycopg.Error as exc:
        # What SQLAlchemy raises for the same error from execute(): IntegrityError, OperationalError, ...
        raise sa_exc.DBAPIError.instance(sql, None, exc, psycopg.Error, dialect=conn.dialect) from exc
