"""The admin CLI (every command with --json) and exposure tracing end to end: flag -> contacts -> alerts."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from guardstation.server.cli import main
from tests.helpers.paths import RULES


def cli(capsys, db_url, *argv, code=0):
    status = main([*argv, "--db", db_url, "--json"])
    out = capsys.readouterr()
    assert status == code, (status, out.out, out.err)
    lines = [line for line in out.out.splitlines() if line.strip()]
    assert len(lines) == 1, out.out
    return json.loads(lines[0]), out.err


def test_init_site_code_and_station_commands(capsys, db_url, db, client):
    data, _ = cli(capsys, db_url, "init")
    from guardstation.server.db import head_revision

    assert data["schema"] == head_revision() and data["db"]
    site, _ = cli(capsys, db_url, "site", "add", "Pendopo Kabupaten Probolinggo", "--capacity", "8")
    assert site["name"] == "Pendopo Kabupaten Probolinggo" and site["capacity"] == 8
    listed, _ = cli(capsys, db_url, "site", "list")
    assert [s["site_id"] for s in listed["sites"]] == [site["site_id"]]
    updated, _ = cli(capsys, db_url, "site", "update", site["site_id"], "--capacity", "12")
    assert updated["capacity"] == 12
    code, _ = cli(capsys, db_url, "enroll-code", site["site_id"], "--valid-hours", "2")
    assert len(code["code"]) == 19 and code["expires_at"]
    r = client.post(
        "/v1/enroll", json={"enrollment_code": code["code"], "station_name": "Pintu Depan", "app_version": "0.1.0"}
    )
    assert r.status_code == 200
    station_id = r.json()["station_id"]
    stations, _ = cli(capsys, db_url, "station", "list")
    assert [s["station_id"] for s in stations["stations"]] == [station_id]
    revoked, _ = cli(capsys, db_url, "station", "revoke", station_id)
    assert revoked["revoked_at"]
    assert client.get("/v1/sync/pull", headers={"Authorization": f"Bearer {r.json()['token']}"}).status_code == 401
    missing, err = cli(capsys, db_url, "enroll-code", "no-such-site", code=1)
    assert missing["error"] == "unknown_site" and "no site" in err
    token, _ = cli(capsys, db_url, "admin-token", "diskominfo")
    assert token["token"].startswith("gsa_")


def test_plain_output_prints_the_site_id(capsys, db_url, db):
    assert main(["site", "add", "Dinas Kesehatan", "--capacity", "20", "--db", db_url]) == 0
    out = capsys.readouterr().out.strip()
    assert len(out) == 36 and out.count("-") == 4


def test_rules_publish_validates(capsys, db_url, db, tmp_path):
    data, _ = cli(capsys, db_url, "rules", "publish", str(RULES / "id-2022.json"))
    assert data["pack_id"] and data["effective_from"]
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "format": 1,
                "id": "x",
                "name": "x",
                "effective_from": "2022-01-01",
                "vaccination": [{"min_doses": 0, "colour": "green"}],
            }
        )
    )
    refused, err = cli(capsys, db_url, "rules", "publish", str(bad), code=2)
    assert refused["error"] == "bad_rule_pack" and "UTC offset" in refused["message"]
    (tmp_path / "broken.json").write_text("{nope")
    refused, _ = cli(capsys, db_url, "rules", "publish", str(tmp_path / "broken.json"), code=2)
    assert refused["error"] == "bad_json"
    refused, _ = cli(capsys, db_url, "rules", "publish", str(tmp_path / "missing.json"), code=2)
    assert refused["error"] == "unreadable_file"


def test_rule_packs_and_status_reach_every_station(capsys, db_url, deployment):
    s1, s2 = deployment.site("Kantor Bupati"), deployment.site("Puskesmas Kraksaan")
    g1, g2 = deployment.gate(s1), deployment.gate(s2)
    cli(capsys, db_url, "rules", "publish", str(RULES / "id-2021.json"))
    for gate in (g1, g2):
        streams = {c["stream"] for c in gate.pull_all()}
        assert "rule_pack" in streams


def test_exposure_tracing_end_to_end(capsys, db_url, deployment, server_clock):
    """P (positive) visited the Kantor Bupati on Friday and the MPP on Saturday. At the Kantor Bupati, A was
    inside at the same time and B came 20 minutes after P left; C came an hour later. At the MPP, D overlapped.
    Flagging P marks A, B and D close contacts, not C, and sends each site its alert."""
    bupati, mpp, rsud = (deployment.site(n) for n in ("Kantor Bupati", "Mal Pelayanan Publik", "RSUD"))
    gb, gb2, gm, gr = (
        deployment.gate(bupati, "Depan"),
        deployment.gate(bupati, "Belakang"),
        deployment.gate(mpp, "Lobby"),
        deployment.gate(rsud, "IGD"),
    )
    P, A, B, C, D, E = (f"{n:032x}" for n in range(1, 7))
    friday = server_clock() - timedelta(days=3)  # Friday 08:00 WIB
    saturday = friday + timedelta(days=1)
    m = lambda base, minutes: base + timedelta(minutes=minutes)  # noqa: E731
    gb.push(
        [
            gb.event("check_in", "p1", subject=P, at=m(friday, 60)),
            gb.event("check_in", "a1", subject=A, at=m(friday, 30)),
            gb.event("check_in", "b1", subject=B, at=m(friday, 140)),
        ]
    )
    gb2.push(
        [
            gb2.event("check_out", "p1", subject=P, at=m(friday, 120)),  # P left by the back gate
            gb2.event("check_out", "a1", subject=A, at=m(friday, 90)),
            gb2.event("check_in", "c1", subject=C, at=m(friday, 181)),
            gb2.event("check_out", "b1", subject=B, at=m(friday, 200)),
        ]
    )
    gm.push(
        [
            gm.event("check_in", "p2", subject=P, at=m(saturday, 0)),
            gm.event("check_in", "d1", subject=D, at=m(saturday, 10)),
            gm.event("check_out", "p2", subject=P, at=m(saturday, 30)),
        ]
    )
    gr.push([gr.event("check_in", "e1", subject=E, at=m(friday, 60))])  # same time, other site
    for gate in (gb, gb2, gm, gr):
        gate.pull_all()  # cursors up to date

    result, _ = cli(capsys, db_url, "status", "flag", P, "--positive", "--since", "2026-11-21")
    contacts = {c["subject_key"]: c for c in result["contacts"]}
    assert set(contacts) == {A, B, D}
    assert {v["visit_id"] for v in result["case_visits"]} == {"p1", "p2"}
    assert datetime.fromisoformat(contacts[A]["valid_from"]) == m(friday, 60)  # when P arrived
    assert datetime.fromisoformat(contacts[A]["valid_until"]) == m(friday, 90) + timedelta(days=14)
    assert contacts[B]["sites"] == [bupati] and contacts[D]["sites"] == [mpp]
    assert sorted(a["site_id"] for a in result["alerts"]) == sorted([bupati, mpp])

    # Every station gets the status list; only the affected sites get an alert.
    for gate, site_alerted in ((gb, True), (gb2, True), (gm, True), (gr, False)):
        changes = gate.pull_all()
        statuses = {(c["data"]["subject_key"], c["data"]["status"]) for c in changes if c["stream"] == "status_entry"}
        assert statuses == {(P, "positive"), (A, "close_contact"), (B, "close_contact"), (D, "close_contact")}
        alerts = [c["data"] for c in changes if c["stream"] == "alert"]
        assert bool(alerts) is site_alerted
        if site_alerted:
            (alert,) = alerts
            assert alert["site_id"] == gate.site_id and alert["kind"] == "exposure"
            assert "kontak erat" in alert["message_id"]
    bupati_alert = [
        c["data"]
        for c in gb.client.get("/v1/sync/pull", params={"cursor": 0, "limit": 5000}, headers=gb.auth).json()["changes"]
        if c["stream"] == "alert"
    ][0]
    assert {c["subject_key"] for c in bupati_alert["contacts"]} == {A, B}

    # Flagging again does not shorten anything and sends the same contacts.
    again, _ = cli(capsys, db_url, "status", "flag", P, "--positive", "--since", "2026-11-21")
    assert {c["subject_key"] for c in again["contacts"]} == {A, B, D}


def test_flag_refuses_bad_input(capsys, db_url, db):
    refused, _ = cli(
        capsys, db_url, "status", "flag", "3513014507900001", "--positive", "--since", "2026-11-21", code=2
    )
    assert refused["error"] == "nik_given"
    refused, _ = cli(capsys, db_url, "status", "flag", "a" * 32, "--positive", "--since", "yesterday", code=2)
    assert refused["error"] == "bad_since"
    refused, _ = cli(capsys, db_url, "status", "flag", "a" * 32, "--positive", "--since", "2026-11-21T08:00", code=2)
    assert refused["error"] == "bad_since"
    with pytest.raises(SystemExit):
        main(["status", "flag", "a" * 32, "--since", "2026-11-21", "--db", db_url])  # --positive is required


def test_flag_through_the_admin_api(deployment, db, client, server_clock, capsys, db_url):
    site = deployment.site()
    gate = deployment.gate(site)
    P, A = "a" * 32, "b" * 32
    gate.push([gate.event("check_in", "p", subject=P), gate.event("check_in", "a", subject=A)])
    token, _ = cli(capsys, db_url, "admin-token", "diskominfo")
    r = client.post(
        "/v1/admin/status/flag",
        json={"subject_key": P, "since": "2026-11-22T10:00:00+07:00"},
        headers={"Authorization": f"Bearer {token['token']}"},
    )
    assert r.status_code == 200, r.text
    assert [c["subject_key"] for c in r.json()["contacts"]] == [A]  # both still inside: open visits count
    r = client.post(
        "/v1/admin/status/flag",
        json={"subject_key": P, "since": "not-a-date"},
        headers={"Authorization": f"Bearer {token['token']}"},
    )
    assert r.status_code == 422 and r.json()["error"] == "bad_since"


def test_occupancy_and_rebuild_commands(capsys, db_url, deployment):
    site = deployment.site(capacity=8)
    gate = deployment.gate(site)
    gate.push([gate.event("check_in", "v1"), gate.event("check_in", "v2")])
    occ, _ = cli(capsys, db_url, "occupancy", site)
    assert occ["inside"] == 2 and occ["capacity"] == 8
    rebuilt, _ = cli(capsys, db_url, "rebuild-visits")
    assert rebuilt["events"] == 2
    assert cli(capsys, db_url, "occupancy", site)[0]["inside"] == 2


def test_trust_publish_reaches_every_station(capsys, db_url, deployment, corpus, tmp_path):
    import base64

    case = json.loads((corpus / "dcc/DE/2DCode/raw/1.json").read_text("utf-8"))
    der = base64.b64decode(case["TESTCTX"]["CERTIFICATE"])
    cert = tmp_path / "dsc.pem"
    cert.write_text("-----BEGIN CERTIFICATE-----\n" + base64.encodebytes(der).decode() + "-----END CERTIFICATE-----\n")
    gate = deployment.gate(deployment.site())
    published, _ = cli(capsys, db_url, "trust", "publish", str(cert))
    (key,) = published["keys"]
    assert key["scheme"] == "dcc" and key["not_after"]
    again, _ = cli(capsys, db_url, "trust", "publish", str(cert))  # same key: nothing new to pull
    assert again["keys"] == published["keys"]
    keys = [c["data"] for c in gate.pull_all() if c["stream"] == "trust_key"]
    assert len(keys) == 1 and base64.b64decode(keys[0]["public_der"])
    bad = tmp_path / "bad.pem"
    bad.write_text("not a certificate")
    refused, _ = cli(capsys, db_url, "trust", "publish", str(bad), code=2)
    assert refused["error"] == "bad_trust_file"
