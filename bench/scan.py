"""`scan`: what one camera frame costs, with and without a pass in it.

1. Empty frames (the common case at a door): safe_decode on a textured 720p and 1080p
   frame, zxing (the default) against pyzbar in the same run.
2. Scan to verdict: a 1280x720 BGR frame with a real signed visitor pass held up in
   it -> safe_decode -> Checkpoint.scan(text) (verify, decide, and the SQLite commit
   with synchronous=FULL on a real file) -> outcome ready. Many different people,
   checking in and out in a realistic mix.
"""

from __future__ import annotations

import argparse
import math
import random
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from bench.common import Progress, environment_info, fmt, format_rows, goal_line, percentile, temporary_home

GOAL_EMPTY_720P_MS = 6.0
GOAL_SCAN_TO_VERDICT_P95_MS = 40.0
GOAL_PYZBAR_RATIO = 8.0
DEFAULT_SCANS = 400
DEFAULT_REPEATS = 60
FRAME_W, FRAME_H = 1280, 720

KEYS = (
    "empty_720p_ms_median",
    "empty_1080p_ms_median",
    "pyzbar_empty_720p_ms_median",
    "pyzbar_empty_1080p_ms_median",
    "zxing_vs_pyzbar_720p_ratio",
    "scan_to_verdict_ms_p50",
    "scan_to_verdict_ms_p95",
    "decode_ms_p50",
    "verify_decide_commit_ms_p50",
    "frames",
    "repeats",
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--scans", type=int, default=DEFAULT_SCANS, help=f"timed scans of frames with a pass (default {DEFAULT_SCANS})"
    )
    parser.add_argument(
        "--repeats",
        type=int,
        default=DEFAULT_REPEATS,
        help=f"timed decodes per empty-frame figure (default {DEFAULT_REPEATS})",
    )
    parser.add_argument(
        "--history", type=int, default=0, help="visits already in the log before the scans start (default 0)"
    )
    parser.add_argument("--seed", type=int, default=7, help="random seed for people, schedule and frames")


# -- people and passes ---------------------------------------------------------------------------


def _nik(rng: random.Random, female: bool) -> str:
    born = date(1960, 1, 1) + timedelta(days=rng.randint(0, 40 * 365))
    day = born.day + (40 if female else 0)
    return f"3513{rng.randint(1, 24):02d}{day:02d}{born.month:02d}{born.year % 100:02d}{rng.randint(1, 9999):04d}"


def _people(count: int, rng: random.Random) -> list[tuple[str, str, str]]:
    """(name, nik, person kind) for `count` different people."""
    from bench.dataset import FIRST_NAMES_FEMALE, FIRST_NAMES_MALE, LAST_NAMES

    people = []
    for _ in range(count):
        female = rng.random() < 0.5
        first = rng.choice(FIRST_NAMES_FEMALE if female else FIRST_NAMES_MALE)
        name = first if rng.random() < 0.15 else f"{first} {rng.choice(LAST_NAMES)}"
        people.append((name, _nik(rng, female), "employee" if rng.random() < 0.2 else "visitor"))
    return people


def _schedule(scans: int, rng: random.Random) -> list[tuple[int, str]]:
    """(person index, expected action) for each scan: new people arrive, people inside leave."""
    inside: list[int] = []
    plan: list[tuple[int, str]] = []
    next_person = 0
    for _ in range(scans):
        if inside and rng.random() < 0.4:
            who = inside.pop(rng.randrange(len(inside)))
            plan.append((who, "check_out"))
        else:
            inside.append(next_person)
            plan.append((next_person, "check_in"))
            next_person += 1
    return plan


# -- frames --------------------------------------------------------------------------------------


def _card_image(text: str, caption: str, work: Path, index: int) -> np.ndarray:
    """The printable pass exactly as the issuer renders it (QR, quiet zone, caption)."""
    from guardstation.station.pass_issuer import render_pass_png

    path = render_pass_png(text, [caption], work / f"pass-{index:05d}.png")
    card = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
    path.unlink(missing_ok=True)
    if card is None:
        raise RuntimeError(f"cannot read back {path}")
    return card


_NOISE_CACHE: list[np.ndarray] = []


