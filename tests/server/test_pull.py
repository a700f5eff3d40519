"""Pull: one cursor over every stream, pages, site isolation, and no skipped rows under concurrency."""

from __future__ import annotations

import json
import threading
from datetime import timedelta

from guardstation.server import changelog, service
from guardstation.server.changelog import Change
from tests.helpers.paths import RULES


def _by_stream(changes):
    out = {}
    for c in changes:
        out.setdefault(c["stream"], []).append(c)
    return out


def test_paging_with_cursor_and_has_more(deployment, client):
    site = deployment.site()
    a, b = deployment.gate(site, "A"), deployment.gate(site, "B")
    a.push([a.event("check_in", f"v{i}", subject=f"{i:032x}") for i in range(23)])
    pages, cursor = [], 0
    while True:
        r = client.get("/v1/sync/pull", params={"cursor": cursor, "limit": 5}, headers=b.auth).json()
        pages.append(r)
        assert r["next_cursor"] >= cursor
        cursor = r["next_cursor"]
        if not r["has_more"]:
            break
    changes = [c for p in pages for c in p["changes"]]
    assert all(len(p["changes"]) == 5 for p in pages[:-1])
    assert all(p["has_more"] for p in pages[:-1])
    seqs = [c["seq"] for c in changes]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    streams = _by_stream(changes)
    assert len(streams["visit_event"]) == 23 and len(streams["site_config"]) == 1
    assert {c["data"]["body"]["visit_id"] for c in streams["visit_event"]} == {f"v{i}" for i in range(23)}
    assert all(c["data"]["station_id"] == a.station_id for c in streams["visit_event"])
    # Nothing new: an empty page, same cursor.
    again = client.get("/v1/sync/pull", params={"cursor": cursor}, headers=b.auth).json()
    assert again["changes"] == [] and again["next_cursor"] == cursor and not again["has_more"]
    assert again["server_hlc"] and again["server_time"]


def test_bad_cursor_and_limit(deployment, client):
    gate = deployment.gate(deployment.site())
    for params in ({"cursor": -1}, {"limit": 0}, {"limit": 10**6}, {"cursor": "abc"}):
        r = client.get("/v1/sync/pull", params=params, headers=gate.auth)
        assert r.status_code == 422, params
    far = client.get("/v1/sync/pull", params={"cursor": 10**12}, headers=gate.auth).json()
    assert far["changes"] == [] and far["next_cursor"] == 10**12


def test_a_station_sees_only_its_site_and_never_its_own_events(deployment, db, server_clock):
    s1 = deployment.site("Kantor Bupati")
    s2 = deployment.site("Mal Pelayanan Publik")
    a1, b1 = deployment.gate(s1, "A1"), deployment.gate(s1, "B1")
    a2 = deployment.gate(s2, "A2")
    a1.push([a1.event("check_in", "s1-v1", subject="1" * 32)])
    a2.push([a2.event("check_in", "s2-v1", subject="2" * 32)])
    with db.write() as s:
        service.update_site(s, s2, server_clock(), capacity=99)
        changelog.append(s, [Change("alert", "append", {"alert_id": "x", "site_id": s2}, site_id=s2)], server_clock())
        service.publish_rule_pack(s, json.loads((RULES / "id-2022.json").read_text()), server_clock())
    seen_b1 = _by_stream(b1.pull_all())
    assert [c["data"]["body"]["visit_id"] for c in seen_b1["visit_event"]] == ["s1-v1"]
    assert [c["data"]["site_id"] for c in seen_b1["site_config"]] == [s1]
    assert "alert" not in seen_b1
    assert len(seen_b1["rule_pack"]) == 1  # deployment-wide
    seen_a1 = _by_stream(a1.pull_all())
    assert "visit_event" not in seen_a1  # its own events never come back
    seen_a2 = _by_stream(a2.pull_all())
    assert "visit_event" not in seen_a2  # s1's visits are not s2's business
    assert [c["data"]["capacity"] for c in seen_a2["site_config"]] == [50, 99]
    assert [c["data"]["alert_id"] for c in seen_a2["alert"]] == ["x"]
    # Occupancy of another site is refused.
    assert a2.occupancy(s1).status_code == 403
    assert a2.occupancy(s2).status_code == 200


def test_old_closed_visits_are_not_sent_open_ones_are(deployment, server_clock):
    site = deployment.site()
    a, b = deployment.gate(site, "A"), deployment.gate(site, "B")
    two_days_ago = server_clock() - timedelta(days=2)
    a.push(
        [
            a.event("check_in", "closed", at=two_days_ago),
            a.event("check_out", "closed", at=two_days_ago),
            a.event("check_in", "still-inside", at=two_days_ago),
            a.event("check_in", "today"),
        ]
    )
    got = [(c["data"]["kind"], c["data"]["body"]["visit_id"]) for c in b.pull_all() if c["stream"] == "visit_event"]
    assert got == [("check_in", "still-inside"), ("check_in", "today")]


