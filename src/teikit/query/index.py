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
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple

from .._version import __version__
from ..errors import InputError, OutputError, TeikitError
from ..files import RealPaths, expand_paths
from ..outputs import OutputGuard, file_mode, make_temp_file
from ..progress import ProgressCallback, notify
from ..batch.engine import BATCHES_PER_WORKER, run_batches
from .corpus import Corpus, Hit, units_of
from .document import Document, collector_paused, name_units, read_tei
from .pages import search_texts, walk
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

#: most files handed to a worker at a time: each hand-over costs the writer's process time (a
#: task of 64 small files instead of 8 halves what receiving the rows costs it)
_FILES_PER_TASK = 64
#: most bytes of XML in a task (a bigger file goes alone): the rows of a task are held in memory,
#: a few tasks a worker, so this bounds memory whatever the sizes of the files
_BYTES_PER_TASK = 1_000_000


@dataclass
class IndexStats:
    """What :func:`build_index` wrote."""

    rows: int = 0  # pages and notes
    units: int = 0  # documents and units of text outside them
    files: int = 0


def build_index(sources: Corpus | Iterable[str | os.PathLike[str]], path: str | os.PathLike[str],
                *, jobs: int | None = None, progress: ProgressCallback | None = None) -> IndexStats:
    """Write the index of ``sources`` (a Corpus, or TEI files/folders) to ``path``, atomically.

    Files are read by ``jobs`` processes (default: all cores): ``jobs - 1`` workers, which
    send the rows of each file to the single SQLite writer here, and this process, which
    reads files too while the next worker's rows are not ready (so the writer does not
    compete with as many workers as cores); memory holds a few files' rows at a time,
    whatever the number of files.  ``progress(n)`` is told as files are
    indexed (see :mod:`teikit.progress`).
    """
    require_fts5()
    real_path = RealPaths()  # each input resolved once, for the listing and the guard
    if isinstance(sources, Corpus):
        inputs: list[Path] = [f.path for f in sources.files if f.path is not None]
    else:
        inputs = expand_paths(sources, real_path=real_path)  # a listing is taken as it is
    OutputGuard(inputs, real_path=real_path).check(path)  # never over an input, from the Python API too
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = make_temp_file(target)
    try:
        with writing_index(target):
            connection = sqlite3.connect(scratch)
            try:
                _create(connection)
                stats = IndexStats()
                if isinstance(sources, Corpus):  # read already
                    for doc in sources.files:
                        _insert_file(connection, stats, _rows_of(doc, os.stat(str(doc.path))))
                    notify(progress, len(sources.files))
                else:
                    for batch in run_batches(_read_files, _tasks(inputs, jobs), jobs=jobs, progress=progress,
                                             caller_works=True):
                        _insert_files(connection, stats, batch)
                connection.commit()
            finally:
                connection.close()
        os.chmod(scratch, file_mode())  # the umask's permissions, like any other tool's files
        os.replace(scratch, target)
    finally:
        scratch.unlink(missing_ok=True)
    return stats


@contextmanager
def writing_index(target: Path) -> Iterator[None]:
    """SQLite's errors while an index is written (a full disk, a file size limit) as an
    :class:`OutputError` naming the index, not an internal error."""
    try:
        yield
    except sqlite3.Error as exc:
        raise OutputError(f"cannot write the index: {exc}", path=str(target)) from None


#: SQLite page size of the index, in bytes: FTS5's segments go to fewer, larger pages (measured: about
#: a sixth less of the writer's CPU than the default 4096 for 5,000 files)
_PAGE_SIZE = 8192
#: bytes of new terms FTS5 gathers in memory before it writes them as a segment (its own default is
#: 1 MB): fewer segments to write and merge, about a quarter less of the writer's CPU, and a bound on
#: the memory it takes whatever the number of files
_PENDING_TERMS_BYTES = 8 * 1024 * 1024


