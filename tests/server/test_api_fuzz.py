"""Schema-based fuzzing of the API from its own /openapi.json (schemathesis): no input gives a 5xx.

Valid and invalid requests are generated for every operation, with the station's real token so they
reach the push/pull logic, not just the auth check; push bodies get the real station id half of the time.
The number of examples is bounded so both databases together take well under a minute.
"""

from __future__ import annotations

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable

from guardstation.server import service

EXAMPLES = 30


def test_openapi_document(client):
    doc = client.get("/openapi.json").json()
    paths = doc["paths"]
    for path in (
        "/v1/enroll",
        "/v1/sync/push",
        "/v1/sync/pull",
        "/v1/sites/{site_id}/occupancy",
        "/v1/admin/status/flag",
    ):
        assert path in paths
    push = doc["components"]["schemas"]["PushRequest"]
    assert push.get("additionalProperties") is False


def test_no_5xx_for_any_generated_request(deployment, app, db):
    import schemathesis
    from schemathesis import GenerationMode

    site = deployment.site()
    gate = deployment.gate(site)
    gate.push([gate.event("check_in", "v1", subject="a" * 32), gate.event("check_out", "v1", subject="a" * 32)])
    with db.write() as s:
        admin = {"Authorization": f"Bearer {service.make_admin_token(s, 'fuzz', deployment.clock())}"}
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: list[str] = []
    calls = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            extra = {"path_parameters": {"site_id": site}} if "{site_id}" in operation.path else {}
            strategy = operation.as_strategy(generation_mode=mode, **extra)

            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=strategy, own_station=st.booleans(), with_token=st.booleans())
            def run(case, own_station, with_token):
                nonlocal calls
                if own_station and isinstance(case.body, dict) and "station_id" in case.body:
                    case.body["station_id"] = gate.station_id
                # run() is called within this iteration of the loop, so its loop variables are current.
                token = admin if operation.path.startswith("/v1/admin") else gate.auth  # noqa: B023
                headers = dict(token) if with_token or mode is GenerationMode.POSITIVE else {}  # noqa: B023
                response = case.call(headers=headers)
                calls += 1
                if response.status_code >= 500:
                    failures.append(
                        f"{operation.label} [{mode.value}] -> {response.status_code}: "  # noqa: B023
                        f"{response.text[:300]}\n  {case.as_curl_command()}"
                    )

            try:
                run()
            except Unsatisfiable:
                assert mode is GenerationMode.NEGATIVE  # e.g. GET /v1/health has nothing to get wrong
    assert calls > 100
    assert not failures, "\n".join(failures[:10])
