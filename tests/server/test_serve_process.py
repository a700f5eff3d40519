"""`guardstation-server serve` as a real process under uvicorn on loopback: health, OpenAPI, enrol, push."""

from __future__ import annotations

import json

import httpx

from tests.helpers.processes import serve_process


def test_serve_runs_the_api(db_url, db, tmp_path, capsys):
    from guardstation.server.cli import main

    assert main(["site", "add", "Kantor Bupati", "--capacity", "5", "--db", db_url, "--json"]) == 0
    site = json.loads(capsys.readouterr().out)["site_id"]
    assert main(["enroll-code", site, "--db", db_url, "--json"]) == 0
    code = json.loads(capsys.readouterr().out)["code"]
    with serve_process(db_url, log=tmp_path / "server.log") as base:
        doc = httpx.get(f"{base}/openapi.json").json()
        assert "/v1/sync/push" in doc["paths"]
        r = httpx.post(
            f"{base}/v1/enroll", json={"enrollment_code": code, "station_name": "Pintu Depan", "app_version": "0.1.0"}
        )
        assert r.status_code == 200, r.text
        enrolment = r.json()
        r = httpx.get(
            f"{base}/v1/sync/pull", headers={"Authorization": f"Bearer {enrolment['token']}"}, params={"cursor": 0}
        )
        assert r.status_code == 200 and r.json()["changes"][0]["stream"] == "site_config"
        # Replies of 1 KiB or more are gzip-compressed when the client accepts gzip (GZipMiddleware,
        # minimum_size=1024, in server/api.py); smaller ones, and every reply to a client that does not, are not.
        assert "gzip" in r.request.headers["accept-encoding"]
        assert len(r.content) < 1024 and r.headers.get("content-encoding") is None
        big = httpx.get(f"{base}/openapi.json", headers={"Accept-Encoding": "gzip"})
        assert len(big.content) >= 1024 and big.headers.get("content-encoding") == "gzip"
        plain = httpx.get(f"{base}/openapi.json", headers={"Accept-Encoding": "identity"})
        assert plain.headers.get("content-encoding") is None and plain.json() == big.json()