def _create(connection: sqlite3.Connection) -> None:
    connection.executescript(
        f"""
        PRAGMA page_size = {_PAGE_SIZE};
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
    try:  # an FTS5 setting of how it writes (kept in the index, where searches never read it)
        connection.execute("INSERT INTO units(units, rank) VALUES ('hashsize', ?)", (_PENDING_TERMS_BYTES,))
    except sqlite3.OperationalError:
        pass  # an SQLite without the setting writes the same index, more slowly


def _insert_file(connection: sqlite3.Connection, stats: IndexStats, file: FileRows) -> None:
    """Insert the rows and the version of one file and count them in ``stats``."""
    _insert_files(connection, stats, [file])


def _insert_files(connection: sqlite3.Connection, stats: IndexStats, files: list[FileRows]) -> None:
    """Insert the rows and the versions of a few files, in order, and count them in ``stats``
    (one statement run for the rows of all: the writer's time per call is spared per file)."""
    connection.executemany("INSERT OR REPLACE INTO sources VALUES (?, ?, ?)",
                           [(file.source, file.size, file.mtime_ns) for file in files])
    connection.executemany("INSERT INTO units VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           [row for file in files for row in file.rows])
    stats.rows += sum(len(file.rows) for file in files)
    stats.units += sum(file.units for file in files)
    stats.files += len(files)


def read_file_rows(path: str | os.PathLike[str]) -> FileRows:
    """Read one file and make its index rows (in a worker): the rows of :func:`_rows_of` for its
    Document, made from the walk's records without building the model.

    The walk's records hold no reference cycle, so they are all freed, with the collector
    paused, before the rows are returned: the collector never scans them.  The size and
    modification time recorded are read before the file is, so that a change made to it while
    it is indexed shows as stale (see :func:`stale_sources`).
    """
    try:
        stat: os.stat_result | None = os.stat(path)
    except OSError:
        stat = None  # read_tei() says why the file cannot be read
    path = path if isinstance(path, Path) else Path(path)  # a Path made again is parsed again
    root = read_tei(path).getroot()
    source = str(path)
    with collector_paused():
        units = walk(root, passages=False)  # page and note texts only
        names, _ = name_units(root, path, units)
        rows: list[Row] = [
            (name.id, name.number, name.volume, unit.pages[page].n, kind,
             note.element.get("n") if note is not None else None, source, text)
            for unit, name in zip(units, names) for kind, page, note, text in search_texts(unit)
        ]
        count = len(units)
        del units  # freed here, while the collector is paused
    stat = stat or os.stat(path)
    return FileRows(source, stat.st_size, stat.st_mtime_ns, rows, count)


def _rows_of(doc: Document, stat: os.stat_result) -> FileRows:
    """The index rows of one loaded file: one row per page text and note of each of its units
    (those of :func:`read_file_rows` for the file)."""
    rows = [
        (unit.id, unit.number, unit.volume, page.n, kind, note.n if note is not None else None,
         str(unit.path) if unit.path else None, text)
        for unit in doc.units for _, (kind, page, note, text) in units_of(unit)
    ]
    return FileRows(str(doc.path), stat.st_size, stat.st_mtime_ns, rows, len(doc.units))


def _read_files(paths: list[Path]) -> list[FileRows]:
    """Worker: load and turn into rows a few files (errors travel back as InputError)."""
    return [read_file_rows(path) for path in paths]


def _tasks(files: list[Path], jobs: int | None) -> list[list[Path]]:
    """``files`` cut, in order, into the tasks of the workers: at most :data:`_FILES_PER_TASK`
    files and about :data:`_BYTES_PER_TASK` of XML each, and a few tasks a worker at least, so
    that no worker is left idle while another reads a long task."""
    workers = jobs or os.cpu_count() or 1
    most = max(1, min(_FILES_PER_TASK, len(files) // (workers * BATCHES_PER_WORKER)))
    tasks: list[list[Path]] = []
    size = 0
    for file in files:
        try:
            file_size = os.path.getsize(file)
        except OSError:
            file_size = 0  # the worker says why it cannot be read
        if not tasks or len(tasks[-1]) >= most or size + file_size > _BYTES_PER_TASK:
            tasks.append([])
            size = 0
        tasks[-1].append(file)
        size += file_size
    return tasks


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
