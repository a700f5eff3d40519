"""The HTTP API of protocol v1 (docs/architecture.md §6) plus the admin endpoint for exposure tracing.

Stateless: every request gets what it needs from the database, so any number
of these processes can run behind a load balancer. Errors always come back as
`{"error": code, "message": text}` with a 4xx status; a 5xx is a bug (or the
database being unreachable: 503, retry later).
"""

from __future__ import annotations

import gc
import logging
import os
import zlib
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware

from guardstation.server import changelog, ingest, service, tracing
from guardstation.server.db import ENV_DB, ServerDB, open_db
from guardstation.server.models import Station
from guardstation.server.schemas import (
    EnrollRequest,
    EnrollResponse,
    ErrorResponse,
    FastPush,
    FlagRequest,
    OccupancyResponse,
    PullResponse,
    PushRequest,
    PushResponse,
    decode_push,
)
from guardstation.server.service import ServiceError

log = logging.getLogger(__name__)

MAX_WIRE_BYTES = 5 * 1024 * 1024  # a request body as sent (compressed or not)
MAX_INFLATED_BYTES = 50 * 1024 * 1024  # a gzip body once inflated
WIB = timezone(timedelta(hours=7))


def utcnow() -> datetime:
    return datetime.now(UTC)


def error(status: int, code: str, message: str, headers: dict[str, str] | None = None, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": code, "message": message, **extra}, status_code=status, headers=headers)


class BodyLimitMiddleware:
    """Bounds request bodies (413) and inflates `Content-Encoding: gzip` ones before anything parses them."""

    def __init__(self, app, max_wire: int = MAX_WIRE_BYTES, max_inflated: int = MAX_INFLATED_BYTES) -> None:
        self.app, self.max_wire, self.max_inflated = app, max_wire, max_inflated

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS", "DELETE"):
            return await self.app(scope, receive, send)
        headers = [(k.lower(), v) for k, v in scope["headers"]]
        values = {k: v.decode("latin-1") for k, v in headers}
        encoding = values.get(b"content-encoding", "identity").strip().lower()
        length = values.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_wire):
            return await self._reply(
                scope, receive, send, 413, "too_large", f"request body larger than {self.max_wire} bytes"
            )
        if encoding not in ("identity", "", "gzip"):
            return await self._reply(
                scope, receive, send, 415, "unsupported_encoding", "Content-Encoding must be gzip or absent"
            )
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_wire:
                return await self._reply(
                    scope, receive, send, 413, "too_large", f"request body larger than {self.max_wire} bytes"
                )
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if encoding == "gzip":
            try:
                body = self._inflate(body)
            except OverflowError:
                return await self._reply(
                    scope,
                    receive,
                    send,
                    413,
                    "too_large",
                    f"request body inflates to more than {self.max_inflated} bytes",
                )
            except (zlib.error, ValueError) as exc:
                return await self._reply(scope, receive, send, 400, "bad_gzip", f"body is not valid gzip: {exc}")
        new_headers = [(k, v) for k, v in headers if k not in (b"content-encoding", b"content-length")]
        new_headers.append((b"content-length", str(len(body)).encode()))
        scope = dict(scope, headers=new_headers)
        delivered = False

        async def replay():
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return await self.app(scope, replay, send)

    def _inflate(self, data: bytes) -> bytes:
        out, total = [], 0
        while data:
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            pending = data
            while pending:
                part = inflater.decompress(pending, self.max_inflated + 1 - total)
                total += len(part)
                if total > self.max_inflated:
                    raise OverflowError
                out.append(part)
                pending = inflater.unconsumed_tail
            if not inflater.eof:
                raise ValueError("truncated gzip stream")
            data = inflater.unused_data  # concatenated gzip members are one body
        return b"".join(out)

    @staticmethod
    async def _reply(scope, receive, send, status, code, message):
        await error(status, code, message)(scope, receive, send)


