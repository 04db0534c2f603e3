"""Writing export outputs without losing anything.

* an existing output is never replaced unless ``force`` is given;
* every file is written atomically (:func:`teikit.xmlio.atomic_write`);
* after writing, the file is read back and its SHA-256 compared with the
  digest of the bytes meant to be written.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Iterable, Union

from ..errors import OutputError
from ..xmlio import atomic_write

Data = Union[bytes, str]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_targets(paths: Iterable[os.PathLike | str], *, force: bool) -> None:
    """Refuse (before anything is written) when an output exists and ``force`` is false."""
    for path in paths:
        target = Path(path)
        if target.exists() or target.is_symlink():
            if not force:
                raise OutputError("output exists; use --force to replace it", path=str(target))
            if target.is_dir() and not target.is_symlink():
                raise OutputError("output is a directory; it would not be replaced by a file",
                                  path=str(target))


def write_verified(path: os.PathLike | str, data: Data, *, force: bool = False) -> str:
    """Write ``data`` atomically to ``path``, re-read it and check its SHA-256; return the digest."""
    target = Path(path)
    check_targets([target], force=force)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    expected = sha256(payload)
    try:
        atomic_write(target, payload)
        actual = sha256(target.read_bytes())
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", path=str(target)) from None
    if actual != expected:
        raise OutputError(f"checksum mismatch after writing (sha256 {actual} != {expected})",
                          path=str(target))
    return expected


def write_all(outputs: dict[Path, Data], *, force: bool = False) -> dict[Path, str]:
    """Write several files: all targets are checked first, so a refusal writes nothing."""
    check_targets(outputs, force=force)
    return {path: write_verified(path, data, force=force) for path, data in outputs.items()}