def test_no_row_is_skipped_while_writers_run_concurrently(deployment, db, client, server_clock):
    """Several writers append while a reader pulls with small pages: the reader ends up with every row once,
    in order, with no hole. (On PostgreSQL these are real concurrent transactions.)"""
    site = deployment.site()
    reader = deployment.gate(site, "reader")
    writers = [deployment.gate(site, f"W{i}") for i in range(4)]
    per_writer, batch = 60, 3
    errors: list[BaseException] = []
    batches = {
        w.station_id: [
            [w.event("check_in", f"{w.name}-{i}-{j}") for j in range(batch)] for i in range(per_writer // batch)
        ]
        for w in writers
    }

    def write(w):
        try:
            for events in batches[w.station_id]:
                w.push(events)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(w,)) for w in writers]
    for t in threads:
        t.start()
    seen: list[int] = []
    visits: list[str] = []
    while True:
        # Whether the writers were done must be known before the pull starts: a writer that finishes while
        # the pull runs may have committed after the pull's snapshot (the test, not the server, would miss it).
        writers_done = not any(t.is_alive() for t in threads)
        r = client.get("/v1/sync/pull", params={"cursor": reader.cursor, "limit": 7}, headers=reader.auth).json()
        seen += [c["seq"] for c in r["changes"]]
        visits += [c["data"]["body"]["visit_id"] for c in r["changes"] if c["stream"] == "visit_event"]
        reader.cursor = r["next_cursor"]
        if writers_done and not r["has_more"] and not r["changes"]:
            break
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(visits) == len(set(visits)) == per_writer * len(writers)
    assert seen == list(range(seen[0], seen[0] + len(seen)))  # contiguous: nothing skipped


def test_a_station_far_behind_walks_past_other_sites_in_windows(deployment, db, client, server_clock, monkeypatch):
    monkeypatch.setattr(changelog, "SCAN_WINDOW", 10)
    mine, other = deployment.site("Kantor Bupati"), deployment.site("RSUD")
    reader, a = deployment.gate(mine, "reader"), deployment.gate(other, "A")
    a.push([a.event("check_in", f"o{i}") for i in range(35)])  # 35 rows the reader never gets
    writer = deployment.gate(mine, "W")
    writer.push([writer.event("check_in", "mine")])
    pages, got = 0, []
    while True:
        r = client.get("/v1/sync/pull", params={"cursor": reader.cursor, "limit": 100}, headers=reader.auth).json()
        pages += 1
        got += [c["data"]["body"]["visit_id"] for c in r["changes"] if c["stream"] == "visit_event"]
        assert r["next_cursor"] - reader.cursor <= 10
        reader.cursor = r["next_cursor"]
        if not r["has_more"]:
            break
    assert got == ["mine"] and pages >= 4


def test_a_pulled_visit_event_is_the_wire_event_with_where_and_when_it_was_stored(deployment):
    """The visit_event data is made by the database from the stored row (changelog.publish_visit_events): every
    field of the wire event, times as UTC ISO text, the body as sent; in the order of the station's seqs."""
    from datetime import datetime

    site = deployment.site()
    a, b = deployment.gate(site, "A"), deployment.gate(site, "B")
    a.offset_ms = 90_000  # A's clock runs 90 s fast
    sent = [
        a.event("check_in", "v1", subject=f"{1:032x}", purpose="Rapat dinas", note='tamu "VIP" é'),
        a.event("check_out", "v1"),
    ]
    a.push(list(reversed(sent)))  # the order of the request does not matter
    got = [c for c in b.pull_all() if c["stream"] == "visit_event"]
    assert [c["data"]["seq"] for c in got] == [1, 2]
    for change, wire in zip(got, sent):
        data = change["data"]
        assert {k: data[k] for k in ("event_id", "seq", "kind", "schema_v", "hlc", "clock_offset_ms", "body")} == {
            k: wire[k] for k in ("event_id", "seq", "kind", "schema_v", "hlc", "clock_offset_ms", "body")
        }
        assert data["station_id"] == a.station_id and data["time_uncertain"] is False
        occurred, corrected = (datetime.fromisoformat(data[k]) for k in ("occurred_at", "corrected_at"))
        assert occurred == datetime.fromisoformat(wire["occurred_at"])
        assert corrected == occurred - timedelta(seconds=90)
        assert corrected.utcoffset() == timedelta(0)
