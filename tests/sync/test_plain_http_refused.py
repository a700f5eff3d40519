"""Plain http:// is refused to anything but this computer, in every path, before anything is sent: the bearer
token and personal data never go out in clear text. https:// and loopback http:// work as before."""

from __future__ import annotations

import socket

import httpx
import pytest

from guardstation.app import main
from guardstation.station.first_run import Mode, SetupChoices, SetupProblem, apply_setup, check_enrolment
from guardstation.station.server_link import build_worker, enrol_station, is_enrolled
from guardstation.store.secrets import ENROLMENT_CODE_SECRET, TOKEN_SECRET
from guardstation.sync.engine import sync_state
from guardstation.sync.loop import REFUSED_RETRY_S
from guardstation.sync.transport import HttpTransport, InsecureServerUrl, Refused, require_safe_server_url
from tests.helpers.station import station_in

CODE = "ABCD-EFGH-JKMN-PQRS"
REFUSED = [
    "http://10.1.2.3:8080",
    "http://[fe80::1]:8080",
    "http://guardstation.example.go.id",
    "HTTP://192.168.1.20/",
    "http://127.0.0.1@10.1.2.3:8080",  # user info is not the host
    "http://0.0.0.0:8080",
    "http://localhost.example.go.id",
]
LOOPBACK = [
    "http://127.0.0.1:8080",
    "http://127.8.9.10",
    "http://localhost:8080",
    "http://LOCALHOST",
    "http://[::1]:8080",
]
HTTPS = ["https://guardstation.example.go.id", "https://10.1.2.3:8443", "https://[fe80::1]:8443/"]


@pytest.fixture
def no_network(monkeypatch):
    """Every way out of the process fails the test (and is recorded): nothing may be sent anywhere."""
    attempts: list[object] = []

    def refuse(*args, **_kwargs):
        attempts.append(args)
        raise AssertionError(f"network use attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", refuse)
    return attempts


def recording_client() -> tuple[httpx.Client, list[httpx.Request]]:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"ok": True})

    return httpx.Client(transport=httpx.MockTransport(handler)), sent


# -- the one function that decides ------------------------------------------------------------------------------


@pytest.mark.parametrize("url", REFUSED)
def test_plain_http_to_another_computer_is_refused_with_the_reason(url):
    with pytest.raises(InsecureServerUrl) as caught:
        require_safe_server_url(url)
    assert "must start with https://" in str(caught.value) and "must be encrypted" in str(caught.value)
    assert isinstance(caught.value, Refused) and caught.value.code == "insecure_url"


@pytest.mark.parametrize("url", LOOPBACK + HTTPS)
def test_https_and_plain_http_to_this_computer_are_accepted(url):
    assert require_safe_server_url(url) == url


@pytest.mark.parametrize("url", ["ftp://example", "sync.example.go.id", "", "http://"])
def test_anything_else_is_refused_too(url):
    with pytest.raises(InsecureServerUrl):
        require_safe_server_url(url)


# -- the transport, the last guard ------------------------------------------------------------------------------


@pytest.mark.parametrize("url", REFUSED)
def test_the_transport_refuses_to_be_created_and_sends_nothing(url, no_network):
    client, sent = recording_client()
    with pytest.raises(InsecureServerUrl):
        HttpTransport(url, client=client)
    with pytest.raises(InsecureServerUrl):
        HttpTransport(url)  # its own client: refused before one is made
    assert sent == [] and no_network == []


def test_the_transport_refuses_to_send_to_a_plain_http_address_set_after_it_was_made(no_network):
    client, sent = recording_client()
    transport = HttpTransport("https://guardstation.example.go.id", client=client)
    transport.base_url = "http://10.1.2.3:8080"
    with pytest.raises(InsecureServerUrl):
        transport.request("POST", "/v1/sync/push", json_body={"events": []}, token="secret-token")
    assert sent == [] and no_network == []


@pytest.mark.parametrize("url", LOOPBACK + HTTPS)
def test_the_transport_sends_to_https_and_to_this_computer(url, no_network):
    client, sent = recording_client()
    transport = HttpTransport(url, client=client)
    reply = transport.request("GET", "/v1/sync/pull", params={"cursor": 0}, token="secret-token")
    assert reply.status == 200 and reply.body == {"ok": True}
    assert len(sent) == 1 and sent[0].headers["Authorization"] == "Bearer secret-token"
    assert sent[0].url.host == httpx.URL(url).host
    assert no_network == []  # the mock answered: nothing left the process


# -- the command line -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", REFUSED[:3])
def test_cli_enroll_refuses_plain_http_and_changes_nothing(url, tmp_path, capsys, no_network):
    home = tmp_path / "station"
    assert main(["enroll", url, CODE, "--home", str(home)]) == 2
    out = capsys.readouterr().out
    assert "must start with https://" in out and "nothing was sent or changed" in out
    assert no_network == []
    with station_in(home) as station:
        assert not is_enrolled(station)
        assert station.settings.enrolment != "enrolled" and station.settings.server_url == ""
        assert station.secrets.get(TOKEN_SECRET) is None
        with station.db.read() as session:
            assert sync_state(session) is None
    assert main(["sync", "--home", str(home), "--status"]) == 1
    assert "not enrolled" in capsys.readouterr().out


def test_enrol_station_refuses_plain_http_even_with_a_transport_given(station, no_network):
    client, sent = recording_client()
    with pytest.raises(InsecureServerUrl):
        enrol_station(
            station, "http://10.1.2.3:8080", CODE, transport=HttpTransport("https://x.example", client=client)
        )
    assert sent == [] and no_network == [] and not is_enrolled(station)
    assert station.settings.server_url == "" and station.secrets.get(TOKEN_SECRET) is None


# -- the first-run wizard's validation --------------------------------------------------------------------------


@pytest.mark.parametrize("url", REFUSED[:3] + ["http://guardstation.example.go.id/"])
def test_first_run_refuses_plain_http_to_another_computer(url):
    assert check_enrolment(url, CODE) is SetupProblem.URL_NOT_HTTPS


@pytest.mark.parametrize("url", LOOPBACK + HTTPS)
def test_first_run_accepts_https_and_plain_http_to_this_computer(url):
    assert check_enrolment(url, CODE) is None


def test_first_run_does_not_store_a_plain_http_address(station):
    choices = SetupChoices(
        mode=Mode.ENROL,
        site_name="Kantor",
        gate_name="Pintu",
        server_url="http://10.1.2.3:8080",
        enrolment_code=CODE,
        pin="582046",
    )
    with pytest.raises(ValueError, match="url_not_https"):
        apply_setup(station, choices)
    assert station.settings.server_url == "" and station.secrets.get(ENROLMENT_CODE_SECRET) is None


# -- an address stored before this was refused ------------------------------------------------------------------


def test_a_stored_plain_http_address_is_refused_each_round_and_nothing_is_sent(station, no_network):
    station.settings.enrolment, station.settings.server_url = "pending", "http://10.1.2.3:8080"
    station.secrets.put(ENROLMENT_CODE_SECRET, CODE)
    worker = build_worker(station)
    assert worker is not None
    assert worker.run_once() == REFUSED_RETRY_S
    assert "must start with https://" in worker.engine.transport.error.args[0]
    assert no_network == [] and not is_enrolled(station)
