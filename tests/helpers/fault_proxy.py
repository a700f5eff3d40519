"""A small fault-injecting HTTP proxy on loopback, between station processes and the central server.

One listening port per station (so the proxy knows whose request it holds), one upstream server. Each
request is handled on its own connection: the proxy answers with `Connection: close`, so the station's
httpx opens a fresh connection for the next request and every request meets the fault plan on its own.

Faults apply to `/v1/sync/...` only (enrolment is a one-time code and is not retried by the station).
What happens to the n-th sync request of a station is decided by `random.Random(f"{seed}:{name}")`, so
a seed gives the same fault sequence per station; the interleaving of the stations follows real time.

Faults (see FAULTS): the connection dropped or reset before the server sees the request; the server
commits and the reply is lost (reset), cut in the middle (reset or a short close), truncated with a
matching Content-Length (not JSON any more), or replaced by a 500; a 502 from the "proxy"; a delay.
`heal()` lets everything through from then on. `hold_next_push(name)` parks that station's next push,
before or after the server committed it, until `release(name)` or the station goes away (SIGKILL).
"""

from __future__ import annotations

import asyncio
import random
import socket
import struct
import threading
from collections import Counter
from dataclasses import dataclass, field

FAULTS = (
    "drop",
    "reset_before",
    "reset_after_commit",
    "reset_mid_reply",
    "short_close",
    "truncate",
    "status_500_after_commit",
    "status_502",
    "delay",
)
MAX_HEAD = 64 * 1024


@dataclass
class Hold:
    after_commit: bool
    held: threading.Event = field(default_factory=threading.Event)  # set when a push is parked
    upstream_status: int | None = None  # the server's answer, if it was sent
    released: asyncio.Event | None = None


