"""Full-text search for the reading site: the SQLite FTS5 index of :mod:`teikit.query.index`.

With ``--index FILE`` that index is used as it is.  Without one, an index of the
served files is built in a background thread into a temporary file, so the server
starts at once; until it is ready the search page says so (HTTP 503).
"""
from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path
from typing import Optional, Sequence

from ..errors import TeikitError
from ..query import Corpus, Hit
from ..query.index import build_index, search_index


class Searcher:
    def __init__(self, sources: Sequence[Path], index: Optional[Path] = None):
        self._ready = threading.Event()
        self.error: Optional[str] = None
        self._scratch: Optional[tempfile.TemporaryDirectory] = None
        if index is not None:
            self.index = index
            self._ready.set()
        else:
            self._scratch = tempfile.TemporaryDirectory(prefix="teikit-serve-")
            self.index = Path(self._scratch.name) / "index.sqlite"
            threading.Thread(target=self._build, args=(list(sources),), daemon=True).start()

    def _build(self, sources: list[Path]) -> None:
        try:
            build_index(Corpus(sources), self.index)
        except (TeikitError, OSError) as exc:
            self.error = str(exc)
        finally:
            self._ready.set()

    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    def wait(self, timeout: Optional[float] = None) -> bool:
        return self._ready.wait(timeout)

    def search(self, query: str, limit: int) -> list[Hit]:
        """Up to ``limit`` hits; raises :class:`TeikitError` when the index is unusable."""
        if self.error:
            raise TeikitError(f"search is unavailable: {self.error}")
        return search_index(self.index, query, limit=limit)

    def close(self) -> None:
        if self._scratch is not None and self.ready:
            self._scratch.cleanup()


def index_path_is_usable(path: Optional[str]) -> Optional[Path]:
    """``--index FILE`` as a Path (checked when the server starts, not at the first search)."""
    if path is None:
        return None
    if not os.path.isfile(path):
        raise TeikitError("no such index (build it with: teikit index PATH... -o INDEX)", path=path)
    return Path(path)
