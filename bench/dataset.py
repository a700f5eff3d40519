"""Synthetic but realistic station data for the benchmarks: Indonesian names, office hours, verdict mix.

The visit log is bulk-inserted with the sqlite3 module (executemany, big
transactions) into a database the station itself created, so the schema, the
indexes and the full-text triggers are the product's own: every row goes
through the same `visit_fts` trigger a scan would.
"""

from __future__ import annotations

import hashlib
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

# Given names as seen on Indonesian ID cards (Javanese, Sundanese, Malay, Arabic-derived, Christian).
FIRST_NAMES_MALE = [
    "Budi",
    "Agus",
    "Ahmad",
    "Muhammad",
    "Wahyu",
    "Dedi",
    "Eko",
    "Joko",
    "Hadi",
    "Rudi",
    "Andi",
    "Bambang",
    "Slamet",
    "Sugeng",
    "Teguh",
    "Yudi",
    "Hendra",
    "Irwan",
    "Fajar",
    "Rizky",
    "Arif",
    "Dimas",
    "Bayu",
    "Gilang",
    "Hendro",
    "Imam",
    "Kurniawan",
    "Lukman",
    "Nanang",
    "Nur",
    "Putu",
    "Made",
    "Ketut",
    "Rahmat",
    "Samsul",
    "Taufik",
    "Ujang",
    "Asep",
    "Yusuf",
    "Zainal",
    "Ilham",
    "Reza",
    "Fikri",
    "Dani",
    "Heru",
]
FIRST_NAMES_FEMALE = [
    "Siti",
    "Sri",
    "Dewi",
    "Lina",
    "Ratna",
    "Yuni",
    "Rina",
    "Ani",
    "Wulan",
    "Fitri",
    "Indah",
    "Putri",
    "Nurul",
    "Ayu",
    "Dian",
    "Eka",
    "Endang",
    "Lestari",
    "Maya",
    "Novi",
    "Nining",
    "Nia",
    "Rini",
    "Sari",
    "Tuti",
    "Umi",
    "Wati",
    "Yanti",
    "Kartika",
    "Mega",
    "Nurhayati",
    "Rahayu",
    "Susi",
    "Tri",
    "Lusi",
    "Anisa",
    "Intan",
    "Citra",
    "Desi",
    "Elok",
    "Fatimah",
    "Hana",
    "Kadek",
    "Nyoman",
    "Yohana",
]
LAST_NAMES = [
    "Santoso",
    "Prasetyo",
    "Susanto",
    "Hidayat",
    "Saputra",
    "Wijaya",
    "Setiawan",
    "Gunawan",
    "Kurniawan",
    "Hartono",
    "Rahmawati",
    "Lestari",
    "Wahyuni",
    "Susilo",
    "Pratama",
    "Nugroho",
    "Purnomo",
    "Sulistyo",
    "Siregar",
    "Nasution",
    "Harahap",
    "Simanjuntak",
    "Sitompul",
    "Lubis",
    "Pane",
    "Tanjung",
    "Sihombing",
    "Hutapea",
    "Manurung",
    "Rahman",
    "Hakim",
    "Syahputra",
    "Firmansyah",
    "Ramadhan",
    "Fauzi",
    "Salim",
    "Utomo",
    "Wibowo",
    "Handayani",
    "Maharani",
    "Permatasari",
    "Anggraini",
    "Puspitasari",
    "Marlina",
    "Astuti",
    "Rahayu",
    "Suryani",
    "Yuliani",
    "Kusuma",
    "Halim",
    "Tanoto",
    "Effendi",
    "Sembiring",
    "Ginting",
    "Tarigan",
    "Pangaribuan",
    "Lumbantobing",
    "Wulandari",
    "Damayanti",
    "Setiawati",
]
PURPOSES = [
    ("Rapat", 30),
    ("Layanan KTP", 12),
    ("Audiensi", 6),
    ("Antar surat", 10),
    ("Konsultasi", 12),
    ("Kunjungan dinas", 8),
    ("Pengambilan dokumen", 10),
    ("Wawancara", 3),
    ("Perbaikan AC", 2),
    ("Kurir paket", 7),
]
HOSTS = [
    ("Sekretariat Daerah", 20),
    ("Dispendukcapil", 15),
    ("Bappeda", 10),
    ("Diskominfo", 10),
    ("Bupati", 3),
    ("Umum", 20),
    ("Keuangan", 8),
    ("BKD", 6),
    ("Dinas Kesehatan", 8),
]
GUARDS = ["Pak Slamet", "Pak Darto", "Bu Sumi", "Pak Yanto"]

