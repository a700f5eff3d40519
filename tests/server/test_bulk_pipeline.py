"""bulk.Pipeline: statements in order, rows, SQLAlchemy errors, expect_rows, UtcDateTime parameters."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import psycopg
import pytest
from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy import exc as sa_exc

from guardstation.server import bulk
from guardstation.server.models import ChangeCounter, Site

WIB = timezone(timedelta(hours=7))
AT = datetime(2026, 11, 23, 8, 0, tzinfo=WIB)

# Built once, as the server's own statements are (Pipeline compiles each statement once).
_counter = ChangeCounter.__table__
_site = Site.__table__
_ADD = update(_counter).where(_counter.c.id == 1).values(last_seq=_counter.c.last_seq + bindparam("n"))
_TIMES = update(_counter).where(_counter.c.id == bindparam("cid")).values(last_seq=_counter.c.last_seq * bindparam("k"))
_READ = select(_counter.c.last_seq).where(_counter.c.id == 1)
_ADD_SITE = insert(_site).values(
    site_id=bindparam("sid"),
    name=bindparam("name"),
    capacity=None,
    policy_json="{}",
    created_at=bindparam("at"),
    updated_at=bindparam("at"),
)
_SITE_TIME = select(_site.c.created_at).where(_site.c.site_id == bindparam("sid"))


def _counter_value(db) -> int:
    with db.read() as s:
        return s.scalar(_READ)


def _sites(db) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(_site))


def _site_params(sid: str = "s1", at: datetime = AT) -> dict:
    return {"sid": sid, "name": "Kantor Bupati", "at": at}


def test_statements_run_in_order_and_rows_can_be_read_inside_the_block(db):
    """Two UPDATEs of one row apply in the order sent, and a SELECT's rows are readable inside the block."""
    with db.write() as s:
        with bulk.Pipeline(s) as send:
            first = send(_ADD, {"n": 1}, expect_rows=1)
            send(_TIMES, {"cid": 1, "k": 10}, expect_rows=1)  # (0 + 1) * 10, not 0 * 10 + 1
            read = send(_READ)
            assert [tuple(r) for r in read.rows()] == [(10,)]
        assert first.rowcount == 1
    assert _counter_value(db) == 10


def test_rows_are_available_after_the_block(db):
    """A SELECT sent after an INSERT sees it, and its rows can be read once the block has ended."""
    with db.write() as s:
        with bulk.Pipeline(s) as send:
            send(_ADD_SITE, _site_params(), expect_rows=1)
            read = send(select(func.count()).select_from(_site))
        assert [tuple(r) for r in read.rows()] == [(1,)]
    assert _sites(db) == 1


def test_unique_violation_raises_integrity_error_and_commits_nothing(db):
    """A duplicate key in the block raises SQLAlchemy's IntegrityError and the whole transaction is rolled back."""
    with pytest.raises(sa_exc.IntegrityError) as caught:
        with db.write() as s:
            with bulk.Pipeline(s) as send:
                send(_ADD, {"n": 5})
                send(_ADD_SITE, _site_params())
                send(_ADD_SITE, _site_params())
    if db.dialect == "postgresql":
        assert isinstance(caught.value.orig, psycopg.errors.UniqueViolation)  # wrapped, as execute() does
    assert _counter_value(db) == 0 and _sites(db) == 0
    with db.write() as s:  # the connection is usable again afterwards
        with bulk.Pipeline(s) as send:
            send(_ADD_SITE, _site_params(), expect_rows=1)
    assert _sites(db) == 1


def test_unique_violation_seen_by_rows_inside_the_block_is_an_integrity_error(db):
    """Reading rows inside the block after a duplicate key still raises SQLAlchemy's IntegrityError."""
    with pytest.raises(sa_exc.IntegrityError):
        with db.write() as s:
            with bulk.Pipeline(s) as send:
                send(_ADD_SITE, _site_params())
                send(_ADD_SITE, _site_params())
                send(_READ).rows()
    assert _sites(db) == 0


def test_expect_rows_mismatch_raises_and_rolls_back(db):
    """A statement that writes a different number of rows than expected raises RuntimeError; nothing is committed."""
    with pytest.raises(RuntimeError, match=r"^0 rows written, 1 expected: UPDATE change_counter"):
        with db.write() as s:
            with bulk.Pipeline(s) as send:
                send(_ADD, {"n": 7}, expect_rows=1)
                send(_TIMES, {"cid": 2, "k": 3}, expect_rows=1)  # there is no counter row 2
    assert _counter_value(db) == 0


def test_aware_time_with_offset_is_stored_as_the_same_instant(db):
    """A UtcDateTime parameter at UTC+7 is stored as that instant and read back in UTC."""
    with db.write() as s:
        with bulk.Pipeline(s) as send:
            send(_ADD_SITE, _site_params(at=AT), expect_rows=1)
            read = send(_SITE_TIME, {"sid": "s1"})
            ((raw,),) = read.rows()
        assert raw == AT  # same instant, whatever the driver returns
    with db.read() as s:
        stored = s.scalar(select(Site.created_at).where(Site.site_id == "s1"))
    assert stored == AT and stored.utcoffset() == timedelta(0)
    assert stored.replace(tzinfo=None) == datetime(2026, 11, 23, 1, 0)


def test_naive_time_is_refused(db):
    """A naive datetime parameter is refused as SQLAlchemy's execute refuses it (StatementError around the
    ValueError) on both databases; nothing is stored."""
    with pytest.raises(sa_exc.StatementError) as caught:
        with db.write() as s:
            with bulk.Pipeline(s) as send:
                send(_ADD_SITE, _site_params(at=datetime(2026, 11, 23, 8, 0)))
    cause = caught.value.orig
    assert isinstance(cause, ValueError) and "naive datetime" in str(cause)
    assert _sites(db) == 0
