"""Build the FTS5 index of ``teikit index`` from per-partition databases, on the local pool or Dask.

Each task reads one batch of files into an SQLite database of its own and sends it back
whole; partitions are merged into the one FTS5 index in batch order, so its rows, and
therefore every search's hits and their order, are those of a local build.  A partition
holds its rows in a plain table with the columns of the index's ``units``: SQLite cannot
merge FTS5 indexes, the merge tokenizes every row again, so an FTS5 index built in the
partition would be work thrown away (and bytes sent for nothing).  A bad file stops the
build before the index is written, naming the file, as locally.
"""
from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path
from typing import Any, Sequence

from ..errors import InputError, TeikitError
from ..files import RealPaths, expand_paths
from ..outputs import OutputGuard, file_mode, make_temp_file
from ..query.index import IndexStats, _create, _insert_file, read_file_rows, require_fts5, writing_index
from . import storage
from .engine import Progress, batches, run_batches


#: a partition: the index's ``sources`` and its ``units`` columns (see teikit.query.index), not indexed
_PARTITION_SCHEMA = """
    PRAGMA journal_mode = OFF;
    PRAGMA synchronous = OFF;
    CREATE TABLE sources (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER);
    CREATE TABLE units (document_id, document_number, volume, page, kind, note, path, text);
"""


def index_batch(files: Sequence[str]) -> tuple[bytes, IndexStats] | InputError:
    """Worker: the partition database (as bytes) of ``files`` and what it holds, or why a file cannot be read."""
    try:
        return _index_files(files)
    except TeikitError as exc:  # sent back as a value: the parser's error log it carries does not pickle
        message, path, line = exc.message, exc.path, exc.line
    return InputError(message, path=path, line=line)


def _index_files(files: Sequence[str]) -> tuple[bytes, IndexStats]:
    stats = IndexStats()
    handle, scratch = tempfile.mkstemp(prefix="teikit-part-", suffix=".sqlite")
    os.close(handle)
    try:
        connection = sqlite3.connect(scratch)
        try:
            connection.executescript(_PARTITION_SCHEMA)
            for file in files:
                _insert_file(connection, stats, read_file_rows(file))
            connection.commit()
        finally:
            connection.close()
        return Path(scratch).read_bytes(), stats
    finally:
        os.unlink(scratch)


def build_index(paths: Sequence[str | os.PathLike[str]], output: str | os.PathLike[str], *,
                client: Any = None, jobs: int | None = None, progress: Progress = None) -> IndexStats:
    """Write the index of the TEI files under ``paths`` to ``output`` (atomically), like
    :func:`teikit.query.index.build_index`, the files read by ``client``'s cluster or the local pool."""
    require_fts5()
    real_path = RealPaths()  # each input resolved once, for the listing and the guard
    files = [str(f) for f in expand_paths([storage.local_path(os.fspath(p)) for p in paths], real_path=real_path)]
    OutputGuard(files, real_path=real_path).check(output)
    target = Path(output)
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = make_temp_file(target)
    part: Path | None = None
    stats = IndexStats()
    try:
        part = make_temp_file(target)  # in the try: if it cannot be made, scratch is removed
        with writing_index(target):
            connection = sqlite3.connect(scratch)
            try:
                _create(connection)
                for outcome in run_batches(index_batch, batches(files, client, jobs),
                                           client=client, jobs=jobs, progress=progress):
                    if isinstance(outcome, InputError):
                        raise outcome
                    data, part_stats = outcome
                    part.write_bytes(data)
                    _merge(connection, part)
                    stats.rows += part_stats.rows
                    stats.units += part_stats.units
                    stats.files += part_stats.files
                connection.commit()
            finally:
                connection.close()
        os.chmod(scratch, file_mode())
        os.replace(scratch, target)
    finally:
        scratch.unlink(missing_ok=True)
        if part is not None:
            part.unlink(missing_ok=True)
    return stats


def _merge(connection: sqlite3.Connection, part: Path) -> None:
    """Append the rows and sources of the partition database ``part``, in its row order."""
    connection.execute("ATTACH DATABASE ? AS part", (str(part),))
    try:
        connection.execute("INSERT INTO units SELECT * FROM part.units ORDER BY rowid")
        connection.execute("INSERT OR REPLACE INTO sources SELECT * FROM part.sources")
        connection.commit()
    finally:
        connection.execute("DETACH DATABASE part")
