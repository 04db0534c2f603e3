"""Durable output files written in batches, with one disk flush per batch.

Each worker process writes the outputs of its batch of files to temporaries beside
them (:meth:`Batch.write`, not flushed), then :meth:`Batch.commit` flushes the file
system once (``syncfs``; where it is missing, one ``fsync`` per file), renames every
temporary over its target and flushes the targets' folders.

Guaranteed: a name never shows a partial file (a reader sees the old file or the
whole new one); a file is on disk before its name points to it; when a batch is
committed its outputs and their names are on disk.  A crash may lose the outputs
of the batches in flight (their temporaries are removed by the next run).
"""
from __future__ import annotations

import ctypes
import itertools
import os
import stat
from typing import Callable

from ..outputs import temp_name

OPEN_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
NEW_FILE_MODE = 0o666   # less the umask, applied by open(): what any other tool's files get

_serial = itertools.count()  # temporaries of one process differ by this number


def write_temporary(target: str, data: bytes) -> str:
    """Write ``data`` to a new temporary beside ``target`` (not flushed); return its path.

    The target's folder is made only when it is missing (one failed open, not a
    ``mkdir`` per file).
    """
    folder, name = os.path.split(target)
    while True:
        temporary = os.path.join(folder, f"{temp_name(name)}{next(_serial)}.tmp")
        try:
            fd = os.open(temporary, OPEN_FLAGS, NEW_FILE_MODE)
        except FileExistsError:
            continue  # left by a dead run with this process id: take the next number
        except FileNotFoundError:
            os.makedirs(folder or os.curdir, exist_ok=True)
            fd = os.open(temporary, OPEN_FLAGS, NEW_FILE_MODE)
        break
    try:
        with open(fd, "wb", closefd=True) as handle:
            handle.write(data)
    except BaseException:
        os.unlink(temporary)
        raise
    return temporary


class Batch:
    """The outputs of one batch of files: written to temporaries, then committed together."""

    def __init__(self) -> None:
        self._pending: list[tuple[str, str]] = []   # (temporary, target)

    def write(self, target: str, data: bytes) -> str:
        """Write ``data`` for ``target`` to a temporary; return the temporary's path; raises OSError."""
        temporary = write_temporary(target, data)
        self._pending.append((temporary, target))
        return temporary

    def commit(self) -> dict[str, str]:
        """Flush the pending files, give them their names, flush their folders.

        Returns the message of each target that could not be committed (its
        temporary is removed); the others are on disk under their names.
        """
        pending, self._pending = self._pending, []
        failed: dict[str, str] = {}
        try:
            _sync([temporary for temporary, _ in pending])
        except OSError as exc:
            for temporary, target in pending:
                _unlink(temporary)
                failed[target] = f"{target}: cannot write: {exc.strerror or exc}"
            return failed
        folders: dict[str, list[str]] = {}
        for temporary, target in pending:
            try:
                os.replace(temporary, target)
            except OSError as exc:
                _unlink(temporary)
                failed[target] = f"{target}: cannot write: {exc.strerror or exc}"
                continue
            folders.setdefault(os.path.dirname(target) or os.curdir, []).append(target)
        for folder, targets in folders.items():
            try:
                _fsync_path(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
            except OSError as exc:
                failed.update((target, f"{target}: cannot flush its folder: {exc.strerror or exc}")
                              for target in targets)
        return failed

    def discard(self) -> None:
        """Remove the temporaries not committed (an error or an interruption)."""
        for temporary, _ in self._pending:
            _unlink(temporary)
        self._pending.clear()


def write_output(batch: Batch, target: str, data: bytes, force: bool) -> str | None:
    """Add ``data`` for ``target`` to ``batch`` as ``teikit convert`` does (locally or on a cluster),
    unless it may not be written (the reason) or ``target`` already holds exactly ``data``
    (then it is not even touched)."""
    try:
        found = os.lstat(target)
    except OSError:
        found = None  # absent, or unreachable: writing it tells why
    if found is not None:
        if _holds(target, found, data):
            return None
        if not force:
            return f"{target}: exists and differs; use --force to overwrite"
        if not stat.S_ISREG(found.st_mode):
            return f"{target}: exists and is not a file; not replaced"
    try:
        batch.write(target, data)
    except OSError as exc:
        return f"{target}: cannot write: {exc.strerror or exc}"
    return None


def _holds(target: str, found: os.stat_result, data: bytes) -> bool:
    """Whether the existing ``target`` (``found`` by lstat) is a file (or a link to one)
    holding exactly ``data``."""
    try:
        if stat.S_ISLNK(found.st_mode):
            found = os.stat(target)
        if not stat.S_ISREG(found.st_mode) or found.st_size != len(data):
            return False
        with open(target, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _sync(files: list[str]) -> None:
    """Flush ``files`` to disk: one syncfs of their file system(s), else an fsync each
    (an fsync for a single file: a syncfs would also flush every other program's writes)."""
    syncfs = _syncfs()
    if syncfs is not None and len(files) > 1:
        devices: dict[int, str] = {}  # a file is on its folder's file system: one stat a folder
        for folder in {os.path.dirname(name) or os.curdir for name in files}:
            devices.setdefault(os.stat(folder).st_dev, folder)
        if all(_syncfs_ok(syncfs, folder) for folder in devices.values()):
            return
    for name in files:
        _fsync_path(name, os.O_RDONLY)


def _fsync_path(path: str, flags: int) -> None:
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _syncfs_ok(syncfs: Callable[[int], int], name: str) -> bool:
    fd = os.open(name, os.O_RDONLY)
    try:
        return syncfs(fd) == 0
    finally:
        os.close(fd)


_SYNCFS: list[Callable[[int], int] | None] = []  # memo: [the libc function or None]


def _syncfs() -> Callable[[int], int] | None:
    """Linux ``syncfs(2)``, or None where there is none (looked up in the running
    program's own symbols: no ``ldconfig`` run to find libc)."""
    if not _SYNCFS:
        try:
            _SYNCFS.append(ctypes.CDLL(None, use_errno=True).syncfs)
        except (OSError, AttributeError, TypeError):
            _SYNCFS.append(None)
    return _SYNCFS[0]
