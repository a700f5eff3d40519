"""Enrolment with one-time codes, bearer tokens stored only as hashes, revocation."""

from __future__ import annotations

import base64

from sqlalchemy import select, text

from guardstation.server import service
from guardstation.server.models import EnrollmentCode, Station


def _enrol(client, code, name="Pintu Samping"):
    return client.post("/v1/enroll", json={"enrollment_code": code, "station_name": name, "app_version": "0.1.0"})


def test_code_works_once(deployment, client, db):
    site = deployment.site()
    code = deployment.code(site)
    first = _enrol(client, code)
    assert first.status_code == 200, first.text
    data = first.json()
    assert set(data) == {"station_id", "site_id", "token", "epoch", "server_time", "deployment_key"}
    assert data["site_id"] == site and data["epoch"] == 1 and data["token"].startswith("gst_")
    assert len(base64.b64decode(data["deployment_key"])) == 32
    again = _enrol(client, code, "Pintu Lain")
    assert again.status_code == 409 and again.json()["error"] == "code_used"
    # Every station of the deployment gets the same subject-key secret, so a person matches at every gate.
    other = _enrol(client, deployment.code(deployment.site("Kantor Lain")), "Pintu Samping").json()
    assert other["deployment_key"] == data["deployment_key"]
    # Only hashes are stored: neither the code nor the token appears anywhere in the database.
    with db.read() as s:
        rows = s.scalars(select(EnrollmentCode)).all()
        station = s.get(Station, data["station_id"])
        assert all(code.replace("-", "") not in r.code_hash for r in rows)
        assert station.token_hash == service.sha256_hex(data["token"])
        dump = " ".join(str(v) for row in s.execute(text("SELECT * FROM station")).all() for v in row)
        assert data["token"] not in dump and other["token"] not in dump


def test_code_is_forgiving_about_case_and_dashes(deployment, client):
    code = deployment.code(deployment.site())
    r = _enrol(client, code.lower().replace("-", " "))
    assert r.status_code == 200, r.text


def test_unknown_and_expired_codes(deployment, client, server_clock):
    assert _enrol(client, "AAAA-BBBB-CCCC-DDDD").status_code == 401
    site = deployment.site()
    code = deployment.code(site, hours=1)
    server_clock.advance(hours=1, seconds=1)
    r = _enrol(client, code)
    assert r.status_code == 401 and r.json()["error"] == "code_expired"


def test_token_required_and_checked(deployment, client):
    gate = deployment.gate(deployment.site())
    assert client.get("/v1/sync/pull").status_code == 401
    assert client.get("/v1/sync/pull", headers={"Authorization": "Bearer gst_nope"}).status_code == 401
    assert client.get("/v1/sync/pull", headers={"Authorization": "Basic abc"}).status_code == 401
    r = client.get("/v1/sync/pull", headers=gate.auth)
    assert r.status_code == 200


def test_revoked_token_is_refused(deployment, client, db, server_clock):
    gate = deployment.gate(deployment.site())
    gate.push([gate.event("check_in", "v1", subject="a" * 32)])
    with db.write() as s:
        service.revoke_station(s, gate.station_id, server_clock())
    r = client.get("/v1/sync/pull", headers=gate.auth)
    assert r.status_code == 401 and r.json()["error"] == "unauthorized"
    gate.push([gate.event("check_in", "v2")], expect=401)


def test_admin_endpoint_needs_an_admin_token(deployment, client, db, server_clock):
    gate = deployment.gate(deployment.site())
    body = {"subject_key": "a" * 32, "since": "2026-11-20"}
    assert client.post("/v1/admin/status/flag", json=body).status_code == 401
    assert client.post("/v1/admin/status/flag", json=body, headers=gate.auth).status_code == 403
    with db.write() as s:
        token = service.make_admin_token(s, "diskominfo", server_clock())
    r = client.post("/v1/admin/status/flag", json=body, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.text
    assert r.json()["subject_key"] == "a" * 32