class FaultProxy:
    def __init__(
        self, upstream_port: int, names: list[str], *, seed: int, fault_rate: float = 0.3, max_delay_s: float = 0.6
    ) -> None:
        self.upstream_port = upstream_port
        self.seed = seed
        self.fault_rate = fault_rate
        self.max_delay_s = max_delay_s
        self.names = list(names)
        self.rngs = {name: random.Random(f"{seed}:{name}") for name in names}
        self.ports: dict[str, int] = {}
        self.healed = False
        self.counts: Counter[str] = Counter()  # fault -> how many times injected
        self.log: list[tuple[str, int, str, str]] = []  # (station, request no, path, fault)
        self._requests: Counter[str] = Counter()
        self._holds: dict[str, Hold] = {}
        self._loop = asyncio.new_event_loop()
        self._servers: list[asyncio.AbstractServer] = []
        self._thread = threading.Thread(target=self._loop.run_forever, name="fault-proxy", daemon=True)

    # -- control, from the test's thread -----------------------------------------------------------------
    def start(self) -> FaultProxy:
        self._thread.start()
        for name in self.names:
            server = asyncio.run_coroutine_threadsafe(
                asyncio.start_server(lambda r, w, n=name: self._handle(n, r, w), "127.0.0.1", 0), self._loop
            ).result(10)
            self._servers.append(server)
            self.ports[name] = server.sockets[0].getsockname()[1]
        return self

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    def heal(self) -> None:
        self.healed = True

    def hold_next_push(self, name: str, *, after_commit: bool) -> Hold:
        hold = Hold(after_commit)

        def install() -> None:
            hold.released = asyncio.Event()
            self._holds[name] = hold

        self._loop.call_soon_threadsafe(install)
        return hold

    def release(self, name: str) -> None:
        def release() -> None:
            hold = self._holds.pop(name, None)
            if hold is not None and hold.released is not None:
                hold.released.set()

        self._loop.call_soon_threadsafe(release)

    def stop(self) -> None:
        async def close() -> None:
            for server in self._servers:
                server.close()

        if self._thread.is_alive():
            asyncio.run_coroutine_threadsafe(close(), self._loop).result(10)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
        if not self._thread.is_alive() and not self._loop.is_closed():
            self._loop.close()

    def summary(self) -> str:
        return f"seed={self.seed} faults={dict(self.counts)} requests={dict(self._requests)}"

    # -- the proxy, on its own event loop -----------------------------------------------------------------
    def _choose(self, name: str, path: str) -> tuple[str, float]:
        rng = self.rngs[name]
        roll, kind, delay = rng.random(), rng.choice(FAULTS), rng.random()  # always three draws: stable plan
        if self.healed or not path.startswith("/v1/sync/") or roll >= self.fault_rate:
            return "pass", 0.0
        return kind, delay * self.max_delay_s

    async def _handle(self, name: str, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = await _read_request(reader)
            if request is None:
                return
            head, body, method, path = request
            number = self._requests[name]
            self._requests[name] += 1
            fault, delay = self._choose(name, path)
            hold = self._holds.get(name) if method == "POST" and path.startswith("/v1/sync/push") else None
            if hold is not None:
                self._holds.pop(name)
                fault = "hold_after_commit" if hold.after_commit else "hold_before"
            self.log.append((name, number, path, fault))
            if fault != "pass":
                self.counts[fault] += 1
            if fault == "hold_before":
                hold.held.set()
                if not await _parked(reader, hold):
                    return  # the station went away while we held it
            if fault == "drop":
                return
            if fault == "reset_before":
                _reset(writer)
                return
            if fault == "status_502":
                writer.write(
                    b"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nContent-Length: 24\r\n"
                    b"Connection: close\r\n\r\n<html>Bad Gateway</html>"
                )
                await writer.drain()
                return
            if fault == "delay":
                await asyncio.sleep(delay)
            status, reply_head, reply_body = await self._forward(head, body)
            if fault == "hold_after_commit":
                hold.upstream_status = status
                hold.held.set()
                if not await _parked(reader, hold):
                    return
            if fault == "reset_after_commit":
                _reset(writer)
                return
            if fault == "status_500_after_commit":
                message = b'{"error":"internal","message":"proxy says 500"}'
                writer.write(
                    b"HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\n"
                    b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(message), message)
                )
                await writer.drain()
                return
            cut = max(0, len(reply_body) // 2)
            if fault in ("reset_mid_reply", "short_close"):
                writer.write(_with_headers(reply_head, len(reply_body)) + reply_body[:cut])
                await writer.drain()
                if fault == "reset_mid_reply":
                    _reset(writer)
                return
            if fault == "truncate":
                writer.write(_with_headers(reply_head, cut) + reply_body[:cut])
            else:
                writer.write(_with_headers(reply_head, len(reply_body)) + reply_body)
            await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, OSError):
            pass
        finally:
            if not writer.is_closing():
                writer.close()

    async def _forward(self, head: list[bytes], body: bytes) -> tuple[int, list[bytes], bytes]:
        """Sends the request upstream on a new connection and reads the whole reply (the server closes it)."""
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        try:
            lines = [line for line in head if not line.lower().startswith((b"connection:", b"keep-alive:"))]
            up_writer.write(b"\r\n".join(lines + [b"Connection: close", b"", b""]) + body)
            await up_writer.drain()
            raw = await up_reader.read()
        finally:
            up_writer.close()
        reply_head, _, reply_body = raw.partition(b"\r\n\r\n")
        lines = reply_head.split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        return status, lines, reply_body


async def _read_request(reader: asyncio.StreamReader) -> tuple[list[bytes], bytes, str, str] | None:
    try:
        raw = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None
    if len(raw) > MAX_HEAD:
        return None
    lines = raw[:-4].split(b"\r\n")
    method, target, _version = lines[0].decode("latin-1").split(" ", 2)
    length = 0
    for line in lines[1:]:
        key, _, value = line.partition(b":")
        if key.strip().lower() == b"content-length":
            length = int(value.strip())
        if key.strip().lower() == b"transfer-encoding":
            raise ConnectionError("chunked requests are not supported by this test proxy")
    body = await reader.readexactly(length) if length else b""
    return lines, body, method, target.split("?", 1)[0]


def _with_headers(head: list[bytes], length: int) -> bytes:
    """The server's reply head with our Content-Length and `Connection: close`."""
    keep = [
        line
        for line in head[1:]
        if not line.lower().startswith((b"content-length:", b"connection:", b"keep-alive:", b"transfer-encoding:"))
    ]
    return b"\r\n".join([head[0], *keep, b"Content-Length: %d" % length, b"Connection: close", b"", b""])


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close with RST instead of FIN (SO_LINGER 0): the client sees 'connection reset by peer'."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


async def _parked(reader: asyncio.StreamReader, hold: Hold) -> bool:
    """Waits for release (True) or for the client to close its connection (False)."""
    gone = asyncio.ensure_future(reader.read(1))
    released = asyncio.ensure_future(hold.released.wait())
    done, pending = await asyncio.wait({gone, released}, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    return released in done and gone not in done