def _sensor_noise(rng: random.Random) -> np.ndarray:
    """One of a few precomputed sensor-noise fields (sigma 3), so frames are cheap to make."""
    if not _NOISE_CACHE:
        gen = np.random.default_rng(12345)
        _NOISE_CACHE.extend(
            np.round(gen.normal(0.0, 3.0, size=(FRAME_H, FRAME_W, 3))).astype(np.int16) for _ in range(4)
        )
    return _NOISE_CACHE[rng.randrange(len(_NOISE_CACHE))]


def _compose_frame(card: np.ndarray, background: np.ndarray, rng: random.Random) -> np.ndarray:
    """The card held up to a 720p webcam: scaled, slightly rotated, anywhere in the frame, a bit soft."""
    target_h = rng.uniform(0.45, 0.75) * FRAME_H  # the card covers about half the frame's height
    scale = target_h / card.shape[0]
    card = cv2.resize(card, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    h, w = card.shape
    angle = rng.uniform(-12.0, 12.0)
    rot = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(rot[0, 0]), abs(rot[0, 1])
    out_w, out_h = int(h * sin + w * cos) + 2, int(h * cos + w * sin) + 2
    rot[0, 2] += out_w / 2 - w / 2
    rot[1, 2] += out_h / 2 - h / 2
    # Paper is not pure white under office light.
    paper = (card.astype(np.float32) * rng.uniform(0.75, 0.92) + rng.uniform(5, 25)).clip(0, 255).astype(np.uint8)
    warped = cv2.warpAffine(paper, rot, (out_w, out_h), flags=cv2.INTER_LINEAR, borderValue=0)
    mask = cv2.warpAffine(np.full((h, w), 255, np.uint8), rot, (out_w, out_h), flags=cv2.INTER_NEAREST, borderValue=0)
    out_w, out_h = min(out_w, FRAME_W), min(out_h, FRAME_H)
    warped, mask = warped[:out_h, :out_w], mask[:out_h, :out_w]
    x = rng.randint(0, FRAME_W - out_w)
    y = rng.randint(0, FRAME_H - out_h)
    frame = background.copy()
    region = frame[y : y + out_h, x : x + out_w]
    tinted = cv2.cvtColor(warped, cv2.COLOR_GRAY2BGR)
    region[mask > 0] = tinted[mask > 0]
    frame = cv2.GaussianBlur(frame, (0, 0), sigmaX=rng.uniform(0.6, 1.1))  # focus and motion softness
    return np.clip(frame.astype(np.int16) + _sensor_noise(rng), 0, 255).astype(np.uint8)


# -- the benchmark -------------------------------------------------------------------------------


def _empty_frames(repeats: int, progress: Progress) -> dict[str, float | None]:
    from bench.decoders import measure_empty_frame_ms
    from guardstation.scanner.decoders import DecoderUnavailable

    figures: dict[str, float | None] = {}
    for decoder, prefix in (("zxing", ""), ("pyzbar", "pyzbar_")):
        for (w, h), label in (((1280, 720), "720p"), ((1920, 1080), "1080p")):
            progress.say(f"empty {label} frames: {decoder}, {repeats} repeats")
            try:
                figures[f"{prefix}empty_{label}_ms_median"] = measure_empty_frame_ms(decoder, w, h, repeats)
            except DecoderUnavailable as exc:
                progress.say(f"{decoder} unavailable: {exc}")
                figures[f"{prefix}empty_{label}_ms_median"] = None
    return figures


def _ratio(slow: float | None, fast: float | None) -> float | None:
    if slow is None or fast is None or fast <= 0:
        return None
    return slow / fast


def run(args: argparse.Namespace) -> dict[str, Any]:
    progress = Progress(enabled=not getattr(args, "quiet", False))
    scans, repeats = int(args.scans), int(args.repeats)
    if scans < 1 or repeats < 1:
        raise SystemExit("--scans and --repeats must be >= 1")
    empty = _empty_frames(repeats, progress)

    from bench.decoders import empty_frame
    from guardstation.domain.credential import PersonKind
    from guardstation.scanner.decoders import make_decoder, safe_decode
    from guardstation.station.context import DB_FILENAME, open_station
    from guardstation.station.pass_issuer import PassRequest, deployment_key, issuer_key, make_pass_text

    rng = random.Random(args.seed)
    plan = _schedule(scans, rng)
    people = _people(1 + max(p for p, _ in plan), rng)
    backgrounds = [empty_frame(FRAME_W, FRAME_H, seed=1000 + i) for i in range(8)]
    decoder = make_decoder("zxing")

    with temporary_home() as home:
        station = open_station(home, site_name="Kantor Bupati Probolinggo", capacity=None, gate_name="Pintu Depan")
        try:
            pragmas = station.db.check_pragmas()
            now = station.checkpoint.now()
            key = issuer_key(station.secrets, station.db, now)
            station.checkpoint.reload_reference()
            hmac_key = deployment_key(station.secrets)
            if args.history > 0:
                from bench.dataset import bulk_insert_visits

                progress.say(f"filling the log with {args.history:,} earlier visits")
                bulk_insert_visits(station.db.path, args.history, end=now - timedelta(minutes=5))

            def pass_text(name: str, nik: str, kind: str) -> str:
                request = PassRequest(
                    name=name,
                    kind=PersonKind(kind),
                    doses=rng.choice((2, 2, 3)),
                    valid_from=now - timedelta(days=rng.randint(1, 30)),
                    valid_days=365,
                    nik=nik,
                )
                return make_pass_text(request, key, hmac_key)

            progress.say(f"issuing {len(people)} passes")
            texts = [pass_text(*person) for person in people]
            work = home / "frames"

            # Warm-up (not timed): first decode of a code, first ORM flush, statement caches.
            warm_text = pass_text("Pemanasan Sistem", "3513010101900001", "visitor")
            warm_frame = _compose_frame(_card_image(warm_text, "warm-up", work, 99999), backgrounds[0], rng)
            for _ in range(3):
                codes = safe_decode(decoder, warm_frame)
                if codes:
                    station.checkpoint.scan(codes[0].text)

            decode_ms: list[float] = []
            vdc_ms: list[float] = []
            total_ms: list[float] = []
            decode_failures = 0
            wrong_text = 0
            unexpected: Counter[str] = Counter()
            actions: Counter[str] = Counter()
            started_all = time.perf_counter()
            cards: dict[int, np.ndarray] = {}  # one printed card per person, held up differently each time
            for i, (who, expected) in enumerate(plan):
                name, _nik_value, _kind = people[who]
                card = cards.pop(who, None)
                if card is None:
                    card = _card_image(texts[who], name, work, i)
                    if expected == "check_in":
                        cards[who] = card
                frame = _compose_frame(card, backgrounds[i % len(backgrounds)], rng)
                # ---- timed: the hot path for one frame -------------------------------------------------
                t0 = time.perf_counter()
                codes = safe_decode(decoder, frame)
                t1 = time.perf_counter()
                outcome = station.checkpoint.scan(codes[0].text) if codes else None
                t2 = time.perf_counter()
                # -----------------------------------------------------------------------------------------
                if outcome is None:
                    decode_failures += 1
                    continue
                if codes[0].text != texts[who]:
                    wrong_text += 1
                decode_ms.append((t1 - t0) * 1000.0)
                vdc_ms.append((t2 - t1) * 1000.0)
                total_ms.append((t2 - t0) * 1000.0)
                action = outcome.decision.action.value
                actions[action] += 1
                if action != expected:
                    unexpected[f"{expected}->{action}"] += 1
                progress.tick(f"scan {i + 1}/{len(plan)}")
            loop_s = time.perf_counter() - started_all
            with station.db.read() as session:
                from guardstation.store import visits

                visits_logged = visits.count_log(session)
            db_size_mb = Path(home / DB_FILENAME).stat().st_size / 1e6
        finally:
            station.close()

    if not total_ms:
        raise SystemExit("no frame with a pass could be decoded: the frame composition is broken")

    zx720, pz720 = empty.get("empty_720p_ms_median"), empty.get("pyzbar_empty_720p_ms_median")
    zx1080, pz1080 = empty.get("empty_1080p_ms_median"), empty.get("pyzbar_empty_1080p_ms_median")
    ratio720 = _ratio(pz720, zx720)
    p95 = percentile(total_ms, 95)
    result: dict[str, Any] = {
        "benchmark": "scan",
        **empty,
        "zxing_vs_pyzbar_720p_ratio": ratio720,
        "zxing_vs_pyzbar_1080p_ratio": _ratio(pz1080, zx1080),
        "scan_to_verdict_ms_p50": percentile(total_ms, 50),
        "scan_to_verdict_ms_p95": p95,
        "scan_to_verdict_ms_max": max(total_ms),
        "decode_ms_p50": percentile(decode_ms, 50),
        "decode_ms_p95": percentile(decode_ms, 95),
        "verify_decide_commit_ms_p50": percentile(vdc_ms, 50),
        "verify_decide_commit_ms_p95": percentile(vdc_ms, 95),
        "frames": len(plan),
        "scans_timed": len(total_ms),
        "people": len(people),
        "actions": dict(actions),
        "decode_failures": decode_failures,
        "decoded_wrong_text": wrong_text,
        "unexpected_verdicts": dict(unexpected),
        "repeats": repeats,
        "frame_size": f"{FRAME_W}x{FRAME_H}",
        "history_rows": int(args.history),
        "visits_logged": visits_logged,
        "db_size_mb": db_size_mb,
        "db_pragmas": pragmas,
        "loop_s": loop_s,
        "goals": {
            "empty_720p_ms_median": GOAL_EMPTY_720P_MS,
            "scan_to_verdict_ms_p95": GOAL_SCAN_TO_VERDICT_P95_MS,
            "zxing_vs_pyzbar_720p_ratio": GOAL_PYZBAR_RATIO,
        },
        "goals_met": {
            "empty_720p_ms_median": zx720 is not None and zx720 <= GOAL_EMPTY_720P_MS,
            "scan_to_verdict_ms_p95": p95 <= GOAL_SCAN_TO_VERDICT_P95_MS,
            "zxing_vs_pyzbar_720p_ratio": ratio720 is not None and ratio720 >= GOAL_PYZBAR_RATIO,
        },
        "generated_at": datetime.now().astimezone().isoformat(timespec="seconds"),
    }
    result.update(environment_info())
    return result


def _opt(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None or not math.isfinite(value) else fmt(float(value), digits)


def format_table(r: dict[str, Any]) -> str:
    def goal(value, target, at_most=True):
        return "" if value is None else goal_line(value, target, at_most=at_most)

    rows = [
        (
            "empty_720p_ms_median",
            _opt(r["empty_720p_ms_median"]),
            "zxing; " + goal(r["empty_720p_ms_median"], GOAL_EMPTY_720P_MS),
        ),
        ("empty_1080p_ms_median", _opt(r["empty_1080p_ms_median"]), "zxing"),
        ("pyzbar_empty_720p_ms_median", _opt(r["pyzbar_empty_720p_ms_median"]), "baseline, same run"),
        ("pyzbar_empty_1080p_ms_median", _opt(r["pyzbar_empty_1080p_ms_median"]), "baseline, same run"),
        (
            "zxing_vs_pyzbar_720p_ratio",
            _opt(r["zxing_vs_pyzbar_720p_ratio"]),
            "pyzbar/zxing; " + goal(r["zxing_vs_pyzbar_720p_ratio"], GOAL_PYZBAR_RATIO, at_most=False),
        ),
        ("zxing_vs_pyzbar_1080p_ratio", _opt(r["zxing_vs_pyzbar_1080p_ratio"]), "pyzbar/zxing"),
        (
            "scan_to_verdict_ms_p50",
            _opt(r["scan_to_verdict_ms_p50"]),
            f"{r['scans_timed']} scans, 720p frame with a pass",
        ),
        (
            "scan_to_verdict_ms_p95",
            _opt(r["scan_to_verdict_ms_p95"]),
            goal(r["scan_to_verdict_ms_p95"], GOAL_SCAN_TO_VERDICT_P95_MS),
        ),
        ("decode_ms_p50", _opt(r["decode_ms_p50"]), "safe_decode of the frame"),
        ("verify_decide_commit_ms_p50", _opt(r["verify_decide_commit_ms_p50"]), "Checkpoint.scan, synchronous=FULL"),
        ("verify_decide_commit_ms_p95", _opt(r["verify_decide_commit_ms_p95"]), ""),
        ("decode_failures", str(r["decode_failures"]), f"of {r['frames']} frames"),
        ("unexpected_verdicts", str(sum(r["unexpected_verdicts"].values())), str(r["actions"])),
    ]
    return format_rows(f"GuardStation scan benchmark ({r['python']}, {r['platform']})", rows)
