"""Outputs written by workers and committed with one flush per batch."""
from __future__ import annotations

import shutil

from teikit.cli.batchwrite import BatchCommitter, write_temporary

from ..conftest import SEEDS
from .helpers import fingerprint
from .helpers import teikit as run


def test_nothing_has_its_name_before_the_batch_is_committed(tmp_path):
    committer = BatchCommitter(files_per_sync=3)
    targets = [tmp_path / "sub" / f"{i}.xml" for i in range(4)]
    for i, target in enumerate(targets):
        committer.add(write_temporary(str(target), f"<x>{i}</x>".encode()), str(target))
    assert [t.exists() for t in targets] == [True, True, True, False]  # the 4th waits for its batch
    committer.close()
    assert [t.read_text() for t in targets] == [f"<x>{i}</x>" for i in range(4)]
    assert sorted(p.name for p in (tmp_path / "sub").iterdir()) == [t.name for t in targets]


def test_discard_removes_uncommitted_temporaries(tmp_path):
    committer = BatchCommitter()
    target = tmp_path / "a.xml"
    committer.add(write_temporary(str(target), b"<a/>"), str(target))
    committer.discard()
    assert list(tmp_path.iterdir()) == []


def test_parallel_convert_writes_what_a_single_process_writes(tmp_path):
    inputs = tmp_path / "in"
    for i in range(40):  # above the worker threshold
        seed = sorted(SEEDS.glob("*.txt"))[i % 2]
        (inputs / f"{i % 3}").mkdir(parents=True, exist_ok=True)
        shutil.copy(seed, inputs / f"{i % 3}" / f"s{i}.txt")
    one = run("convert", inputs, "-o", tmp_path / "one", "-j", "1", "-q")
    two = run("convert", inputs, "-o", tmp_path / "two", "-j", "2", "-q")
    assert one.exit_code == two.exit_code == 0, one.output + two.output
    assert fingerprint(tmp_path / "one") == fingerprint(tmp_path / "two")
    assert len(fingerprint(tmp_path / "two")) == 40  # no temporary left, none missing
