"""Finding input files: named files, folders of files, and glob patterns."""
from __future__ import annotations

import glob
import os
import re
from pathlib import Path
from typing import Iterable

from .errors import InputError

PathArg = str | os.PathLike[str]
GLOB_CHARS = re.compile(r"[*?[]")


def natural_key(path: Path) -> list[object]:
    """Sort key putting ``d9`` before ``d10``."""
    return [int(tok) if tok.isdigit() else tok for tok in re.split(r"(\d+)", path.name)]


def expand_paths(paths: Iterable[PathArg], suffix: str = ".xml", *,
                 recursive: bool = False) -> list[Path]:
    """The files named, the ``*suffix`` files of the folders named (natural order; with
    ``recursive``, of their sub-folders too, hidden ones skipped) and the matches of glob
    patterns, each file once.

    Raises :class:`InputError` for a path that does not exist, a folder or pattern
    that gives no file, and for no input at all.
    """
    found: list[Path] = []
    for item in paths:
        name = os.fspath(item)
        path = Path(name)
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
                     for f in (_files_under(m, suffix, recursive) if m.is_dir() else [m])]
            if not files:
                raise InputError("no file matches this pattern", path=name)
            found.extend(files)
        else:
            raise InputError("no such file or folder", path=name)
    unique: dict[str, Path] = {}
    real_folders: dict[str, str] = {}
    for path in found:
        unique.setdefault(_real_path(path, real_folders), path)
    if not unique:
        raise InputError("no input files given")
    return list(unique.values())


def _real_path(path: Path, real_folders: dict[str, str]) -> str:
    """``os.path.realpath(path)``, with each folder resolved once (``real_folders``): a file
    that is not a symbolic link is its real folder + its name (one ``lstat``, not one per level)."""
    folder, name = os.path.split(os.fspath(path))
    if name in ("", ".", "..") or os.path.islink(path):
        return os.path.realpath(path)
    real = real_folders.get(folder)
    if real is None:
        real = real_folders[folder] = os.path.realpath(folder or ".")
    return os.path.join(real, name)


def _files_under(folder: Path, suffix: str, recursive: bool) -> list[Path]:
    """``*suffix`` files of a folder (and of its sub-folders, hidden ones skipped).

    A dangling symbolic link is listed like a file, so the command reading it reports
    it ("cannot read") instead of silently leaving a document out.
    """
    if not recursive:
        return sorted((p for p in folder.glob(f"*{suffix}") if p.is_file() or p.is_symlink()),
                      key=natural_key)
    out: list[Path] = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted((d for d in dirs if not d.startswith(".")), key=lambda d: natural_key(Path(d)))
        out.extend(sorted((Path(root, n) for n in names if n.lower().endswith(suffix)),
                          key=natural_key))
    return out
