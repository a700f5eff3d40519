"""Retention purge: names gone (rows, event bodies, name search, the file itself), counts intact, audited."""

from __future__ import annotations

import json
import os
from datetime import timedelta

import pytest
from sqlalchemy import text

from guardstation.settings.model import Settings
from guardstation.station.checkpoint import ManualEntry
from guardstation.station.retention import MIN_VISIT_DAYS, RetentionPolicy, purge, scrub_body
from guardstation.store.audit import verify_chain
from guardstation.store.models import AuditLog
from guardstation.store.visits import log_page

POLICY = RetentionPolicy(visit_days=30, denied_days=14, export_days=30)
OLD, RECENT = "Andi Kurniawan", "Eka Saputra"


def nik(n: int) -> str:
    return f"35130101018{n:05d}"


@pytest.fixture
def history(station, clock):
    """40 days ago: three in (two out, one still inside) and one refused (full); 20 days ago: one refused,
    5 days ago: one in and out. Capacity is 3."""
    cp = station.checkpoint
    today = clock.current

    def enter(n: int, name: str):
        return cp.manual_entry(ManualEntry(nik(n), name, "Rapat dinas", "Bagian Umum"))

    clock.current = today - timedelta(days=40)
    andi = enter(1, OLD)
    bambang = enter(2, "Bambang Sutrisno")
    enter(3, "Citra Dewi")  # never leaves: still inside, must keep her name
    assert enter(4, "Dodi Firmansyah").decision.action.value == "deny"
    clock.advance(hours=2)
    cp.check_out(andi.visit_id)
    cp.check_out(bambang.visit_id)
    clock.current = today - timedelta(days=20)
    enter(5, "Fajar Nugroho")  # inside: 2 of 3
    enter(6, "Gita Permata")  # inside: 3 of 3
    assert enter(7, "Hadi Santoso").decision.action.value == "deny"
    clock.advance(minutes=5)
    with station.db.read() as session:
        inside = [v.visit_id for v in log_page(session) if v.display_name in ("Fajar Nugroho", "Gita Permata")]
    for visit_id in inside:
        cp.check_out(visit_id)
    clock.current = today - timedelta(days=5)
    eka = enter(8, RECENT)
    clock.advance(hours=1)
    cp.check_out(eka.visit_id)
    clock.current = today
    return station


def counts(db) -> dict:
    with db.engine.connect() as conn:
        visits = conn.exec_driver_sql(
            "SELECT substr(time_in, 1, 10), colour, status, reason_code, gate_in, "
            "count(*) FROM visit GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5"
        ).all()
        events = conn.exec_driver_sql(
            "SELECT substr(occurred_at, 1, 10), kind, json_extract(body_json, '$.colour'), "
            "json_extract(body_json, '$.reason'), count(*) FROM visit_event "
            "GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4"
        ).all()
    return {"visits": visits, "events": events}


def names_in_rows(db) -> set[str]:
    with db.engine.connect() as conn:
        names = {row[0] for row in conn.exec_driver_sql("SELECT display_name FROM visit")}
        for (body,) in conn.exec_driver_sql("SELECT body_json FROM visit_event"):
            names.add(json.loads(body).get("display_name", ""))
    return names - {""}


def search(db, name: str) -> list[str]:
    with db.read() as session:
        return [v.visit_id for v in log_page(session, name_query=name)]


