"""teikit.batch.index without a cluster: the index merged from partitions is the local build's, row for row."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import teikit.batch.index as batch_index
from teikit.batch.index import build_index
from teikit.errors import OutputError
from teikit.query.index import build_index as build_locally

from ..conftest import TEI_DIR


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


def test_no_temporary_is_left_when_the_second_one_cannot_be_made(tmp_path: Path, monkeypatch) -> None:
    """The merge needs two temporaries beside the output; the second failing (a full disk, a
    quota) must not leave the first for the next run to sweep."""
    made = batch_index.make_temp_file

    def second_fails(target: Path) -> Path:
        if any(target.parent.iterdir()):  # the first temporary is there
            raise OutputError("cannot write: No space left on device", path=str(target))
        return made(target)

    monkeypatch.setattr(batch_index, "make_temp_file", second_fails)
    out = tmp_path / "out"
    with pytest.raises(OutputError, match="No space left"):
        build_index(sorted(str(f) for f in TEI_DIR.glob("*.xml")), out / "index.sqlite", jobs=1)
    assert list(out.iterdir()) == []
