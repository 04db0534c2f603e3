"""Files of a batch job named by path or fsspec URL (``file://``, ``s3://`` ... when installed).

Local paths and ``file://`` URLs are read and written directly (writes are atomic);
other protocols go through fsspec, so workers of a cluster can share object storage.
"""
from __future__ import annotations

import os
from typing import Any

from ..errors import InputError, OutputError
from ..xmlio import atomic_write

FILE_PREFIX = "file://"


def is_remote(url: str) -> bool:
    return "://" in url and not url.startswith(FILE_PREFIX)


def local_path(url: str) -> str:
    """The local path of a plain path or ``file://`` URL; other URLs are refused."""
    if url.startswith(FILE_PREFIX):
        return url[len(FILE_PREFIX):]
    if is_remote(url):
        raise InputError("this job reads local paths or file:// URLs (mount the storage on every worker)",
                         path=url)
    return url


def _fs(url: str) -> tuple[Any, str]:
    try:
        import fsspec
    except ImportError:
        raise InputError("reading URLs needs fsspec: pip install 'teikit[dask]'", path=url) from None
    try:
        return fsspec.core.url_to_fs(url)
    except (ImportError, ValueError) as exc:
        raise InputError(f"no filesystem for this URL: {exc}", path=url) from None


def read_bytes(url: str) -> bytes:
    try:
        if is_remote(url):
            fs, path = _fs(url)
            return fs.cat_file(path)
        with open(local_path(url), "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=url) from None


def read_if_exists(url: str) -> bytes | None:
    """The bytes of ``url``, or None when nothing (or not a file) is there."""
    if is_remote(url):
        fs, path = _fs(url)
        return fs.cat_file(path) if fs.isfile(path) else None
    path = local_path(url)
    if os.path.islink(path) or not os.path.isfile(path):
        return None
    with open(path, "rb") as handle:
        return handle.read()


def exists(url: str) -> bool:
    if is_remote(url):
        fs, path = _fs(url)
        return fs.exists(path)
    return os.path.lexists(local_path(url))


def write_bytes(url: str, data: bytes) -> None:
    """Write ``data`` to ``url`` whole (atomically where the filesystem allows)."""
    try:
        if is_remote(url):
            fs, path = _fs(url)
            fs.pipe_file(path, data)
        else:
            atomic_write(local_path(url), data)
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", path=url) from None
