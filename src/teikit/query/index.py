"""An SQLite FTS5 full-text index of a corpus, built by ``teikit index``.

One row per page text and per note of every unit (documents and the text outside
them), with the document, volume, page and note number to cite.  The query
language is the one of :mod:`teikit.query.search` (words and ``"phrases"``, all
required), translated to an FTS5 expression, so an indexed search finds the same
pages and notes as :meth:`teikit.Corpus.search`; its snippets come from FTS5's
``snippet()``.
The index remembers each source file's size and modification time and
:func:`stale_sources` reports the ones changed since.
"""
from __future__ import annotations

import functools
import os
import sqlite3
from collections import deque
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, NamedTuple

from .._version import __version__
from ..errors import InputError, TeikitError
from ..files import expand_paths
from ..outputs import OutputGuard, file_mode, make_temp_file
from ..progress import ProgressCallback, notify
from ..workers import local_pool
from .corpus import Corpus, Hit, units_of
from .document import Document, load
from .search import Query

SCHEMA_VERSION = "1"


@functools.lru_cache(maxsize=None)  # the answer does not change while Python runs
def require_fts5() -> None:
    """Raise a clear error when this Python's sqlite3 lacks the FTS5 extension."""
    connection = sqlite3.connect(":memory:")
    try:
        connection.execute("CREATE VIRTUAL TABLE probe USING fts5(x)")
    except sqlite3.OperationalError:
        raise TeikitError(
            f"the SQLite library of this Python ({sqlite3.sqlite_version}) has no FTS5; "
            "search without an index (teikit search QUERY PATH...) or use a Python built with FTS5"
        ) from None
    finally:
        connection.close()


Row = tuple[str | None, str | None, str | None, str | None, str, str | None, str | None, str]


class FileRows(NamedTuple):
    """The index rows of one file, and the size and modification time of the version they were read from."""

    source: str
    size: int
    mtime_ns: int
    rows: list[Row]
    units: int  # documents and units of text outside them

#: files handed to each worker at a time: big enough to amortise the hand-over, small to stay bounded
_FILES_PER_TASK = 8
#: tasks in flight per worker: keeps every core busy while at most this many results wait in memory
_TASKS_IN_FLIGHT_PER_WORKER = 2


@dataclass
class IndexStats:
    """What :func:`build_index` wrote."""

    rows: int = 0  # pages and notes
    units: int = 0  # documents and units of text outside them
    files: int = 0


def build_index(sources: Corpus | Iterable[str | os.PathLike[str]], path: str | os.PathLike[str],
                *, jobs: int | None = None, progress: ProgressCallback | None = None) -> IndexStats:
    """Write the index of ``sources`` (a Corpus, or TEI files/folders) to ``path``, atomically.

    Files are read by ``jobs`` worker processes (default: all cores); each sends the
    rows of one file to the single SQLite writer here, so memory holds a few files'
    rows at a time, whatever the number of files.  ``progress(n)`` is told as files are
    indexed (see :mod:`teikit.progress`).
    """
    require_fts5()
    if isinstance(sources, Corpus):
        inputs: list[Path] = [f.path for f in sources.files if f.path is not None]
    else:
        inputs = expand_paths(list(sources))
    OutputGuard(inputs).check(path)  # never over an input, from the Python API too
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = make_temp_file(target)
    try:
        connection = sqlite3.connect(scratch)
        try:
            _create(connection)
            if isinstance(sources, Corpus):
                batches: Iterable[list[FileRows]] = [[_rows_of(f, os.stat(str(f.path))) for f in sources.files]]
            else:
                batches = _read_in_workers(inputs, jobs)
            stats = IndexStats()
            for batch in batches:
                for file in batch:
                    _insert_file(connection, stats, file)
                notify(progress, len(batch))
            connection.commit()
        finally:
            connection.close()
        os.chmod(scratch, file_mode())  # the umask's permissions, like any other tool's files
        os.replace(scratch, target)
    finally:
        scratch.unlink(missing_ok=True)
    return stats


def _create(connection: sqlite3.Connection) -> None:
    connection.executescript(
        """
        PRAGMA journal_mode = OFF;
        PRAGMA synchronous = OFF;
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
        CREATE TABLE sources (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER);
        CREATE VIRTUAL TABLE units USING fts5(
            document_id UNINDEXED, document_number UNINDEXED, volume UNINDEXED,
            page UNINDEXED, kind UNINDEXED, note UNINDEXED, path UNINDEXED, text,
            tokenize = 'unicode61 remove_diacritics 2'
        );
        """
    )
    connection.executemany("INSERT INTO meta VALUES (?, ?)",
                           [("schema", SCHEMA_VERSION), ("teikit", __version__)])


