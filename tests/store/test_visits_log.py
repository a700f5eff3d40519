"""The visit log: newest first, keyset pages without gaps, safe name search."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest

from guardstation.domain.ids import new_id
from guardstation.store import visits
from guardstation.store.db import open_database
from guardstation.store.models import Visit

WIB = timezone(timedelta(hours=7))
T0 = datetime(2026, 11, 23, 7, 30, tzinfo=WIB)
NAMES = [
    "Budi Santoso",
    "Siti Rahmawati",
    "Ahmad Fauzi",
    "Dewi Lestari",
    "Joko Susilo",
    "Ratna Dewi",
    "Agus Salim",
    "Yuni Astuti",
    "Hadi Prasetyo",
    "Lina Marlina",
    "I Gede Agung Budiarta",
    "Nur'aini",
]


def _visit(name: str, at: datetime, status: str = visits.INSIDE, subject: str | None = None) -> Visit:
    return Visit(
        visit_id=new_id(),
        subject_key=subject,
        display_name=name,
        credential_kind="gspass",
        colour="green",
        reason_code="fully_vaccinated",
        status=status,
        time_in=at,
        gate_in="Pintu Depan",
        station_id="st-1",
    )


@pytest.fixture
def db(tmp_path):
    database = open_database(tmp_path / "station.sqlite")
    yield database
    database.close()


@pytest.fixture
def filled(db):
    rng = random.Random(2026)
    rows = []
    with db.transaction() as session:
        for i in range(57):
            # Several visits share the same second (a queue at the door): ties are broken by visit_id.
            at = T0 + timedelta(minutes=rng.choice([0, 1, 1, 2, 5, 9]) * (i // 4))
            visit = _visit(NAMES[i % len(NAMES)], at, status=rng.choice([visits.INSIDE, visits.LEFT, visits.DENIED]))
            session.add(visit)
            rows.append((visit.time_in, visit.visit_id, visit.display_name))
    return db, rows


def _pages(db, limit: int, name_query: str = "") -> list[list[Visit]]:
    pages, after = [], None
    with db.read() as session:
        while True:
            page = visits.log_page(session, limit=limit, after=after, name_query=name_query)
            if not page:
                return pages
            pages.append(page)
            after = visits.PageKey(page[-1].time_in, page[-1].visit_id)


def test_log_is_newest_first(filled):
    db, rows = filled
    with db.read() as session:
        page = visits.log_page(session, limit=200)
    expected = sorted(rows, key=lambda r: (r[0], r[1]), reverse=True)
    assert [(v.time_in, v.visit_id) for v in page] == [(r[0], r[1]) for r in expected]
    assert visits.count_log(session) == 57


@pytest.mark.parametrize("limit", [1, 5, 10, 56, 57, 100])
def test_keyset_pages_have_no_duplicates_and_no_gaps(filled, limit):
    db, rows = filled
    pages = _pages(db, limit)
    seen = [v.visit_id for page in pages for v in page]
    assert len(seen) == len(set(seen)) == 57
    expected = [r[1] for r in sorted(rows, key=lambda r: (r[0], r[1]), reverse=True)]
    assert seen == expected
    assert all(len(page) == limit for page in pages[:-1])


def test_pages_stay_stable_when_new_visits_arrive(filled):
    db, rows = filled
    with db.read() as session:
        first = visits.log_page(session, limit=10)
    with db.transaction() as session:  # someone checks in while the guard scrolls
        session.add(_visit("Tamu Baru", T0 + timedelta(days=1)))
    with db.read() as session:
        second = visits.log_page(session, limit=10, after=visits.PageKey(first[-1].time_in, first[-1].visit_id))
    assert not {v.visit_id for v in first} & {v.visit_id for v in second}
    assert "Tamu Baru" not in [v.display_name for v in second]


def _names(db, query: str) -> set[str]:
    with db.read() as session:
        return {v.display_name for v in visits.log_page(session, limit=500, name_query=query)}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("santoso", {"Budi Santoso"}),
        ("SANTO", {"Budi Santoso"}),
        ("dewi", {"Dewi Lestari", "Ratna Dewi"}),
        ("ewi", {"Dewi Lestari", "Ratna Dewi"}),  # a substring in the middle of a word
        ("budi", {"Budi Santoso", "I Gede Agung Budiarta"}),
        ("  Budi  ", {"Budi Santoso", "I Gede Agung Budiarta"}),
        ("i Lest", {"Dewi Lestari"}),  # across a space
        ("nur'a", {"Nur'aini"}),
        ("xyz", set()),
    ],
)
def test_name_search_of_three_or_more_chars_finds_substrings_case_insensitively(filled, query, expected):
    db, _ = filled
    assert _names(db, query) == expected


@pytest.mark.parametrize(
    "query, expected",
    [
        ("Ag", {"Agus Salim", "I Gede Agung Budiarta"}),
        ("ag", {"Agus Salim", "I Gede Agung Budiarta"}),
        ("wi", {"Dewi Lestari", "Ratna Dewi"}),
        (" E ", {"Dewi Lestari", "Ratna Dewi", "Hadi Prasetyo", "I Gede Agung Budiarta"}),  # trimmed, 1 char
        ("Q", set()),
    ],
)
def test_one_or_two_char_search_uses_a_plain_substring_match(filled, query, expected):
    db, _ = filled
    assert _names(db, query) == expected


def test_search_results_are_paged_like_the_log(filled):
    db, rows = filled
    pages = _pages(db, 3, name_query="dewi")
    seen = [v.visit_id for page in pages for v in page]
    expected = [r[1] for r in sorted(rows, key=lambda r: (r[0], r[1]), reverse=True) if "dewi" in r[2].lower()]
    assert seen == expected


@pytest.mark.parametrize(
    "query",
    [
        "' OR 1=1 --",
        '"',
        "%",
        "_",
        "%%%",
        "___",
        '" OR ""="',
        "'; DROP TABLE visit; --",
        'a"b',
        "NEAR(a b)",
        "dewi*",
        "*",
        "AND",
        "OR x",
        "\\",
        "\\%",
        "-",
        "^bud",
        "visit_fts",
        "()",
    ],
)
def test_injection_looking_queries_find_nothing_and_raise_nothing(filled, query):
    db, _ = filled
    assert _names(db, query) == set()
    with db.read() as session:
        assert visits.count_log(session) == 57


def test_percent_and_underscore_are_matched_literally(db):
    with db.transaction() as session:
        session.add(_visit("Ruang_Rapat 100%", T0))
        session.add(_visit("Ruang Rapat 1000", T0))
    assert _names(db, "%") == {"Ruang_Rapat 100%"}
    assert _names(db, "_") == {"Ruang_Rapat 100%"}
    assert _names(db, "0%") == {"Ruang_Rapat 100%"}
    assert _names(db, "g_R") == {"Ruang_Rapat 100%"}
    assert _names(db, "100%") == {"Ruang_Rapat 100%"}
    assert _names(db, '"') == set()


def test_name_with_a_quote_is_found(db):
    with db.transaction() as session:
        session.add(_visit('Muhammad "Iwan" Setiawan', T0))
    assert _names(db, '"Iwan"') == {'Muhammad "Iwan" Setiawan'}
    assert _names(db, 'd "I') == {'Muhammad "Iwan" Setiawan'}


def test_search_follows_renames(db):
    # The trigram index is kept in step by triggers (e.g. a supervisor correcting a typo).
    with db.transaction() as session:
        visit = _visit("Bdui Santoso", T0)
        session.add(visit)
    with db.transaction() as session:
        session.get(Visit, visit.visit_id).display_name = "Budi Santoso"
    assert _names(db, "budi") == {"Budi Santoso"}
    assert _names(db, "bdui") == set()


def test_open_visit_and_inside_count(db):
    with db.transaction() as session:
        session.add(_visit("Budi Santoso", T0, subject="subj-1"))
        session.add(_visit("Budi Santoso", T0 - timedelta(days=1), status=visits.LEFT, subject="subj-1"))
        session.add(_visit("Siti", T0, status=visits.DENIED, subject="subj-2"))
    with db.read() as session:
        assert visits.count_inside(session) == 1
        assert visits.find_open_visit(session, "subj-1").status == visits.INSIDE
        assert visits.find_open_visit(session, "subj-2") is None
        assert visits.find_open_visit(session, None) is None
        assert [v.display_name for v in visits.inside_now(session)] == ["Budi Santoso"]


@pytest.mark.parametrize("threshold", [1, 10_000])
def test_common_and_rare_name_plans_return_the_same_pages(filled, monkeypatch, threshold):
    """A common name walks the time index, a rare one the name index: the guard sees the same rows."""
    db, rows = filled
    monkeypatch.setattr(visits, "COMMON_NAME_MATCHES", threshold)
    pages = _pages(db, 4, name_query="dewi")
    seen = [v.visit_id for page in pages for v in page]
    expected = [r[1] for r in sorted(rows, key=lambda r: (r[0], r[1]), reverse=True) if "dewi" in r[2].lower()]
    assert seen == expected and len(seen) > 4