# Name searches the benchmark runs: 3+ letter substrings of common names, in the middle of words too.
SEARCH_QUERIES = ("Siti", "santo", "wati", "Hidayat", "Wahyu")
# A family name only a few people in the log carry (one person in RARE_EVERY): the search a
# guard makes for one particular visitor, and the case where LIKE has to read the whole table.
RARE_LAST_NAMES = ["Rumbewas"]
RARE_QUERY = "Rumbewas"
RARE_EVERY = 2000
# Bumped whenever the generated data changes, so `log --keep` rebuilds instead of reusing.
DATASET_VERSION = 2

_WIB = timezone(timedelta(hours=7))
_UTC = UTC

# (colour, status, reason_code, weight)
_OUTCOMES = [
    ("green", "left", "fully_vaccinated", 620),
    ("green", "left", "booster", 230),
    ("yellow", "left", "partly_vaccinated", 70),
    ("red", "denied", "not_vaccinated", 25),
    ("red", "denied", "expired", 20),
    ("red", "denied", "bad_signature", 5),
    ("black", "denied", "positive", 5),
    ("full", "notice", "capacity_full", 25),
]

INSERT_SQL = (
    "INSERT INTO visit (visit_id, subject_key, display_name, nik_masked, person_kind, credential_kind, purpose, "
    "host, colour, reason_code, reason_params_json, status, time_in, time_out, gate_in, gate_out, guard, "
    "station_id, manual) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
)


def _weighted(pairs: list[tuple[str, int]]) -> tuple[list[str], list[int]]:
    return [p[0] for p in pairs], [p[1] for p in pairs]


def _zipf_weights(n: int, s: float = 0.9) -> list[float]:
    return [1.0 / (i + 1) ** s for i in range(n)]


def make_people(count: int, rng: random.Random) -> list[tuple[str, str, str, str]]:
    """(display_name, subject_key, person_kind, nik_masked) for `count` distinct people."""
    male_w = _zipf_weights(len(FIRST_NAMES_MALE))
    female_w = _zipf_weights(len(FIRST_NAMES_FEMALE))
    last_w = _zipf_weights(len(LAST_NAMES), 0.7)
    people = []
    for i in range(count):
        female = rng.random() < 0.48
        first = rng.choices(FIRST_NAMES_FEMALE if female else FIRST_NAMES_MALE, female_w if female else male_w)[0]
        shape = rng.random()
        if shape < 0.15:
            name = first  # many Javanese have a single name
        elif shape < 0.30:
            second = rng.choices(FIRST_NAMES_FEMALE if female else FIRST_NAMES_MALE, female_w if female else male_w)[0]
            name = f"{first} {second}" if second != first else first
            if rng.random() < 0.5:
                name += " " + rng.choices(LAST_NAMES, last_w)[0]
        else:
            name = f"{first} {rng.choices(LAST_NAMES, last_w)[0]}"
        if i % RARE_EVERY == RARE_EVERY - 1:
            name = f"{first} {RARE_LAST_NAMES[(i // RARE_EVERY) % len(RARE_LAST_NAMES)]}"
        key = hashlib.sha256(f"bench-person-{i}".encode()).hexdigest()[:32]  # as domain.subject: 128 bits
        kind = "employee" if rng.random() < 0.2 else "visitor"
        nik_masked = f"35{rng.randint(10, 79):02d}**********{rng.randint(1, 9999):04d}"
        people.append((name, key, kind, nik_masked))
    return people