def test_purge_removes_names_keeps_counts_and_is_audited(history, clock, home):
    db = history.db
    before = counts(db)
    assert search(db, "Kurniawan") and search(db, "Dodi")
    report = purge(db, POLICY, now=clock(), exports_dir=home / "exports")
    # 40 days: Andi and Bambang (left), Dodi (refused); 20 days: Hadi (refused), Fajar and Gita are only 20 days old.
    assert (report.visits, report.denied) == (2, 2)
    assert report.events == 2 * 2 + 2  # check-in + check-out of the two visits, one event per refusal
    assert counts(db) == before  # same totals per day, verdict, reason, gate, event kind
    left = names_in_rows(db)
    assert left == {"Citra Dewi", "Fajar Nugroho", "Gita Permata", RECENT}
    assert search(db, "Kurniawan") == [] and search(db, "Dodi") == [] and search(db, "Hadi") == []
    assert search(db, "Citra") and search(db, "Saputra")
    with db.engine.connect() as conn:
        purged = conn.exec_driver_sql(
            "SELECT nik_masked, purpose, host, subject_key FROM visit WHERE display_name = ''"
        ).all()
        bodies = [
            json.loads(b)
            for (b,) in conn.exec_driver_sql(
                "SELECT body_json FROM visit_event WHERE json_extract(body_json, '$.purged')"
            )
        ]
    assert len(purged) == 4 and set(purged) == {("", "", "", None)}
    assert len(bodies) == 6
    assert all(
        not ({"display_name", "nik_masked", "purpose", "host", "subject_key", "credential_id"} & set(b)) for b in bodies
    )
    assert all("gate" in b for b in bodies)
    # The audit row: counts and dates, never a name; the chain still verifies.
    with db.read() as session:
        rows = session.query(AuditLog).filter(AuditLog.action == "purge").all()
        assert verify_chain(session).ok
    assert [r.id for r in rows] == report.audit_ids
    detail = json.loads(rows[0].detail_json)
    assert (detail["visits"], detail["denied"], detail["events"]) == (2, 2, 6)
    assert detail["days"] == {"visits": 30, "denied": 14, "exports": 30}
    for name in ("Andi", "Bambang", "Dodi", "Hadi", "3513"):
        assert name not in rows[0].detail_json


def test_purged_names_are_gone_from_the_database_file(history, clock):
    db = history.db

    def raw() -> bytes:  # the database and its WAL
        return b"".join(p.read_bytes() for p in db.path.parent.glob(db.path.name + "*"))

    assert OLD.encode() in raw()
    purge(db, POLICY, now=clock())
    raw = raw()
    for gone in (OLD, "Bambang Sutrisno", "Dodi Firmansyah", "Hadi Santoso"):
        assert gone.encode() not in raw, gone
    assert b"Citra Dewi" in raw


def test_purge_is_idempotent(history, clock):
    db = history.db
    first = purge(db, POLICY, now=clock())
    snapshot = counts(db), names_in_rows(db)
    with db.read() as session:
        audit_rows = session.query(AuditLog).count()
    again = purge(db, POLICY, now=clock())
    assert first.changed and not again.changed and again.audit_ids == []
    assert (counts(db), names_in_rows(db)) == snapshot
    with db.read() as session:
        assert session.query(AuditLog).count() == audit_rows


def test_events_stay_append_only_after_a_purge(history, clock):
    db = history.db
    purge(db, POLICY, now=clock())
    with pytest.raises(Exception, match="append-only"):
        with db.transaction() as session:
            session.execute(text("UPDATE visit_event SET guard = 'x'"))


def test_small_batches_audit_every_batch(history, clock):
    report = purge(history.db, POLICY, now=clock(), batch_size=1)
    assert (report.visits, report.denied) == (2, 2) and len(report.audit_ids) == 4


def test_old_exports_are_removed(station, clock, home):
    folder = home / "exports"
    folder.mkdir()
    old, new = folder / "evakuasi-old.pdf", folder / "evakuasi-new.pdf"
    old.write_bytes(b"%PDF old")
    new.write_bytes(b"%PDF new")
    today = clock().timestamp()  # the station's clock, not this machine's
    month_ago = today - 31 * 86400
    os.utime(old, (month_ago, month_ago))
    os.utime(new, (today, today))
    report = purge(station.db, POLICY, now=clock(), exports_dir=folder)
    assert report.export_files == 1 and not old.exists() and new.exists()
    with station.db.read() as session:
        row = session.get(AuditLog, report.audit_ids[0])
    assert json.loads(row.detail_json)["export_files"] == 1


def test_policy_from_settings_is_kept_in_range():
    settings = Settings(retention_visit_days=3, retention_denied_days="x", retention_export_days=99999)
    policy = RetentionPolicy.from_settings(settings)
    assert policy == RetentionPolicy(MIN_VISIT_DAYS, 1, 3650)
    assert RetentionPolicy.from_settings(Settings()) == RetentionPolicy(30, 14, 30)
    assert RetentionPolicy(visit_days=7).problems() == ["visit_days"]
    with pytest.raises(ValueError):
        purge(None, RetentionPolicy(visit_days=7), now=None)


def test_scrub_body_removes_nested_personal_keys():
    body = {
        "kind": "correction",
        "changes": {"display_name": "X", "purpose": "Y"},
        "gate": "A",
        "items": [{"name": "Z", "colour": "green"}],
    }
    assert scrub_body(body) == {"kind": "correction", "changes": {}, "gate": "A", "items": [{"colour": "green"}]}
