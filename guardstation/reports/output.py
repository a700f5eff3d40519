"""Writing an export safely: a temporary file beside the target, renamed only when complete.

A bad path, a full disk, a cancel or a crash in a writer leaves nothing under the target name
(an existing file of that name stays as it was) and no temporary file behind. The SHA-256 is
computed from the bytes on disk just before the rename, so it is the hash of what the caller
gets.

Progress and cancellation: `Ticker` calls `progress(done, total)` with non-decreasing numbers
(at most every `every` rows and once at the end) and raises ExportCancelled as soon as it sees
the cancel flag set. Both are safe to use from a worker thread; the callback runs in that
thread (a Qt caller emits a signal from it).
"""

from __future__ import annotations

import errno
import hashlib
import os
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from guardstation.reports.errors import ExportCancelled, ExportError

ProgressFn = Callable[[int, int], None]
TEMP_SUFFIX = ".part"


@dataclass(frozen=True)
class Written:
    path: Path
    sha256: str
    size: int


class Ticker:
    """Counts rows, reports progress now and then, and stops the export when cancelled."""

    def __init__(
        self, total: int, progress: ProgressFn | None = None, cancel: threading.Event | None = None, every: int = 1000
    ) -> None:
        self.total = max(0, int(total))
        self.done = 0
        self._progress = progress
        self._cancel = cancel
        self._every = max(1, every)
        self._next = self._every
        self._reported = -1

    def check(self) -> None:
        if self._cancel is not None and self._cancel.is_set():
            raise ExportCancelled()

    def add_total(self, extra: int) -> None:
        self.total += max(0, extra)

    def step(self, n: int = 1) -> None:
        self.done += n
        if self.done >= self._next:
            self._next = self.done + self._every
            self.check()
            self._report()

    def finish(self) -> None:
        self.check()
        self.total = max(self.total, self.done)
        self.done = self.total
        self._report()

    def _report(self) -> None:
        # Rows may arrive while exporting (the gate keeps scanning): the total is never below done.
        self.total = max(self.total, self.done)
        if self._progress is not None and self.done != self._reported:
            self._reported = self.done
            self._progress(self.done, self.total)


def _error_for(exc: OSError, target: Path, *, renaming: bool = False) -> ExportError:
    folder = target.parent
    code = exc.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1), errno.EFBIG):
        return ExportError("err.disk_full", path=target)
    if code == errno.EROFS:
        return ExportError("err.read_only", folder=folder)
    if code in (errno.EACCES, errno.EPERM, errno.EBUSY):
        # On Windows a file open in Excel cannot be replaced: say so rather than "not allowed".
        if renaming and target.exists():
            return ExportError("err.in_use", path=target)
        return ExportError("err.no_permission", path=folder if not renaming else target)
    if code == errno.ENOENT:
        return ExportError("err.no_folder", folder=folder)
    if code == errno.ENOTDIR:
        return ExportError("err.not_a_folder", folder=folder)
    if code == errno.EISDIR:
        return ExportError("err.is_folder", path=target)
    return ExportError("err.write_failed", path=target, detail=exc.strerror or exc)


def check_target(target: Path) -> Path:
    """The target must name a file in an existing, writable folder; returns it made absolute."""
    try:
        return _check_target(Path(target))
    except OSError as exc:  # e.g. a file name too long for the file system
        raise _error_for(exc, Path(target)) from exc


def _check_target(target: Path) -> Path:
    target = target.expanduser()
    if not target.name or target.name in (".", ".."):
        raise ExportError("err.is_folder", path=target)
    target = target.absolute()
    folder = target.parent
    if not folder.exists():
        raise ExportError("err.no_folder", folder=folder)
    if not folder.is_dir():
        raise ExportError("err.not_a_folder", folder=folder)
    if target.is_dir():
        raise ExportError("err.is_folder", path=target)
    return target


def _sha256_and_sync(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb+") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
        handle.flush()
        os.fsync(handle.fileno())
    return digest.hexdigest(), size


def _sync_folder(folder: Path) -> None:
    if os.name != "posix":
        return  # Windows cannot open a directory for fsync; NTFS journals the rename
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems (network, FAT over FUSE) refuse; the data itself is synced
    finally:
        os.close(fd)


def write_atomically(
    target: Path,
    write: Callable[[Path], None],
    cancel: threading.Event | None = None,
    *,
    before_rename: Callable[[], None] | None = None,
) -> Written:
    """Calls write(temp_path), then hashes, syncs and renames it to `target`.

    `before_rename()` runs last before the rename; raising there (an ExportError) leaves the target
    untouched like any other failure.

    OSErrors become ExportError with a message for the person at the desk; ExportCancelled
    passes through; any other exception is a bug and propagates unchanged. In every failure
    case the temporary file is removed.
    """
    target = check_target(target)
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent)
    except OSError as exc:
        raise _error_for(exc, target) from exc
    os.close(fd)
    temp = Path(temp_name)
    try:
        try:
            write(temp)
            if cancel is not None and cancel.is_set():
                raise ExportCancelled()
            digest, size = _sha256_and_sync(temp)
        except OSError as exc:
            raise _error_for(exc, target) from exc
        if before_rename is not None:
            before_rename()
        try:
            os.replace(temp, target)
        except OSError as exc:
            raise _error_for(exc, target, renaming=True) from exc
    except BaseException:
        try:
            temp.unlink(missing_ok=True)
        except OSError:
            pass  # the folder vanished (USB stick pulled): nothing left to clean
        raise
    _sync_folder(target.parent)
    return Written(target, digest, size)
