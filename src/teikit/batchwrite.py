"""Durable output files written in batches, with one disk flush per batch.

A batch's outputs are first written to temporaries beside them (:meth:`Batch.write`,
not flushed); :meth:`Batch.commit` then flushes the file system once (``syncfs``;
where it is missing, one ``fsync`` per file), renames every temporary over its
target and flushes the targets' folders.  ``teikit convert`` commits on a thread of
its own (:class:`Committer`), in the process that schedules the work, while the
workers (or that same process, with ``-j 1``) convert the next batches.

Guaranteed: a name never shows a partial file (a reader sees the old file or the
whole new one); a file is on disk before its name points to it; when a batch is
committed its outputs and their names are on disk.  A crash may lose the outputs
not yet committed (their temporaries are removed by the next run).

A whole folder (a site, a bag) is put in place by :func:`install_folder`: flushed
first, then swapped with the old one, which is removed only once the swap is on disk.
"""
from __future__ import annotations

import ctypes
import errno
import itertools
import os
import stat
import threading
from types import TracebackType
from typing import Callable, Generic, Iterable, TypeVar

from .outputs import old_folder_name, temp_name

#: Linux renameat2(2): the current folder as the base of a relative path; swap the two names
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2

OPEN_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
NEW_FILE_MODE = 0o666   # less the umask, applied by open(): what any other tool's files get

_serial = itertools.count()  # temporaries of one process differ by this number

Tag = TypeVar("Tag")


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

    def __init__(self, pending: Iterable[tuple[str, str]] = ()) -> None:
        self._pending: list[tuple[str, str]] = list(pending)   # (temporary, target)

    def __len__(self) -> int:
        return len(self._pending)

    @property
    def pending(self) -> list[tuple[str, str]]:
        """(temporary, target) of each output written and not yet committed."""
        return list(self._pending)

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


class Committer(Generic[Tag]):
    """Commits batches on a thread of its own, in the order they are given, so that the disk
    flushes while the caller goes on converting.  The batches that arrive while a commit runs
    are committed together by the next one: one flush for all of them.

    Use it as a context manager: leaving the block (an error, an interruption) lets the commit
    under way finish and removes the temporaries of the batches not committed.
    """

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._queued: list[tuple[Batch, Tag]] = []
        self._committed: list[tuple[Tag, dict[str, str]]] = []
        self._busy = False                        # a commit is under way
        self._closing = False
        self._failure: BaseException | None = None  # a bug in the thread, raised to the caller
        self._thread = threading.Thread(target=self._run, name="teikit-commit", daemon=True)

    def __enter__(self) -> Committer[Tag]:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        with self._changed:
            self._closing = True
            self._changed.notify_all()
        self._thread.join()
        for batch, _ in self._queued:
            batch.discard()
        self._queued.clear()

    def put(self, batch: Batch, tag: Tag) -> None:
        """Commit ``batch`` after those given before; ``tag`` comes back with its failures."""
        with self._changed:
            self._queued.append((batch, tag))
            self._changed.notify_all()

    def take(self, wait: bool = False) -> list[tuple[Tag, dict[str, str]]]:
        """The batches committed since the last call, in order, each with the message of
        each target that could not be committed; with ``wait``, once every batch is."""
        with self._changed:
            while wait and (self._queued or self._busy) and self._failure is None:
                self._changed.wait()
            if self._failure is not None:
                raise self._failure
            committed, self._committed = self._committed, []
            return committed

    def _run(self) -> None:
        while True:
            with self._changed:
                while not self._queued and not self._closing:
                    self._changed.wait()
                if self._closing:
                    return
                work, self._queued = self._queued, []
                self._busy = True
            try:
                failed = Batch(pair for batch, _ in work for pair in batch.pending).commit()
            except BaseException as exc:  # not an OSError (those are failures): hand it over
                for batch, _ in work:
                    batch.discard()
                with self._changed:
                    self._failure, self._busy = exc, False
                    self._changed.notify_all()
                return
            with self._changed:
                self._committed.extend(
                    (tag, {target: failed[target] for _, target in batch.pending if target in failed})
                    for batch, tag in work)
                self._busy = False
                self._changed.notify_all()


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


def install_folder(staging: str, target: str) -> None:
    """Put the complete folder ``staging`` (beside ``target``) in place of ``target``, durably.

    Its files and folders are flushed before it takes the name; an old ``target`` is
    removed only once the new folder holds the name and that is flushed too.  Until then
    any failure leaves the old folder under its name: the two names are swapped in one
    step (Linux ``renameat2(RENAME_EXCHANGE)``); elsewhere the old folder is first moved
    to :func:`~teikit.outputs.old_folder_name`, put back on an error, and put back by the
    next run if this one is killed between the two renames.  Raises OSError.
    """
    _sync([os.path.join(top, name) for top, folders, files in os.walk(staging)
           for name in [*folders, *files]] + [staging])
    parent = os.path.dirname(target) or os.curdir
    if not os.path.lexists(target):
        os.rename(staging, target)
        _fsync_path(parent, os.O_RDONLY)
        return
    if _exchange(staging, target):
        old = staging  # now the old folder's name
    else:
        old = os.path.join(parent, old_folder_name(target))
        os.rename(target, old)
        try:
            os.rename(staging, target)
        except BaseException:
            os.rename(old, target)
            raise
    _fsync_path(parent, os.O_RDONLY)
    import shutil  # here: loading it costs every command ~3 ms of start-up
    shutil.rmtree(old, ignore_errors=True)  # a leftover is a temporary: the next run removes it


def _exchange(first: str, second: str) -> bool:
    """Swap the names ``first`` and ``second`` in one step; False where the system or the
    file system cannot (then nothing changed)."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError, TypeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(error, os.strerror(error), second)


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
