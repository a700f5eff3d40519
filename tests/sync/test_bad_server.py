"""A bad server as the station's HTTP client sees it: timeouts, resets, 500s, truncated or malformed JSON,
huge replies, a server clock a day off. The queue keeps everything and the next good round recovers."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from guardstation.store.secrets import TOKEN_SECRET
from guardstation.sync.engine import SyncEngine, pending_count, sync_state
from guardstation.sync.transport import HttpTransport, Offline, ServerTrouble

from .conftest import NIKS, URL


def _mock(handler) -> HttpTransport:
    return HttpTransport(URL, client=httpx.Client(transport=httpx.MockTransport(handler)), max_reply_bytes=64 * 1024)


def _timeout(request):
    raise httpx.ReadTimeout("slow", request=request)


def _reset(request):
    raise httpx.RemoteProtocolError("peer closed connection without sending complete message body", request=request)


BAD = {
    "timeout": _timeout,
    "reset": _reset,
    "http-500": lambda r: httpx.Response(500, text="Internal Server Error"),
    "html-502": lambda r: httpx.Response(502, html="<html>Bad Gateway</html>"),
    "truncated-json": lambda r: httpx.Response(200, content=b'{"acked_through": 3, "rejec'),
    "not-an-object": lambda r: httpx.Response(200, json=[1, 2, 3]),
    "bad-gzip": lambda r: httpx.Response(200, content=b"not gzip at all", headers={"Content-Encoding": "gzip"}),
    "huge": lambda r: httpx.Response(200, content=b'{"pad": "' + b"x" * (1024 * 1024) + b'"}'),
}


@pytest.mark.parametrize("kind", sorted(BAD))
def test_a_bad_reply_keeps_the_queue_and_the_next_good_round_recovers(server, make_gate, kind):
    gate = make_gate(server.site(), "Pintu Depan")
    for nik in NIKS[:3]:
        gate.enter(nik)
    bad = SyncEngine(gate.ctx.db, _mock(BAD[kind]), token=lambda: gate.ctx.secrets.get(TOKEN_SECRET), clock=gate.clock)
    with pytest.raises((Offline, ServerTrouble)):
        bad.sync()
    with gate.ctx.db.read() as s:
        assert pending_count(s) == 3
        assert sync_state(s).cursor == 0
    report = gate.sync()  # the server is good again
    assert report.pushed == 3
    with gate.ctx.db.read() as s:
        assert pending_count(s) == 0


def test_a_server_clock_a_day_off_does_not_drag_the_station_along(server, make_gate, server_clock):
    gate = make_gate(server.site(), "Pintu Depan")
    gate.clock.skew = timedelta(days=1)  # here: the server is a day behind this station
    gate.enter(NIKS[0])
    gate.sync()
    with gate.ctx.db.read() as s:
        offset = sync_state(s).clock_offset_ms
    assert abs(offset - 86_400_000) < 5_000  # measured, and stored for the server to correct
    gate.enter(NIKS[1])
    gate.sync()
    from sqlalchemy import select

    from guardstation.server.models import Event

    with server.db.read() as s:
        corrected = {e.clock_offset_ms: e.corrected_at for e in s.scalars(select(Event))}
    # The event made after the offset was known is stored at the server's time, not a day ahead.
    assert abs((corrected[offset] - server_clock()).total_seconds()) < 60


def test_a_reply_larger_than_the_limit_is_refused_even_without_a_length(server, make_gate):
    def streamed(request):
        return httpx.Response(200, content=iter([b"{" + b" " * 40_000] * 4))

    gate = make_gate(server.site(), "Pintu Depan")
    gate.enter(NIKS[0])
    with pytest.raises(ServerTrouble, match="larger than"):
        SyncEngine(gate.ctx.db, _mock(streamed), token="gst_x", clock=gate.clock).push()
