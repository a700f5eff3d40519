"""Queries and updates of the materialised `visit` table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from guardstation.domain.verdict import OpenVisit
from guardstation.store.models import Visit

INSIDE, LEFT, DENIED, NOTICE = "inside", "left", "denied", "notice"


def find_open_visit(session: Session, subject_key: str | None) -> Visit | None:
    if not subject_key:
        return None
    return session.scalars(
        select(Visit)
        .where(Visit.subject_key == subject_key, Visit.status == INSIDE)
        .order_by(Visit.time_in.desc())
        .limit(1)
    ).first()


def as_open_visit(visit: Visit | None) -> OpenVisit | None:
    return None if visit is None else OpenVisit(visit.visit_id, visit.time_in)


def count_inside(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Visit).where(Visit.status == INSIDE)) or 0


def count_inside_split(session: Session, station_id: str) -> tuple[int, int]:
    """(inside through this gate, inside through the site's other gates as last synced)."""
    total = count_inside(session)
    here = (
        session.scalar(
            select(func.count()).select_from(Visit).where(Visit.status == INSIDE, Visit.station_id == station_id)
        )
        or 0
    )
    return here, total - here


def inside_now(session: Session) -> list[Visit]:
    return list(session.scalars(select(Visit).where(Visit.status == INSIDE).order_by(Visit.time_in)))


@dataclass(frozen=True)
class PageKey:
    """Keyset pagination position: pages stay fast however deep the log is."""

    time_in: datetime
    visit_id: str


# Above this many name matches, walking the time index newest-first and stopping at one page
# beats fetching every match and sorting it (SQLite cannot estimate full-text match counts).
COMMON_NAME_MATCHES = 2000
_FTS_MATCHES = "SELECT rowid FROM visit_fts WHERE visit_fts MATCH :q"


def _is_common(session: Session, phrase: str) -> bool:
    probe = text(f"SELECT count(*) FROM ({_FTS_MATCHES} LIMIT {COMMON_NAME_MATCHES})").bindparams(q=phrase)
    return session.scalar(probe) >= COMMON_NAME_MATCHES


def log_page(session: Session, *, limit: int = 200, after: PageKey | None = None, name_query: str = "") -> list[Visit]:
    """Newest first. A name query of 3+ characters uses the trigram index (substring match)."""
    stmt = select(Visit)
    # Control characters (a NUL ends an FTS string early) are never part of a name.
    query = "".join(ch for ch in name_query if ch.isprintable()).strip()
    if len(query) >= 3:
        phrase = '"' + query.replace('"', '""') + '"'  # a quoted FTS phrase: user text is never syntax
        # Unary "+" stops SQLite from driving the query by rowid, so it walks ix_visit_time_in instead.
        column = "+visit.rowid" if _is_common(session, phrase) else "visit.rowid"
        stmt = stmt.where(text(f"{column} IN ({_FTS_MATCHES})").bindparams(q=phrase))
    elif query:
        escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(Visit.display_name.ilike(f"%{escaped}%", escape="\\"))
    if after is not None:
        stmt = stmt.where(
            (Visit.time_in < after.time_in) | ((Visit.time_in == after.time_in) & (Visit.visit_id < after.visit_id))
        )
    stmt = stmt.order_by(Visit.time_in.desc(), Visit.visit_id.desc()).limit(limit)
    return list(session.scalars(stmt))


def count_log(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Visit)) or 0
