"""Durable output files written by worker processes, with one disk flush per batch.

A worker writes each output to a temporary beside it (:func:`write_temporary`, no
fsync); the parent hands the temporaries to :class:`BatchCommitter`, which every
:data:`FILES_PER_SYNC` files flushes the file system once (``syncfs``; where it is
missing, one ``fsync`` per file) and only then renames each temporary over its
target, then flushes the folders' entries.

Guaranteed: a name never shows a partial file (a reader sees the old file or the
whole new one); a file is on disk before its name points to it; when the command
ends normally every output and its name are on disk.  A crash may lose the outputs
of the batch in flight (their temporaries are removed by the next run).
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
from pathlib import Path

from ..outputs import file_mode, make_temp_file

FILES_PER_SYNC = 256  # one flush per this many files: a fraction of the cost of one fsync each


def write_temporary(target: str, data: bytes) -> str:
    """Write ``data`` to a temporary beside ``target`` (not flushed); return its path."""
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    temporary = make_temp_file(Path(target))
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
            os.fchmod(handle.fileno(), file_mode())
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return str(temporary)


class BatchCommitter:
    """Renames worker temporaries over their targets, one disk flush per batch."""

    def __init__(self, files_per_sync: int = FILES_PER_SYNC):
        self.files_per_sync = files_per_sync
        self._pending: list[tuple[str, str]] = []   # (temporary, target)
        self._folders: set[str] = set()

    def add(self, temporary: str, target: str) -> None:
        self._pending.append((temporary, target))
        if len(self._pending) >= self.files_per_sync:
            self.flush()

    def flush(self) -> None:
        """Make the pending files durable, then give them their names."""
        if not self._pending:
            return
        _sync([temporary for temporary, _ in self._pending])
        for temporary, target in self._pending:
            os.replace(temporary, target)
            self._folders.add(os.path.dirname(os.path.abspath(target)))
        self._pending.clear()

    def close(self) -> None:
        """Commit what is pending and flush the renames (the folders' entries)."""
        self.flush()
        for folder in sorted(self._folders):
            _fsync_path(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        self._folders.clear()

    def discard(self) -> None:
        """Remove the temporaries not committed (an error or an interruption)."""
        for temporary, _ in self._pending:
            Path(temporary).unlink(missing_ok=True)
        self._pending.clear()


def _sync(files: list[str]) -> None:
    """Flush ``files`` to disk: one syncfs of their file system(s), else an fsync each."""
    syncfs = _syncfs()
    if syncfs is not None:
        devices: dict[int, str] = {}
        for name in files:
            devices.setdefault(os.stat(name).st_dev, name)
        if all(_syncfs_ok(syncfs, name) for name in devices.values()):
            return
    for name in files:
        _fsync_path(name, os.O_RDONLY)


def _fsync_path(path: str, flags: int) -> None:
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _syncfs_ok(syncfs, name: str) -> bool:
    fd = os.open(name, os.O_RDONLY)
    try:
        return syncfs(fd) == 0
    finally:
        os.close(fd)


_SYNCFS: list = []  # memo: [the libc function or None]


def _syncfs():
    """Linux ``syncfs(2)`` from libc, or None where there is none."""
    if not _SYNCFS:
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            _SYNCFS.append(libc.syncfs)
        except (OSError, AttributeError):
            _SYNCFS.append(None)
    return _SYNCFS[0]
