"""How the station talks to the central server: one small interface, an httpx implementation.

Every failure becomes one of a few errors that the sync engine knows how to treat:
`Offline` and `ServerTrouble` are transient (retry with backoff, the queue keeps
everything), `Refused` needs a person (revoked token, wrong site). A bad reply from the server never
escapes as a raw exception.

Every call after enrolment carries the station's token, so nothing goes out in clear text:
`require_safe_server_url` is the one place that decides which server addresses are acceptable
(https://, or plain http:// only to this computer), and `HttpTransport` refuses any other.
"""

from __future__ import annotations

import gzip
import ipaddress
import json
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

MAX_REPLY_BYTES = 32 * 1024 * 1024  # a pull page of 5,000 changes is a few MB; anything far bigger is wrong
DEFAULT_TIMEOUT_S = 20.0


class SyncError(Exception):
    """A sync attempt that did not complete; `message` is for the log and the status bar."""


class Offline(SyncError):
    """No answer: no network, connection refused or reset, timeout."""


class ServerTrouble(SyncError):
    """An answer we cannot use: 5xx, not JSON, truncated, too large, or not what the protocol says."""


class Refused(SyncError):
    """The server said no in a way that retrying will not change (401 revoked, 403, 4xx)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code = status, code


class InsecureServerUrl(Refused):
    """A server address that would carry the token and personal data in clear text (plain http:// to
    another computer). Raised before anything is sent; needs a person to give an https:// address."""

    def __init__(self, scheme: str, host: str) -> None:
        Exception.__init__(  # not Refused.__init__: there is no HTTP status, the server was never asked
            self,
            "the server address must start with https:// (the data is personal and must be encrypted); "
            f"plain http:// is allowed only to this computer (localhost, 127.0.0.1, ::1), not to "
            f"{scheme or '?'}://{host or '?'}",
        )
        self.status, self.code, self.host = 0, "insecure_url", host


def is_loopback_host(host: str) -> bool:
    """localhost, 127.0.0.0/8 or ::1: traffic that never leaves this computer."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def require_safe_server_url(url: str) -> str:
    """The address unchanged if it is https://, or http:// to this computer; else InsecureServerUrl.

    Parsed the way httpx parses it (the client that sends), so `http://127.0.0.1@10.1.2.3` is 10.1.2.3.
    """
    try:
        parsed = httpx.URL(url.strip())
    except (httpx.InvalidURL, TypeError):
        raise InsecureServerUrl("", "") from None
    if parsed.scheme == "https" and parsed.host:
        return url
    if parsed.scheme == "http" and parsed.host and is_loopback_host(parsed.host):
        return url
    raise InsecureServerUrl(parsed.scheme, parsed.host)


@dataclass(frozen=True)
class Reply:
    status: int
    body: dict[str, Any]
    wire_bytes: int = 0  # request body as sent, for the bytes-per-event figure


class Transport(Protocol):
    def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        params: dict[str, Any] | None = None,
        token: str | None = None,
    ) -> Reply: ...

    def close(self) -> None: ...


def encode_body(json_body: Any) -> bytes:
    return gzip.compress(json.dumps(json_body, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 6)


def parse_reply(status: int, content: bytes) -> dict[str, Any]:
    """The JSON object of a reply, or ServerTrouble."""
    try:
        body = json.loads(content.decode("utf-8")) if content else {}
    except (UnicodeDecodeError, ValueError) as exc:
        raise ServerTrouble(f"HTTP {status}: the reply is not valid JSON ({exc.__class__.__name__})") from None
    if not isinstance(body, dict):
        raise ServerTrouble(f"HTTP {status}: the reply is not a JSON object")
    return body


class HttpTransport:
    """httpx over HTTPS (plain HTTP only to this computer, for tests); request bodies gzip-compressed;
    replies size-limited. Raises InsecureServerUrl when created for, or asked to send to, any other
    address, before a connection is opened."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = DEFAULT_TIMEOUT_S,
        max_reply_bytes: int = MAX_REPLY_BYTES,
        client: httpx.Client | None = None,
    ) -> None:
        self.base_url = require_safe_server_url(base_url).rstrip("/")
        self.max_reply_bytes = max_reply_bytes
        self._client = client or httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)), headers={"User-Agent": "GuardStation"}
        )

    def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        params: dict[str, Any] | None = None,
        token: str | None = None,
    ) -> Reply:
        require_safe_server_url(self.base_url + path)  # the last guard: nothing leaves in clear text
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        content = None
        if json_body is not None:
            content = encode_body(json_body)
            headers.update({"Content-Type": "application/json", "Content-Encoding": "gzip"})
        try:
            with self._client.stream(
                method, self.base_url + path, content=content, params=params, headers=headers
            ) as response:
                declared = response.headers.get("Content-Length")
                if declared and declared.isdigit() and int(declared) > self.max_reply_bytes:
                    raise ServerTrouble(f"HTTP {response.status_code}: reply of {declared} bytes is too large")
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self.max_reply_bytes:
                        raise ServerTrouble(
                            f"HTTP {response.status_code}: reply larger than {self.max_reply_bytes} bytes"
                        )
                    chunks.append(chunk)
                status = response.status_code
        except httpx.TimeoutException:
            raise Offline("the server did not answer in time") from None
        except (httpx.DecodingError, httpx.TooManyRedirects) as exc:  # an answer, but not one we can read
            raise ServerTrouble(f"unreadable reply ({exc.__class__.__name__}: {exc})") from None
        except (httpx.TransportError, httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise Offline(f"cannot reach the server ({exc.__class__.__name__}: {exc})") from None
        return Reply(status, parse_reply(status, b"".join(chunks)), len(content or b""))

    def close(self) -> None:
        self._client.close()
