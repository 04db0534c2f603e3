"""teikit.batch.index without a cluster: the index merged from partitions is the local build's, row for row."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from teikit.batch.index import build_index
from teikit.query.index import build_index as build_locally


def _rows(index: Path) -> list[tuple]:
    with sqlite3.connect(index) as connection:
        return connection.execute("SELECT * FROM units ORDER BY rowid").fetchall()


def test_partitions_merge_into_the_local_index(dev_corpus: Path, tmp_path: Path) -> None:
    files = sorted(str(f) for f in dev_corpus.glob("*.xml"))
    local = build_locally(files, tmp_path / "local.sqlite", jobs=1)
    merged = build_index(files, tmp_path / "merged.sqlite", jobs=2)
    assert (merged.rows, merged.units, merged.files) == (local.rows, local.units, local.files) != (0, 0, 0)
    assert _rows(tmp_path / "merged.sqlite") == _rows(tmp_path / "local.sqlite")
    with sqlite3.connect(tmp_path / "merged.sqlite") as connection:  # the merged table is the FTS5 index
        assert connection.execute("SELECT count(*) FROM units WHERE units MATCH 'Secretary'").fetchone()[0] > 0
