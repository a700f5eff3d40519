"""`guardstation enroll URL CODE` and `guardstation sync [--status]`: sync without the GUI."""

from __future__ import annotations

import argparse
import json
from datetime import datetime

from guardstation.station.context import StationContext
from guardstation.station.server_link import enrol_station
from guardstation.store.secrets import TOKEN_SECRET
from guardstation.sync.engine import NotEnrolled, SyncEngine, sync_state
from guardstation.sync.loop import read_status
from guardstation.sync.transport import HttpTransport, InsecureServerUrl, Refused, SyncError


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def run_enroll(station: StationContext, args: argparse.Namespace) -> int:
    try:
        site_id = enrol_station(station, args.url, args.code)
    except (ValueError, InsecureServerUrl) as exc:  # the address itself: nothing was sent or changed
        print(f"guardstation enroll: {exc}; nothing was sent or changed")
        return 2
    except Refused as exc:
        print(f"guardstation enroll: the server refused the code ({exc.code}): {exc}")
        return 1
    except SyncError as exc:
        print(f"guardstation enroll: {exc}; nothing was changed, try again when the server is reachable")
        return 1
    station_id = station.checkpoint.station_id
    result = {"enrolled": True, "server": args.url.rstrip("/"), "site_id": site_id, "station_id": station_id}
    print(
        json.dumps(result)
        if args.json
        else f"Enrolled with {result['server']}: site {site_id}, station {station_id}. "
        "The token is in the OS keyring; the app syncs in the background."
    )
    return 0


def run_sync(station: StationContext, args: argparse.Namespace) -> int:
    with station.db.read() as session:
        state = sync_state(session)
    if state is None:
        print("guardstation sync: this station is not enrolled (guardstation enroll URL CODE)")
        return 1
    code = 0
    report = None
    if not args.status:
        try:
            transport = HttpTransport(state.server_url)
        except InsecureServerUrl as exc:  # enrolled before plain http was refused: enrol again over https
            print(f"guardstation sync: {exc}; nothing was sent, everything stays queued")
            return 1
        engine = SyncEngine(
            station.db, transport, token=lambda: station.secrets.get(TOKEN_SECRET), clock=station.checkpoint.now
        )
        try:
            report = engine.sync()
        except (NotEnrolled, SyncError) as exc:
            print(f"guardstation sync: {exc}; everything stays queued")
            code = 1
        finally:
            engine.transport.close()
    status = read_status(station.db, online=None if args.status else code == 0)
    result = {
        "online": status.online,
        "queue_depth": status.queue_depth,
        "refused_events": status.rejected,
        "last_sync_at": _iso(status.last_sync_at),
        "last_error": status.last_error,
        "inside_here": status.own_inside,
        "inside_other_gates": status.others_inside,
        "streams": {k: _iso(v) for k, v in status.stream_updated.items()},
    }
    if report is not None:
        result.update(pushed=report.pushed, pulled=report.pulled, skipped=len(report.skipped))
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")
    return code
