"""Queries and updates of the materialised `visit` table."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from ..domain.verdict import OpenVisit
from .models import Visit

INSIDE, LEFT, DENIED, NOTICE = "inside", "left", "denied", "notice"


def find_open_visit(session: Session, subject_key: str | None) -> Visit | None:
    if not subject_key:
        return None
    return session.scalars(select(Visit).where(Visit.subject_key == subject_key, Visit.status == INSIDE)
                           .order_by(Visit.time_in.desc()).limit(1)).first()


def as_open_visit(visit: Visit | None) -> OpenVisit | None:
    return None if visit is None else OpenVisit(visit.visit_id, visit.time_in)


def count_inside(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Visit).where(Visit.status == INSIDE)) or 0


def inside_now(session: Session) -> list[Visit]:
    return list(session.scalars(select(Visit).where(Visit.status == INSIDE).order_by(Visit.time_in)))


@dataclass(frozen=True)
class PageKey:
    """Keyset pagination position: pages stay fast however deep the log is."""
    time_in: datetime
    visit_id: str


def log_page(session: Session, *, limit: int = 200, after: PageKey | None = None,
             name_query: str = "") -> list[Visit]:
    """Newest first. A name query of 3+ characters uses the trigram index (substring match)."""
    stmt = select(Visit)
    query = name_query.strip()
    if len(query) >= 3:
        phrase = '"' + query.replace('"', '""') + '"'  # a quoted FTS phrase: user text is never syntax
        stmt = stmt.where(text("visit.rowid IN (SELECT rowid FROM visit_fts WHERE visit_fts MATCH :q)")
                          .bindparams(q=phrase))
    elif query:
        escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(Visit.display_name.ilike(f"%{escaped}%", escape="\\"))
    if after is not None:
        stmt = stmt.where((Visit.time_in < after.time_in)
                          | ((Visit.time_in == after.time_in) & (Visit.visit_id < after.visit_id)))
    stmt = stmt.order_by(Visit.time_in.desc(), Visit.visit_id.desc()).limit(limit)
    return list(session.scalars(stmt))


def count_log(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Visit)) or 0