def _uuid7_text(ms: int, rng: random.Random) -> str:
    """A UUIDv7-shaped id whose time part is the visit's time, so ids sort like the product's."""
    hi = f"{ms & 0xFFFFFFFFFFFF:012x}"
    rand_a = rng.getrandbits(12)
    rand_b = (0b10 << 62) | rng.getrandbits(62)
    tail = f"{rand_b:016x}"
    return f"{hi[:8]}-{hi[8:]}-7{rand_a:03x}-{tail[:4]}-{tail[4:]}"


def generate_visits(
    rows: int, *, station_id: str, gate: str, end: datetime, days: int = 90, seed: int = 27, inside_now: int = 20
) -> Iterator[tuple]:
    """`rows` visit rows in time order over `days` days of office hours (07:00-17:00 WIB) ending at `end`.

    The newest `inside_now` admitted visitors are still inside; everyone else has left.
    """
    rng = random.Random(seed)
    people = make_people(max(50, rows // 20), rng)  # each person comes ~20 times on average
    person_cum = list(_cumulative(_zipf_weights(len(people), 0.6)))
    purposes, purpose_w = _weighted(PURPOSES)
    hosts, host_w = _weighted(HOSTS)
    outcome_w = [o[3] for o in _OUTCOMES]
    params_json = {
        "fully_vaccinated": '{"doses": 2}',
        "booster": '{"doses": 3}',
        "partly_vaccinated": '{"doses": 1}',
        "capacity_full": '{"inside": 120, "capacity": 120}',
    }
    end_local = end.astimezone(_WIB)
    end_s = end_local.timestamp()
    first_day = (end_local - timedelta(days=days - 1)).replace(hour=0, minute=0, second=0, microsecond=0)
    # Working days get most visits; Saturdays a few (public services), Sundays a trickle.
    day_list = [first_day + timedelta(days=d) for d in range(days)]
    day_w = [1.0 if d.weekday() < 5 else (0.25 if d.weekday() == 5 else 0.05) for d in day_list]
    total_w = sum(day_w)
    per_day = [int(rows * w / total_w) for w in day_w]
    per_day[-1] += rows - sum(per_day)
    emitted = 0
    for day, count in zip(day_list, per_day):
        if count <= 0:
            continue
        opening = day.timestamp() + 7 * 3600
        seconds = sorted(opening + rng.random() * 10 * 3600 for _ in range(count))
        who = [people[_pick(person_cum, rng.random())] for _ in range(count)]
        outcomes = rng.choices(_OUTCOMES, outcome_w, k=count)
        purpose = rng.choices(purposes, purpose_w, k=count)
        host = rng.choices(hosts, host_w, k=count)
        for i in range(count):
            ts = seconds[i]
            if ts > end_s:  # today, later than now: squeeze into the last minute
                ts = end_s - rng.random() * 60
            name, key, kind, nik_masked = who[i]
            colour, status, reason, _ = outcomes[i]
            manual = rng.random() < 0.06
            if reason == "expired":
                day = datetime.fromtimestamp(ts - 86400 * rng.randint(1, 60), _UTC).date()
                params = f'{{"date": "{day}"}}'
            else:
                params = params_json.get(reason, "{}")
            time_out = None
            gate_out = ""
            if status == "left":
                if rows - emitted <= inside_now:
                    status = "inside"
                else:
                    time_out = _iso_ts(ts + 600 + rng.random() * 10200)
                    gate_out = gate
            emitted += 1
            yield (
                _uuid7_text(int(ts * 1000), rng),
                key,
                name,
                nik_masked if manual else "",
                kind,
                "nik" if manual else "gspass",
                purpose[i],
                host[i],
                colour,
                reason,
                params,
                status,
                _iso_ts(ts),
                time_out,
                gate,
                gate_out,
                GUARDS[(int(ts) // 14400) % len(GUARDS)],
                station_id,
                int(manual),
            )


def _iso_ts(ts: float) -> str:
    # Exactly the shape store.models.UtcDateTime writes: UTC, microseconds, "+00:00".
    return datetime.fromtimestamp(ts, _UTC).isoformat(timespec="microseconds")


def _cumulative(weights: list[float]) -> Iterator[float]:
    total = sum(weights)
    acc = 0.0
    for w in weights:
        acc += w / total
        yield acc


def _pick(cumulative: list[float], u: float) -> int:
    lo, hi = 0, len(cumulative) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if cumulative[mid] < u:
            lo = mid + 1
        else:
            hi = mid
    return lo


FTS_INSERT_TRIGGER = "visit_fts_ai"


def bulk_insert_visits(
    db_path: Path,
    rows: int,
    *,
    end: datetime,
    batch: int = 50_000,
    progress: Callable[[int, int, float], None] | None = None,
    seed: int = 27,
    fts: str = "triggers",
) -> int:
    """Insert `rows` visits with executemany in big transactions; returns the visit count afterwards.

    The station must have been opened (and closed) on `db_path` first: schema, triggers and the
    station row come from the product. Durability is relaxed for this connection only
    (synchronous=OFF): this is test data, not a guard's verdict.

    fts="triggers": every row goes through the product's insert trigger into `visit_fts`, so the
    index grows (segments, automerge) exactly as on a station. fts="rebuild": about 2x faster;
    the insert trigger is dropped for the load, the index rebuilt in one go, and the trigger put
    back from its own stored SQL (a compact index, which may search slightly faster).
    """
    if fts not in ("triggers", "rebuild"):
        raise ValueError("fts must be 'triggers' or 'rebuild'")
    con = sqlite3.connect(db_path)
    try:
        con.execute("PRAGMA synchronous=OFF")
        con.execute("PRAGMA cache_size=-262144")  # 256 MiB page cache while building
        station_id, gate = con.execute("SELECT station_id, gate_name FROM station LIMIT 1").fetchone()
        trigger_sql = None
        if fts == "rebuild":
            found = con.execute(
                "SELECT sql FROM sqlite_master WHERE type='trigger' AND name=?", (FTS_INSERT_TRIGGER,)
            ).fetchone()
            if found is None:
                raise RuntimeError(f"trigger {FTS_INSERT_TRIGGER} missing: schema changed?")
            trigger_sql = found[0]
            with con:
                con.execute(f"DROP TRIGGER {FTS_INSERT_TRIGGER}")
        started = time.perf_counter()
        pending: list[tuple] = []
        done = 0
        for row in generate_visits(rows, station_id=station_id, gate=gate, end=end, seed=seed):
            pending.append(row)
            if len(pending) >= batch:
                with con:
                    con.executemany(INSERT_SQL, pending)
                done += len(pending)
                pending.clear()
                if progress:
                    progress(done, rows, time.perf_counter() - started)
        if pending:
            with con:
                con.executemany(INSERT_SQL, pending)
            done += len(pending)
            if progress:
                progress(done, rows, time.perf_counter() - started)
        if trigger_sql is not None:
            with con:
                con.execute("INSERT INTO visit_fts(visit_fts) VALUES('rebuild')")
                con.execute(trigger_sql)
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return con.execute("SELECT count(*) FROM visit").fetchone()[0]
    finally:
        if (
            trigger_sql is not None
            and con.execute(
                "SELECT 1 FROM sqlite_master WHERE type='trigger' AND name=?", (FTS_INSERT_TRIGGER,)
            ).fetchone()
            is None
        ):
            with con:  # never leave the database without its trigger, even after an error
                con.execute(trigger_sql)
        con.close()


def count_visits(db_path: Path) -> int:
    if not Path(db_path).exists():
        return -1
    con = sqlite3.connect(db_path)
    try:
        return con.execute("SELECT count(*) FROM visit").fetchone()[0]
    except sqlite3.DatabaseError:
        return -1
    finally:
        con.close()
