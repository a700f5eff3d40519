"""Storage trouble the guard must be told about: a full disk, a read-only disk, a failing disk.

No Qt. `storage_problem` turns an exception from SQLite, SQLAlchemy or the OS into a message key;
`DiskGuard` lets the checkpoint refuse a scan *before* writing when the disk is nearly full (so the
station never shows a verdict it could not keep), and lets it through again once space returns.
"""

from __future__ import annotations

import errno
import shutil
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.exc import OperationalError

DISK_FULL, READ_ONLY, LOCKED, IO_ERROR = "disk_full", "read_only", "locked", "io_error"
REFUSE_BELOW_BYTES = 100_000_000  # the same threshold the start-up check refuses at
RECHECK_SECONDS = 5.0


class StorageUnavailable(RuntimeError):
    """Nothing was recorded; `problem` is one of the keys above."""

    def __init__(self, problem: str, detail: str = "") -> None:
        super().__init__(detail or problem)
        self.problem = problem


def storage_problem(exc: BaseException) -> str | None:
    """A known storage failure as a message key; None for anything else (a bug).

    Only what storage trouble is raised as is read: any other error is never taken for a full disk,
    whatever its text says."""
    if isinstance(exc, StorageUnavailable):
        return exc.problem
    if not isinstance(exc, (OperationalError, sqlite3.OperationalError, OSError)):
        return None
    orig = getattr(exc, "orig", exc)
    if isinstance(orig, OSError) and orig.errno is not None:
        if orig.errno in (errno.ENOSPC, errno.EDQUOT):
            return DISK_FULL
        if orig.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return READ_ONLY
        if orig.errno == errno.EIO:
            return IO_ERROR
    text = str(orig).lower()
    if "disk is full" in text or "disk full" in text or "no space left" in text:
        return DISK_FULL
    if "readonly" in text or "read-only" in text:
        return READ_ONLY
    if "locked" in text:
        return LOCKED
    if "disk i/o error" in text:
        return IO_ERROR
    return None


class DiskGuard:
    """Is there room for another scan? Asked before every write; the disk is looked at every few seconds."""

    def __init__(
        self,
        folder: Path,
        *,
        refuse_below: int = REFUSE_BELOW_BYTES,
        recheck_s: float = RECHECK_SECONDS,
        free_bytes: Callable[[Path], int] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ):
        self.folder = Path(folder)
        self.refuse_below = refuse_below
        self.recheck_s = recheck_s
        self._free = free_bytes or (lambda folder: shutil.disk_usage(folder).free)
        self._monotonic = monotonic
        self._checked_at: float | None = None
        self._refusing = False

    def check(self) -> None:
        """Raises StorageUnavailable(DISK_FULL) while free space is below the threshold."""
        now = self._monotonic()
        if self._checked_at is None or now - self._checked_at >= self.recheck_s or self._refusing:
            try:
                self._refusing = self._free(self.folder) < self.refuse_below
            except OSError:
                self._refusing = False  # cannot tell: let SQLite report a real failure
            self._checked_at = now
        if self._refusing:
            raise StorageUnavailable(DISK_FULL, f"less than {self.refuse_below // 1_000_000} MB free in {self.folder}")
