"""An SQLite FTS5 full-text index of a corpus, built by ``teikit index``.

One row per page text and per note, with the document, volume, page and note
number to cite.  The query language is the one of :mod:`teikit.query.search`
(words and ``"phrases"``, all required), translated to an FTS5 expression, so
an indexed search finds the same hits as :meth:`teikit.Corpus.search`.
The index remembers each source file's size and modification time and
:func:`stale_sources` reports the ones changed since.
"""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Optional, Union

from .._version import __version__
from ..errors import InputError, TeikitError
from ..outputs import OutputGuard, make_temp_file
from ..xmlio import atomic_write
from .corpus import Corpus, Hit
from .search import Query

SCHEMA_VERSION = "1"


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


def build_index(corpus: Corpus, path: Union[str, os.PathLike]) -> int:
    """Write the index of ``corpus`` to ``path`` (atomically, replacing it); return the row count."""
    require_fts5()
    OutputGuard(f.path for f in corpus.files if f.path is not None).check(path)  # never over an input
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = make_temp_file(target)
    try:
        rows = _fill(corpus, scratch)
        atomic_write(target, scratch.read_bytes())
    finally:
        scratch.unlink(missing_ok=True)
    return rows


def _fill(corpus: Corpus, scratch: Path) -> int:
    connection = sqlite3.connect(scratch)
    try:
        connection.executescript(
            """
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
        paths = sorted({str(f.path) for f in corpus.files if f.path is not None})
        connection.executemany(
            "INSERT INTO sources VALUES (?, ?, ?)",
            [(p, os.stat(p).st_size, os.stat(p).st_mtime_ns) for p in paths],
        )
        rows = [
            (doc.id, doc.number, doc.volume, page.n, kind,
             note.n if note is not None else None, str(doc.path) if doc.path else None, text)
            for doc, (kind, page, note, text) in corpus.search_units()
        ]
        connection.executemany("INSERT INTO units VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        connection.commit()
    finally:
        connection.close()
    return len(rows)


def _open(path: Union[str, os.PathLike]) -> sqlite3.Connection:
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


def search_index(path: Union[str, os.PathLike], query: str, limit: Optional[int] = None) -> list[Hit]:
    """Hits for ``query`` from the index at ``path``, in corpus order."""
    parsed = Query.parse(query)
    if not parsed:
        return []
    connection = _open(path)
    try:
        sql = ("SELECT document_id, document_number, volume, page, kind, note, path, text "
               "FROM units WHERE units MATCH ? ORDER BY rowid")
        params: list[object] = [parsed.fts5()]
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        rows = connection.execute(sql, params).fetchall()
    finally:
        connection.close()
    hits = []
    for doc_id, number, volume, page, kind, note, source, text in rows:
        # FTS5 phrase matching ignores case and accents like Query, but also punctuation
        # inside a phrase the same way; a final check keeps both searches identical
        if parsed.matches(text):
            hits.append(Hit(doc_id, number, volume, page, kind, note, parsed.snippet(text), source))
    return hits


def stale_sources(path: Union[str, os.PathLike]) -> list[str]:
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


__all__ = ["build_index", "search_index", "stale_sources", "require_fts5"]
