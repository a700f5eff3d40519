"""Set-based statements that run well on both databases.

On PostgreSQL a batch of rows goes in as one statement reading a single JSON
parameter with `json_populate_recordset(NULL::table, ...)`: one round trip, a
short query text, and the rows encoded by the C JSON encoder and decoded by
PostgreSQL. (A multi-row VALUES list with thousands of placeholders, or typed
arrays in psycopg's text format, cost more to build than to execute: measured
with `python -m guardstation.bench sync`.) "Is in this list" becomes
`= ANY(array)`. On SQLite the same rows go through executemany, which is what
it is good at.
"""
from __future__ import annotations

import json
from datetime import datetime
from functools import lru_cache
from typing import Any, Iterable, Sequence

from sqlalchemy import JSON, Table, Text, any_, bindparam, cast, func, literal_column, select
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
