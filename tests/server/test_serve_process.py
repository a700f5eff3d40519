"""`guardstation-server serve` as a real process under uvicorn on loopback: health, OpenAPI, enrol, push."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import httpx

from guardstation.server.pgtemp import free_port


def test_serve_runs_the_api(db_url, db, tmp_path, capsys):
    from guardstation.server.cli import main

    assert main(["site", "add", "Kantor Bupati", "--capacity", "5", "--db", db_url, "--json"]) == 0
    site = json.loads(capsys.readouterr().out)["site_id"]
    assert main(["enroll-code", site, "--db", db_url, "--json"]) == 0
    code = json.loads(capsys.readouterr().out)["code"]
    port = free_port()
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "guardstation.server", "serve", "--host", "127.0.0.1",
                             "--port", str(port), "--db", db_url], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None, proc.stdout.read()
            assert time.monotonic() < deadline, "server did not come up"
            time.sleep(0.1)
        doc = httpx.get(f"{base}/openapi.json").json()
        assert "/v1/sync/push" in doc["paths"]
        r = httpx.post(f"{base}/v1/enroll", json={"enrollment_code": code, "station_name": "Pintu Depan",
                                                  "app_version": "0.1.0"})
        assert r.status_code == 200, r.text
        enrolment = r.json()
        r = httpx.get(f"{base}/v1/sync/pull", headers={"Authorization": f"Bearer {enrolment['token']}"},
                      params={"cursor": 0})
        assert r.status_code == 200 and r.json()["changes"][0]["stream"] == "site_config"
        # Big responses come back gzip-compressed when the client accepts it.
        assert r.headers.get("content-encoding") in (None, "gzip")
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
