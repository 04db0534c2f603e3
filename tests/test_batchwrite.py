"""Outputs written in batches by the workers, committed with one flush per batch."""
from __future__ import annotations

import os
import shutil

import pytest

from teikit.batchwrite import Batch, Committer, write_temporary
from teikit.cli.convert import MAX_FILES_PER_BATCH, MIN_FILES_PER_BATCH, _batches
from teikit.outputs import TEMP_PREFIX
from teikit.workers import available_cores

from .cli.helpers import fingerprint
from .cli.helpers import teikit as run
from .conftest import SEEDS


def test_nothing_has_its_name_before_the_batch_is_committed(tmp_path):
    batch = Batch()
    targets = [tmp_path / "sub" / f"{i}.xml" for i in range(4)]
    for i, target in enumerate(targets):
        batch.write(str(target), f"<x>{i}</x>".encode())
    assert not any(t.exists() for t in targets)
    assert all(p.name.startswith(TEMP_PREFIX) for p in (tmp_path / "sub").iterdir())
    assert batch.commit() == {}
    assert [t.read_text() for t in targets] == [f"<x>{i}</x>" for i in range(4)]
    assert sorted(p.name for p in (tmp_path / "sub").iterdir()) == [t.name for t in targets]


def test_a_target_that_cannot_be_renamed_fails_alone(tmp_path):
    blocked = tmp_path / "blocked.xml"
    (blocked / "inside").mkdir(parents=True)  # a folder holding a file: no rename replaces it
    batch = Batch()
    batch.write(str(blocked), b"<a/>")
    batch.write(str(tmp_path / "fine.xml"), b"<b/>")
    failed = batch.commit()
    assert list(failed) == [str(blocked)] and failed[str(blocked)].startswith(f"{blocked}: cannot write")
    assert (tmp_path / "fine.xml").read_bytes() == b"<b/>"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocked.xml", "fine.xml"]  # no temporary


def test_discard_removes_uncommitted_temporaries(tmp_path):
    batch = Batch()
    batch.write(str(tmp_path / "a.xml"), b"<a/>")
    batch.discard()
    assert list(tmp_path.iterdir()) == []


def test_temporaries_take_the_umask_and_differ(tmp_path):
    old = os.umask(0o027)
    try:
        first = write_temporary(str(tmp_path / "a.xml"), b"1")
        second = write_temporary(str(tmp_path / "a.xml"), b"2")
    finally:
        os.umask(old)
    assert first != second
    assert os.stat(first).st_mode & 0o777 == 0o640


def written_batch(folder, names):
    batch = Batch()
    for name in names:
        batch.write(str(folder / name), name.encode())
    return batch


def test_the_committer_commits_in_order_and_names_each_batch_s_failures(tmp_path):
    blocked = tmp_path / "b2.xml"
    (blocked / "inside").mkdir(parents=True)  # no rename replaces a folder holding a file
    names = [[f"a{i}.xml" for i in range(5)], ["b1.xml", "b2.xml"], ["c1.xml"]]
    with Committer[int]() as commits:
        taken = []
        for number, batch_names in enumerate(names):
            commits.put(written_batch(tmp_path, batch_names), number)
            taken += commits.take()
        taken += commits.take(wait=True)
        assert commits.take() == []
    assert [number for number, _ in taken] == [0, 1, 2]
    assert [failed for _, failed in taken][::2] == [{}, {}]
    assert list(taken[1][1]) == [str(blocked)] and "cannot write" in taken[1][1][str(blocked)]
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(n for batch in names for n in batch)  # no temporary left
    assert all((tmp_path / n).read_bytes() == n.encode() for batch in names for n in batch if n != "b2.xml")


def test_leaving_the_committer_early_leaves_whole_outputs_or_none(tmp_path):
    names = [f"{i}.xml" for i in range(200)]
    with Committer[int]() as commits:
        for i in range(0, len(names), 10):
            commits.put(written_batch(tmp_path, names[i:i + 10]), i)
    # not waited for: what was committed is whole, the rest is gone, temporaries included
    left = sorted(tmp_path.iterdir())
    assert all(p.name in names and p.read_bytes() == p.name.encode() for p in left)


def test_a_commit_that_breaks_is_raised_to_the_caller_and_its_temporaries_removed(tmp_path, monkeypatch):
    def broken(self):
        raise RuntimeError("broken")
    monkeypatch.setattr(Batch, "commit", broken)
    with pytest.raises(RuntimeError, match="broken"):
        with Committer[int]() as commits:
            commits.put(written_batch(tmp_path, ["a.xml", "b.xml"]), 0)
            commits.take(wait=True)
    assert list(tmp_path.iterdir()) == []


def test_batches_keep_the_order_and_shrink_so_the_workers_end_together():
    tasks = [(f"{i}.txt", f"{i}.xml") for i in range(2000)]
    sizes = [len(batch) for batch in _batches(tasks, 2)]
    assert [task for batch in _batches(tasks, 2) for task in batch] == tasks
    assert sizes[0] == MAX_FILES_PER_BATCH and sizes == sorted(sizes, reverse=True)
    assert sizes[-2] == MIN_FILES_PER_BATCH and len(sizes) < 2000 / MIN_FILES_PER_BATCH / 4
    assert [len(b) for b in _batches(tasks[:40], 2)] == [16, 16, 8]  # few files: small batches


def test_jobs_default_to_the_cores_this_process_may_use():
    expected = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert available_cores() == expected


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


def test_parallel_convert_reports_a_failing_file_and_commits_the_others(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    seed = sorted(SEEDS.glob("*.txt"))[0]
    for i in range(40):
        shutil.copy(seed, inputs / f"s{i:02d}.txt")
    (inputs / "s17.txt").write_bytes(b"5. Title\n\n\xff\xfe")  # not UTF-8
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        result = run("convert", inputs, "-o", out, "-j", jobs)
        assert result.exit_code == 1
        assert f"{inputs / 's17.txt'}:3: not UTF-8 text" in result.stderr
        assert "converted 39 of 40 files" in result.stderr
        assert sorted(p.name for p in out.iterdir()) == [f"s{i:02d}.xml" for i in range(40) if i != 17]
    assert fingerprint(tmp_path / "out1") == fingerprint(tmp_path / "out2")


@pytest.mark.parametrize("swap", [True, False])
def test_install_folder_replaces_the_old_folder_and_leaves_nothing(tmp_path, monkeypatch, swap):
    """In one swap (Linux) or by moving the old folder aside (elsewhere): the new folder in place,
    the old one gone, no temporary left."""
    from teikit import batchwrite
    from teikit.outputs import make_temp_dir

    if not swap:
        monkeypatch.setattr(batchwrite, "_exchange", lambda first, second: False)
    target = tmp_path / "site"
    target.mkdir()
    (target / "old.html").write_text("old")
    staging = make_temp_dir(target)
    (staging / "sub").mkdir()
    (staging / "sub" / "new.html").write_text("new")
    batchwrite.install_folder(str(staging), str(target))
    assert [p.name for p in tmp_path.iterdir()] == ["site"]
    assert fingerprint(target).keys() == {"sub/new.html"}