def _insert_file(connection: sqlite3.Connection, stats: IndexStats, file: FileRows) -> None:
    """Insert the rows and the version of one file and count them in ``stats``."""
    connection.execute("INSERT OR REPLACE INTO sources VALUES (?, ?, ?)", (file.source, file.size, file.mtime_ns))
    connection.executemany("INSERT INTO units VALUES (?, ?, ?, ?, ?, ?, ?, ?)", file.rows)
    stats.rows += len(file.rows)
    stats.units += file.units
    stats.files += 1


def read_file_rows(path: str | os.PathLike[str]) -> FileRows:
    """Load one file and make its index rows (in a worker).

    The size and modification time recorded are read before the file is, so that a
    change made to it while it is indexed shows as stale (see :func:`stale_sources`).
    """
    try:
        stat: os.stat_result | None = os.stat(path)
    except OSError:
        stat = None  # load() says why the file cannot be read
    doc = load(path)
    return _rows_of(doc, stat or os.stat(path))


def _rows_of(doc: Document, stat: os.stat_result) -> FileRows:
    """The index rows of one loaded file: one row per page text and note of each of its units."""
    rows = [
        (unit.id, unit.number, unit.volume, page.n, kind, note.n if note is not None else None,
         str(unit.path) if unit.path else None, text)
        for unit in doc.units for _, (kind, page, note, text) in units_of(unit)
    ]
    return FileRows(str(doc.path), stat.st_size, stat.st_mtime_ns, rows, len(doc.units))


def _read_files(paths: list[Path]) -> list[FileRows]:
    """Worker: load and turn into rows a few files (errors travel back as InputError)."""
    return [read_file_rows(path) for path in paths]


def _read_in_workers(files: list[Path], jobs: int | None) -> Iterator[list[FileRows]]:
    """Rows of ``files`` in order, read by worker processes, with a bounded number of results pending."""
    chunks = [files[i:i + _FILES_PER_TASK] for i in range(0, len(files), _FILES_PER_TASK)]
    workers = min(jobs or os.cpu_count() or 1, len(chunks))
    if workers <= 1:
        yield from map(_read_files, chunks)
        return
    pending: deque[Future[Any]] = deque()
    with local_pool(workers) as pool:
        try:
            for chunk in chunks:
                pending.append(pool.submit(_read_files, chunk))
                if len(pending) >= workers * _TASKS_IN_FLIGHT_PER_WORKER:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()


def _open(path: str | os.PathLike[str]) -> sqlite3.Connection:
    index = Path(path)
    if not index.is_file():
        raise InputError("no such index (build it with: teikit index PATH... -o INDEX)", path=str(index))
    require_fts5()
    connection = sqlite3.connect(f"file:{index}?mode=ro", uri=True)
    try:
        row = connection.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    except sqlite3.DatabaseError:
        connection.close()
        raise InputError("not a teikit index", path=str(index)) from None
    if row is None or row[0] != SCHEMA_VERSION:
        connection.close()
        raise InputError("index made by another teikit version; rebuild it with teikit index",
                         path=str(index))
    return connection


#: words of context FTS5's snippet() shows around the hit (about the 80 characters of an index-free snippet)
SNIPPET_WORDS = 14


def search_index(path: str | os.PathLike[str], query: str, limit: int | None = None) -> list[Hit]:
    """Hits for ``query`` from the index at ``path``, in corpus order; snippets made by SQLite.

    No row is tokenised again in Python: FTS5's ``unicode61`` tokenizer (diacritics
    removed) splits words as :func:`teikit.query.search.tokens` does, so a phrase
    matches the same consecutive words with and without the index.
    """
    parsed = Query.parse(query)
    if not parsed:
        return []
    sql = ("SELECT document_id, document_number, volume, page, kind, note, path, "
           f"snippet(units, 7, '', '', '…', {SNIPPET_WORDS}) "
           "FROM units WHERE units MATCH ? ORDER BY rowid")
    params: list[object] = [parsed.fts5()]
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    connection = _open(path)
    try:
        rows = connection.execute(sql, params).fetchall()
    finally:
        connection.close()
    return [Hit(doc_id, number, volume, page, kind, note, " ".join(snippet.split()), source)
            for doc_id, number, volume, page, kind, note, source, snippet in rows]


def stale_sources(path: str | os.PathLike[str]) -> list[str]:
    """Source files of the index that changed or disappeared since it was built."""
    connection = _open(path)
    try:
        rows = connection.execute("SELECT path, size, mtime_ns FROM sources").fetchall()
    finally:
        connection.close()
    stale = []
    for source, size, mtime_ns in rows:
        try:
            stat = os.stat(source)
        except OSError:
            stale.append(source)
            continue
        if stat.st_size != size or stat.st_mtime_ns != mtime_ns:
            stale.append(source)
    return stale


__all__ = ["IndexStats", "build_index", "search_index", "stale_sources", "require_fts5"]
