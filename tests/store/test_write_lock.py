"""Two writers on one station database (the checkpoint and the sync worker) take turns, never fail."""

from __future__ import annotations

import threading
import time

from sqlalchemy import text

from guardstation.store.db import open_database


def test_a_writer_that_read_first_waits_for_its_turn_instead_of_failing(tmp_path):
    db = open_database(tmp_path / "station.sqlite")
    try:
        with db.transaction() as s:
            s.execute(text("CREATE TABLE t (a INTEGER)"))
        started = threading.Event()

        def other_writer() -> None:
            with db.transaction() as s:
                started.set()
                s.execute(text("INSERT INTO t VALUES (2)"))
                time.sleep(0.2)

        with db.transaction() as s:
            assert s.execute(text("SELECT count(*) FROM t")).scalar() == 0
            thread = threading.Thread(target=other_writer)
            thread.start()
            started.wait(0.5)  # the other writer cannot even begin while we hold the write lock
            s.execute(text("INSERT INTO t VALUES (1)"))
        thread.join()
        with db.read() as s:
            assert sorted(s.execute(text("SELECT a FROM t")).scalars()) == [1, 2]
    finally:
        db.close()


def test_a_failed_step_inside_a_transaction_can_be_undone_alone(tmp_path):
    db = open_database(tmp_path / "station.sqlite")
    try:
        with db.transaction() as s:
            s.execute(text("CREATE TABLE t (a INTEGER)"))
        with db.transaction() as s:
            s.execute(text("INSERT INTO t VALUES (1)"))
            try:
                with s.begin_nested():
                    s.execute(text("INSERT INTO t VALUES (2)"))
                    raise ValueError("bad change")
            except ValueError:
                pass
        with db.read() as s:
            assert list(s.execute(text("SELECT a FROM t")).scalars()) == [1]
    finally:
        db.close()
