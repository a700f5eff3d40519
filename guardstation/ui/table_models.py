"""Table models over the visit log: the lazy scan log and the inside-now list.

Both read through short sessions on the GUI thread: keyset pages hit an index,
so a page costs milliseconds even with a million visits on disk.
"""

from __future__ import annotations

import json
from datetime import datetime

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from guardstation.domain.reasons import describe
from guardstation.domain.verdict_types import Colour
from guardstation.store import visits
from guardstation.store.db import Database
from guardstation.store.models import Visit
from guardstation.ui.theme import VERDICT_COLOURS, verdict_word

PAGE_SIZE = 200


def _local_time(value: datetime | None, with_date: bool = False) -> str:
    if value is None:
        return ""
    return value.astimezone().strftime("%d-%m %H:%M:%S" if with_date else "%H:%M:%S")


def _who(visit: Visit) -> str:
    return visit.display_name or QCoreApplication.translate("Log", "(unknown)")


class _VisitTable(QAbstractTableModel):
    """Rows of Visit objects under fixed headers; subclasses decide which rows and what each cell shows."""

    headers: list[str]

    def __init__(self, db: Database, parent=None) -> None:
        super().__init__(parent)
        self.db = db
        self.rows: list[Visit] = []

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def visit_at(self, row: int) -> Visit:
        return self.rows[row]


class ScanLogModel(_VisitTable):
    """Every scan, newest first, fetched a page at a time as the view scrolls."""

    def __init__(self, db: Database, lang: str, parent=None) -> None:
        super().__init__(db, parent)
        self.lang = lang
        self.query = ""
        self._exhausted = False
        self.headers = [
            self.tr("Time"),
            self.tr("Verdict"),
            self.tr("Name"),
            self.tr("NIK"),
            self.tr("Reason"),
            self.tr("Purpose"),
            self.tr("Gate"),
            self.tr("Out"),
        ]

    def _page(self, after: visits.PageKey | None) -> list[Visit]:
        with self.db.read() as session:
            return visits.log_page(session, limit=PAGE_SIZE, after=after, name_query=self.query)

    def refresh(self) -> None:
        self.beginResetModel()
        self.rows = self._page(None)
        self._exhausted = len(self.rows) < PAGE_SIZE
        self.endResetModel()

    def set_query(self, query: str) -> None:
        self.query = query
        self.refresh()

    def canFetchMore(self, parent=QModelIndex()) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent=QModelIndex()) -> None:
        if parent.isValid() or self._exhausted or not self.rows:
            return
        last = self.rows[-1]
        page = self._page(visits.PageKey(last.time_in, last.visit_id))
        self._exhausted = len(page) < PAGE_SIZE
        if page:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(page) - 1)
            self.rows.extend(page)
            self.endInsertRows()

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        visit = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return _local_time(visit.time_in, with_date=True)
            if column == 1:
                return verdict_word(Colour(visit.colour))
            if column == 2:
                return _who(visit)
            if column == 3:
                return visit.nik_masked
            if column == 4:
                return describe(visit.reason_code, json.loads(visit.reason_params_json or "{}"), self.lang)
            if column == 5:
                return " / ".join(p for p in (visit.purpose, visit.host) if p)
            if column == 6:
                return visit.gate_in
            if column == 7:
                out = _local_time(visit.time_out)
                auto = self.tr("(auto)")  # closed at the site's closing time, not seen leaving
                return f"{out} {auto}" if out and visit.auto_closed else out
        if role == Qt.ItemDataRole.BackgroundRole and column == 1:
            background, _ = VERDICT_COLOURS[Colour(visit.colour)]
            return QBrush(QColor(background))
        if role == Qt.ItemDataRole.ForegroundRole and column == 1:
            _, foreground = VERDICT_COLOURS[Colour(visit.colour)]
            return QBrush(QColor(foreground))
        return None


class InsideNowModel(_VisitTable):
    """Who is inside now (also the evacuation list), oldest arrival first."""

    def __init__(self, db: Database, parent=None) -> None:
        super().__init__(db, parent)
        self.headers = [self.tr("Since"), self.tr("Name"), self.tr("NIK"), self.tr("Purpose"), self.tr("Host")]

    def refresh(self) -> None:
        self.beginResetModel()
        with self.db.read() as session:
            self.rows = visits.inside_now(session)
        self.endResetModel()

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        visit = self.rows[index.row()]
        return [_local_time(visit.time_in), _who(visit), visit.nik_masked, visit.purpose, visit.host][index.column()]
