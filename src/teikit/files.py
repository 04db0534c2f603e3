"""Finding input files: named files, folders of files, and glob patterns."""
from __future__ import annotations

import glob
import os
import re
import stat
from pathlib import Path
from typing import Iterable, Iterator

from .errors import InputError, check_type

PathArg = str | os.PathLike[str]
GLOB_CHARS = re.compile(r"[*?[]")


class RealPaths:
    """``os.path.realpath`` for many files of few folders: each folder is resolved once and
    remembered, so a file costs one ``lstat`` (is it a link?) instead of one per component."""

    def __init__(self) -> None:
        self._known: dict[str, str] = {}    # path as given -> its real path (files and folders)

    def __call__(self, path: PathArg) -> str:
        name = os.fspath(path)
        real = self._known.get(name)
        if real is None:
            real = self._known[name] = self._resolve(name)
        return real

    def listed(self, path: PathArg, is_link: bool) -> str:
        """The real path of a file whose folder's listing told whether it is a link
        (:func:`walk_files`, an output guard's): no ``lstat``, and not remembered (each file is
        asked about once; its folder is)."""
        return self._resolve(os.fspath(path), is_link)

    def _resolve(self, name: str, is_link: bool | None = None) -> str:
        """The real path of ``name`` from its folder's (``name`` itself when it is real already:
        one string, not two equal ones); ``is_link``: whether it is a symbolic link, when the
        caller knows (else the system is asked)."""
        folder, base = os.path.split(name)
        if base in ("", ".", ".."):
            real = os.path.realpath(name)
        else:
            real = os.path.join(self(folder or os.curdir), base)
            if is_link is None:
                is_link = os.path.islink(real)
            if is_link:
                real = os.path.realpath(real)
        return name if real == name else real


def natural_key(path: Path) -> list[object]:
    """Sort key putting ``d9`` before ``d10``."""
    return natural_name_key(path.name)


def natural_name_key(name: str) -> list[object]:
    """:func:`natural_key` of a file name."""
    return [int(tok) if tok.isdigit() else tok for tok in _DIGITS.split(name)]


_DIGITS = re.compile(r"(\d+)")


class ListedFiles(list[Path]):
    """Files :func:`expand_paths` found (or a command kept of them): given to it again, they are
    not looked for again.  A command lists its inputs once and passes the list on (a corpus has
    hundreds of thousands of files: a second listing would cost a ``stat`` and a ``Path`` each)."""


def expand_paths(paths: PathArg | Iterable[PathArg], suffix: str = ".xml", *,
                 recursive: bool = True, real_path: RealPaths | None = None) -> ListedFiles:
    """The files named, the ``*suffix`` files of the folders named and of their sub-folders
    (natural order, hidden folders skipped; only the folder's own with ``recursive=False``)
    and the matches of glob patterns, each file once.  Every command reads a folder so:
    ``convert DIR -o OUT`` keeps DIR's sub-folders, and what reads OUT must not leave them out.

    Raises :class:`InputError` for a path that does not exist, a folder or pattern that
    gives no file, a folder that cannot be listed, a FIFO, socket or device found in a folder
    or by a pattern (opening a FIFO waits for a writer: the run would hang; one named on the
    command line, such as ``<(command)``, is read), and for no input at all.  ``real_path``
    tells when two names are one file (pass one to reuse its answers later, e.g. in an
    output guard).  ``paths`` is one path or several; a :class:`ListedFiles` comes back as it is.
    """
    if isinstance(paths, ListedFiles):
        return paths
    if isinstance(paths, (str, bytes, os.PathLike)):  # one path: its characters are not paths
        paths = [paths]
    found: list[Path] = []
    for item in paths:
        check_type("a path", item, (str, os.PathLike), "decode a bytes path with os.fsdecode()")
        name = os.fspath(item)
        path = item if isinstance(item, Path) else Path(name)
        if path.is_dir():
            files = _files_under(path, suffix, recursive)
            if not files:
                raise InputError(f"no {suffix} files in this folder", path=name)
            found.extend(files)
        elif path.exists() or path.is_symlink():  # a dangling link: its reader reports it
            found.append(path)
        elif GLOB_CHARS.search(name):
            matches = sorted((Path(m) for m in glob.glob(name, recursive=True)), key=natural_key)
            files = [f for m in matches
                     for f in (_files_under(m, suffix, recursive) if m.is_dir() else [_found(m)])]
            if not files:
                raise InputError("no file matches this pattern", path=name)
            found.extend(files)
        else:
            raise InputError("no such file or folder", path=name)
    unique: dict[str, Path] = {}
    real_path = real_path or RealPaths()
    for path in found:
        unique.setdefault(real_path(path), path)
    if not unique:
        raise InputError("no input files given")
    return ListedFiles(unique.values())


def _files_under(folder: Path, suffix: str, recursive: bool) -> list[Path]:
    """``*suffix`` files of a folder (and of its sub-folders, hidden ones skipped).

    A dangling symbolic link is listed like a file, so the command reading it reports
    it ("cannot read") instead of silently leaving a document out.
    """
    if not recursive:
        return sorted((_found(p) for p in folder.glob(f"*{suffix}") if not p.is_dir()), key=natural_key)
    return [Path(root, name) for root, names, _ in walk_files(folder, suffix) for name in names]


def _found(path: PathArg) -> Path:
    """``path``, found in a folder or by a pattern, unless it is a FIFO, a socket or a device
    (also through a link): :class:`InputError`.  A dangling link passes: its reader reports it."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return Path(path)
    kind = ("a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else None)
    if kind is not None:
        raise InputError(f"not a regular file ({kind}): teikit reads only the regular files it "
                         "finds (name it on the command line to read it)", path=os.fspath(path))
    return Path(path)


def walk_files(folder: PathArg, suffix: str) -> Iterator[tuple[str, list[str], set[str]]]:
    """The ``*suffix`` files of ``folder`` and of its sub-folders as :func:`expand_paths` lists
    them, a folder at a time: (the folder, as ``os.walk`` names it; its files' names in natural
    order; those of them that are symbolic links, told by the listing without an ``lstat`` each).

    Folders top-down, sub-folders in natural order, hidden ones skipped, links to folders
    not followed, as ``os.walk`` does; but a folder that cannot be listed raises
    :class:`InputError` (``os.walk`` skips it: its documents would be left out silently), and
    so does a file that is not a regular file (:func:`_found`).  Names only, no ``Path`` per
    file: a corpus has hundreds of thousands.
    """
    pending = [os.fspath(folder)]
    while pending:
        root = pending.pop()
        try:
            with os.scandir(root) as listing:
                entries = list(listing)
        except OSError as exc:
            raise InputError(f"cannot list this folder: {exc.strerror or exc}", path=root) from None
        folders: list[str] = []
        names: list[str] = []
        links: set[str] = set()
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                if not entry.name.startswith("."):
                    folders.append(entry.name)
            elif entry.name.lower().endswith(suffix):
                names.append(entry.name)
                if entry.is_symlink():
                    links.add(entry.name)
                    _found(entry.path)
                elif not entry.is_file(follow_symlinks=False):  # the listing's file type: no stat
                    _found(entry.path)
        names.sort(key=natural_name_key)
        yield root, names, links
        folders.sort(key=natural_name_key)
        pending.extend(path for path in (os.path.join(root, name) for name in reversed(folders))
                       if not os.path.islink(path))
