"""Full-text search for the reading site over the SQLite FTS5 index of :mod:`teikit.query.index`.

With ``--index FILE`` that index is used as it is.  Without one, ``teikit serve``
builds an index of the served files in a background thread (:func:`build_in_background`)
into a temporary file, so the server starts at once; the index file appears,
complete, when it is ready (it is written atomically), and until then the search page
says so (HTTP 503).  Worker processes share that file.

Snippets come from FTS5 itself (C, not a Python loop over the hit texts, which is
what :func:`teikit.query.index.search_index` does and what made it too slow for 20
concurrent readers); a phrase must still match as :meth:`teikit.Corpus.search` would,
so a hit FTS5 finds only by ignoring punctuation inside a phrase is dropped.
"""
from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..errors import TeikitError
from ..query import Corpus
from ..query.index import SCHEMA_VERSION, build_index
from ..query.search import Query

MARK_START, MARK_END = "\x02", "\x03"  # FTS5 highlight markers, turned into <mark> when rendering
SNIPPET_TOKENS = 24  # words of context around the first match


@dataclass(frozen=True)
class Found:
    """A hit: which document, page and note, and a snippet with marked matches."""

    path: str | None
    document_id: str | None
    page: str | None
    kind: str
    note: str | None
    snippet: str

    @property
    def citation_suffix(self) -> str:
        where = f"p. {self.page}" if self.page else "unnumbered page"
        return f"{where}, note {self.note}" if self.kind == "note" and self.note else where


class Searcher:
    """Searches the index at ``index`` once the file exists."""

    def __init__(self, index: Path):
        self.index = Path(index)
        self._local = threading.local()  # sqlite3 connections stay in the thread that opened them

    @property
    def error_file(self) -> Path:
        return self.index.with_name(self.index.name + ".error")

    @property
    def ready(self) -> bool:
        return self.index.is_file()

    @property
    def error(self) -> str | None:
        return self.error_file.read_text(encoding="utf-8") if self.error_file.is_file() else None

    def _connection(self) -> sqlite3.Connection:
        """This thread's read-only connection, opened and checked on first use."""
        connection = getattr(self._local, "connection", None)
        if connection is None:
            try:
                connection = sqlite3.connect(f"file:{self.index}?mode=ro", uri=True)
                row = connection.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            except sqlite3.Error as exc:
                raise TeikitError(f"not a usable teikit index: {exc}", path=str(self.index)) from None
            if row is None or row[0] != SCHEMA_VERSION:
                connection.close()
                raise TeikitError("index made by another teikit version; rebuild it with teikit index",
                                  path=str(self.index))
            self._local.connection = connection
        return connection

    def search(self, query: str, limit: int) -> list[Found]:
        """Up to ``limit`` hits in corpus order; :class:`TeikitError` when the index is unusable."""
        parsed = Query.parse(query)
        if not parsed:
            return []
        phrases = any(len(phrase) > 1 for phrase in parsed.phrases)
        found = []
        try:
            rows = self._connection().execute(
                "SELECT path, document_id, page, kind, note, text, "
                f"snippet(units, 7, '{MARK_START}', '{MARK_END}', '…', {SNIPPET_TOKENS}) "
                "FROM units WHERE units MATCH ? ORDER BY rowid", [parsed.fts5()])
            for path, doc_id, page, kind, note, text, snippet in rows:
                if phrases and not parsed.matches(text):
                    continue  # FTS5 matched the phrase across punctuation; teikit search does not
                found.append(Found(path, doc_id, page, kind, note, snippet))
                if len(found) >= limit:
                    break
        except sqlite3.Error as exc:
            raise TeikitError(f"not a usable teikit index: {exc}", path=str(self.index)) from None
        return found


def build_in_background(sources: Sequence[Path], index: Path) -> threading.Thread:
    """Start building the index of ``sources`` at ``index``; a failure is written beside it."""
    searcher = Searcher(index)

    def build() -> None:
        try:
            build_index(Corpus(list(sources)), index)
        except (TeikitError, OSError) as exc:
            searcher.error_file.write_text(str(exc), encoding="utf-8")

    thread = threading.Thread(target=build, name="teikit-index", daemon=True)
    thread.start()
    return thread