def parse_push(body: bytes, content_type: str | None) -> FastPush | PushRequest:
    """The push body, validated straight from the JSON bytes (schemas.decode_push: no dict of every event built
    first and walked again, which is what a FastAPI body parameter does). Errors are what FastAPI would report
    for the same body parameter."""
    if content_type is not None and not _is_json(content_type):
        raise RequestValidationError(
            [
                {
                    "type": "model_attributes_type",
                    "loc": ("body",),
                    "input": None,
                    "msg": "Content-Type must be application/json",
                }
            ]
        )
    if not body:
        raise RequestValidationError([{"type": "missing", "loc": ("body",), "msg": "Field required", "input": None}])
    try:
        return decode_push(body)
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False, include_input=False)]
        ) from None


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


def parse_since(text: str) -> datetime:
    """A date means midnight Western Indonesian Time; a time must carry its UTC offset."""
    text = text.strip()
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time(0), WIB)
        value = datetime.fromisoformat(text)
    except ValueError:
        raise ServiceError("bad_since", f"not a date (YYYY-MM-DD) or ISO time: {text!r}", 422) from None
    if value.tzinfo is None:
        raise ServiceError("bad_since", "a time needs a UTC offset, e.g. 2026-11-20T08:00:00+07:00", 422)
    return value


_bearer = HTTPBearer(auto_error=False, description="the station token from /v1/enroll (or an admin token)")


def create_app(
    db: ServerDB | str | None = None, *, clock: Callable[[], datetime] = utcnow, migrate: bool = False
) -> FastAPI:
    if not isinstance(db, ServerDB):
        db = open_db(db, migrate=migrate)
    app = FastAPI(
        title="GuardStation central server",
        version="1",
        description="Sync protocol v1 between guard stations and the central office (docs/architecture.md §6-7).",
        responses={400: {"model": ErrorResponse}, 413: {"model": ErrorResponse}, 422: {"model": ErrorResponse}},
    )
    app.state.db = db
    app.state.clock = clock

    def now_() -> datetime:
        return clock().astimezone(UTC)

    app.add_middleware(GZipMiddleware, minimum_size=1024)
    app.add_middleware(BodyLimitMiddleware)

    @app.exception_handler(ServiceError)
    async def _service_error(_request, exc: ServiceError):
        return error(exc.status, exc.code, exc.message, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_request, exc: RequestValidationError):
        details = []
        for item in exc.errors()[:20]:
            loc = [str(p) for p in item.get("loc", ())]
            details.append({"loc": loc, "msg": str(item.get("msg", "")), "type": str(item.get("type", ""))})
        first = details[0] if details else {"loc": [], "msg": "invalid request", "type": ""}
        if first["type"] == "json_invalid":
            where = first["loc"][-1] if first["loc"][1:] else ""
            near = f"near character {where}" if where.isdigit() else first["msg"]
            return error(422, "invalid_json", f"the body is not valid JSON ({near})", detail=details)
        where = ".".join(first["loc"][1:] if first["loc"][:1] == ["body"] else first["loc"]) or "request"
        return error(422, "invalid_request", f"{where}: {first['msg']}", detail=details)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request, exc: StarletteHTTPException):
        code = {
            400: "bad_request",
            401: "unauthorized",
            403: "forbidden",
            404: "not_found",
            405: "method_not_allowed",
        }.get(exc.status_code, "error")
        return error(exc.status_code, code, str(exc.detail), headers=getattr(exc, "headers", None))

    @app.exception_handler(OperationalError)
    async def _db_unavailable(_request, exc: OperationalError):
        log.error("database unavailable: %s", exc.orig)
        return error(
            503, "unavailable", "the database is busy or unreachable; retry later", headers={"Retry-After": "5"}
        )

    @app.exception_handler(DBAPIError)
    async def _db_error(_request, exc: DBAPIError):
        log.exception("database error")
        return error(503, "unavailable", "the database refused the request; retry later", headers={"Retry-After": "5"})

    def _token(credentials: HTTPAuthorizationCredentials | None) -> str:
        if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
            raise ServiceError("unauthorized", "send Authorization: Bearer <station token>", 401)
        return credentials.credentials

    def station(credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> Station:
        token = _token(credentials)
        with db.read() as session:
            found = service.station_for_token(session, token)
            if found is None:
                raise ServiceError("unauthorized", "unknown or revoked station token", 401)
            session.expunge(found)
            return found

    def admin(credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> str:
        token = _token(credentials)
        with db.read() as session:
            found = service.admin_for_token(session, token)
            if found is None:
                raise ServiceError("forbidden", "this needs an admin token (guardstation-server admin-token)", 403)
            return found.name

    @app.get("/v1/health", tags=["meta"])
    def health() -> dict[str, Any]:
        with db.read() as session:
            last = changelog.last_seq(session)
        return {"status": "ok", "server_time": now_().isoformat(), "change_seq": last}

    @app.post(
        "/v1/enroll",
        response_model=EnrollResponse,
        tags=["sync"],
        responses={401: {"model": ErrorResponse}, 409: {"model": ErrorResponse}},
    )
    def enroll(request: EnrollRequest) -> dict[str, Any]:
        """Trade a one-time enrolment code (from `guardstation-server enroll-code`) for a station identity and
        its bearer token. The token is shown once; the server keeps only its SHA-256. A used code is 409, an
        unknown or expired one 401."""
        now = now_()
        with db.write() as session:
            result = service.enroll(session, request.enrollment_code, request.station_name, request.app_version, now)
        return {
            "station_id": result.station_id,
            "site_id": result.site_id,
            "token": result.token,
            "epoch": result.epoch,
            "server_time": now,
            "deployment_key": result.deployment_key,
        }

    @app.post(
        "/v1/sync/push",
        response_model=PushResponse,
        tags=["sync"],
        responses={401: {"model": ErrorResponse}, 403: {"model": ErrorResponse}, 409: {"model": ErrorResponse}},
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PushRequest"}}},
            }
        },
    )
    async def push(raw: Request, credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> Any:
        """Store a batch of the station's visit events, in one transaction.

        Idempotent by `event_id`: a batch sent twice is stored once. An event the server cannot accept (unknown
        kind, bad body, another site's visit, ...) is recorded with a code, listed in `rejected` and
        acknowledged like the others: after a 200, every event of the request is done with (`acked_through` is
        the highest seq of the request). Visit kinds (check_in, check_out, void, correction) carry
        `body.visit_id`; a correction carries `body.time_out` (ISO time with offset, or null to re-open).
        `clock_offset_ms` is the station clock minus the server clock; the server stores the corrected time.

        409 `epoch_conflict` with `epoch`: the request's epoch is older than the station's, or this epoch's
        seq numbers were reused by different events (a disk restored from a backup). Take that epoch and resend
        every unacknowledged event with the same ids. A newer epoch than the server knows is adopted.
        """
        token = _token(credentials)
        if not service.plausible_token(token):
            raise ServiceError("unauthorized", "unknown or revoked station token", 401)
        body = await raw.body()
        return await run_in_threadpool(_push, token, body, raw.headers.get("content-type"))

    def _push(token: str, body: bytes, content_type: str | None) -> Any:
        request = parse_push(body, content_type)
        token_hash = service.sha256_hex(token)
        now = now_()
        for attempt in range(2):
            try:
                with db.write() as session:
                    # Authenticated and locked in one statement, in the push's own transaction.
                    me = ingest.lock_station(session, token_hash)
                    if me is None:
                        raise ServiceError("unauthorized", "unknown or revoked station token", 401)
                    if request.station_id != me.station_id:
                        raise ServiceError("forbidden", "station_id does not match the token", 403)
                    outcome = ingest.push(session, station=me, epoch=request.epoch, events=request.events, now=now)
                break
            except IntegrityError:
                # Another push stored one of these ids (or seqs) between our check and our insert: run again,
                # it will see them.
                if attempt:
                    raise
        if outcome.epoch_conflict is not None:
            return error(
                409,
                "epoch_conflict",
                "this station's data went back in time (restored from a backup?): "
                "take the given epoch and resend every unacknowledged event",
                epoch=outcome.epoch_conflict,
            )
        return {
            "acked_through": outcome.acked_through,
            "rejected": outcome.rejected,
            "server_time": now,
            "server_hlc": outcome.server_hlc,
        }

    @app.get("/v1/sync/pull", response_model=PullResponse, tags=["sync"], responses={401: {"model": ErrorResponse}})
    def pull(
        cursor: int = Query(0, ge=0, le=2**62), limit: int = Query(500, ge=1, le=5000), me: Station = Depends(station)
    ) -> dict[str, Any]:
        """Changes after `cursor`, in one global order: other gates' visit events of the station's site (open
        visits and the last 36 hours), its site config and alerts, and the deployment-wide rule packs, status
        list and trust keys. Apply a page and store `next_cursor` in one local transaction; ask again while
        `has_more`. The cursor never skips a row that commits later."""
        now = now_()
        with db.read() as session:
            page = changelog.pull(
                session, site_id=me.site_id, station_id=me.station_id, cursor=cursor, limit=limit, now=now
            )
        return {
            "changes": page.changes,
            "next_cursor": page.next_cursor,
            "has_more": page.has_more,
            "server_time": now,
            "server_hlc": ingest.server_hlc(now),
        }

    @app.get(
        "/v1/sites/{site_id}/occupancy",
        response_model=OccupancyResponse,
        tags=["sync"],
        responses={401: {"model": ErrorResponse}, 403: {"model": ErrorResponse}},
    )
    def occupancy(site_id: str, me: Station = Depends(station)) -> dict[str, Any]:
        """People inside the station's own site now (open visits from every gate), by the gate they came in at.
        Another site's occupancy is 403."""
        if site_id != me.site_id:
            raise ServiceError("forbidden", "a station may only read its own site", 403)
        with db.read() as session:
            site = service.get_site(session, site_id)
            inside, gates = ingest.occupancy(session, site_id)
            capacity = site.capacity
        return {
            "site_id": site_id,
            "capacity": capacity,
            "inside": inside,
            "by_gate": [{"station_id": g.station_id, "gate": g.gate, "inside": g.inside} for g in gates],
            "server_time": now_(),
        }

    @app.post(
        "/v1/admin/status/flag",
        tags=["admin"],
        responses={401: {"model": ErrorResponse}, 403: {"model": ErrorResponse}},
    )
    def flag(request: FlagRequest, who: str = Depends(admin)) -> dict[str, Any]:
        """Exposure tracing (needs an admin token): flag the subject positive, mark the close contacts and send
        an alert to every site the subject visited. Same as `guardstation-server status flag`."""
        since = parse_since(request.since)
        with db.write() as session:
            result = tracing.flag_positive(session, request.subject_key, since, now_(), source=f"api:{who}")
        return result.as_dict()

    default_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        """FastAPI's document plus PushRequest and its parts: the push route validates its raw body itself
        (parse_push), so FastAPI does not see the model."""
        if app.openapi_schema is None:
            doc = default_openapi()
            push_schema = PushRequest.model_json_schema(ref_template="#/components/schemas/{model}")
            schemas = doc.setdefault("components", {}).setdefault("schemas", {})
            schemas.update(push_schema.pop("$defs", {}))
            schemas["PushRequest"] = push_schema
        return app.openapi_schema

    app.openapi = openapi
    return app


def create_app_from_env() -> FastAPI:
    """uvicorn factory for multi-process serving: `uvicorn --factory guardstation.server.api:create_app_from_env`."""
    app = create_app(os.environ.get(ENV_DB), migrate=False)
    freeze_startup_objects()
    return app


def freeze_startup_objects() -> None:
    """For a process about to serve (`guardstation-server serve` calls it once the app is built): what exists now
    (imported modules, the app, the engine: ~150,000 objects) lives as long as the process, so take it out of
    the cyclic garbage collector's generations (gc.freeze). Request garbage still triggers full collections
    every few hundred thousand allocations; without this each of them walked every one of those objects again
    (measured with `python -m bench sync`: ~100 ms each, twice per 20,000 events pushed in batches
    of 500, about a tenth of the server's CPU time). Objects are still freed by reference counting."""
    gc.collect()
    gc.freeze()
