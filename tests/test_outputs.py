"""The output guard, temporaries and permissions (teikit.outputs, teikit.xmlio.atomic_write)."""
from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from teikit.errors import OutputError
from teikit.outputs import TEMP_PREFIX, OutputGuard, is_sqlite, make_temp_dir, remove_stale_temporaries
from teikit.xmlio import atomic_write


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / "sub" / "a.xml").write_text("<a/>")
    (tmp_path / "out").mkdir()
    return tmp_path


def check_one(guard: OutputGuard, output) -> None:
    guard.check(output)


def check_in_a_batch(guard: OutputGuard, output) -> None:
    guard.check_all([output])


#: the guard one output at a time (its real path asked), and a batch's way (its folder listed)
CHECKS = pytest.mark.parametrize("check", [check_one, check_in_a_batch], ids=["check", "check_all"])


@CHECKS
@pytest.mark.parametrize("output, why", [
    ("in/sub/a.xml", "is the input"),
    ("in", "contains the input"),
    (".", "contains the input"),
    ("in/sub/a.xml/x.txt", "inside the input"),
])
def test_an_output_that_is_holds_or_sits_in_an_input_is_refused(tree, output, why, check):
    guard = OutputGuard([tree / "in" / "sub" / "a.xml"])
    with pytest.raises(OutputError, match=why):
        check(guard, tree / output)


def test_an_output_inside_an_input_folder_is_refused_and_both_are_named(tree):
    with pytest.raises(OutputError) as refused:
        OutputGuard([str(tree / "in")]).check(tree / "in" / "report.txt")
    assert str(tree / "in" / "report.txt") in str(refused.value) and str(tree / "in") in str(refused.value)


@CHECKS
def test_a_symbolic_link_to_an_input_is_the_input(tree, check):
    (tree / "out" / "link.xml").symlink_to(tree / "in" / "sub" / "a.xml")
    with pytest.raises(OutputError, match="is the input"):
        check(OutputGuard([tree / "in" / "sub" / "a.xml"]), tree / "out" / "link.xml")


@CHECKS
def test_an_output_in_a_linked_folder_is_seen_where_it_lands(tree, check):
    (tree / "out" / "into-in").symlink_to(tree / "in" / "sub")
    with pytest.raises(OutputError, match="is the input"):
        check(OutputGuard([tree / "in" / "sub" / "a.xml"]), tree / "out" / "into-in" / "a.xml")
    with pytest.raises(OutputError, match="inside the input folder"):
        check(OutputGuard([tree / "in"]), tree / "out" / "into-in" / "new.xml")


def test_a_batch_is_refused_exactly_where_single_checks_refuse(tree):
    """check_all lists folders instead of resolving each output: it must decide as check does,
    for absent and existing files, links among them and folders that do not exist yet."""
    (tree / "out" / "plain.xml").write_text("<x/>")
    (tree / "out" / "link.xml").symlink_to(tree / "in" / "sub" / "a.xml")
    (tree / "out" / "elsewhere.xml").symlink_to(tree / "out" / "plain.xml")
    outputs = [tree / "out" / name for name in ("absent.xml", "plain.xml", "link.xml", "elsewhere.xml")]
    outputs += [tree / "out" / "new" / "deep.xml", tree / "in" / "sub" / "b.xml", tree / "in"]

    def verdict(check, output) -> str:
        try:
            check(OutputGuard([tree / "in" / "sub" / "a.xml", tree / "in" / "sub"]), output)
        except OutputError as refused:
            return str(refused)
        return "accepted"

    verdicts = [verdict(check_one, output) for output in outputs]
    assert verdicts == [verdict(check_in_a_batch, output) for output in outputs]
    assert verdicts[:2] == ["accepted", "accepted"] and "is the input" in verdicts[2]
    guard = OutputGuard([tree / "in" / "sub" / "a.xml"])
    guard.check_all(outputs[:2] + outputs[3:5])  # the accepted ones, in one batch


def test_force_replaces_only_what_the_command_writes(tree):
    guard = OutputGuard([tree / "in"])
    report = tree / "out" / "r.txt"
    report.write_text("old")
    with pytest.raises(OutputError, match="--force"):
        guard.check_replace(report, force=False)
    guard.check_replace(report, force=True)                       # a file may replace a file
    with pytest.raises(OutputError, match="not an SQLite index"):
        guard.check_replace(report, force=True, ours=is_sqlite, what="an SQLite index")
    with pytest.raises(OutputError, match="directory"):
        guard.check_replace(tree / "out", force=True)
    with pytest.raises(OutputError, match="inside the input folder"):
        guard.check_replace(tree / "in" / "sub" / "a.xml", force=True)


def test_guard_is_linear_in_inputs(tmp_path):
    """10,000 inputs against 10,000 outputs: dictionary look-ups, not pairs (would be 10^8)."""
    inputs = [tmp_path / "in" / f"d{i}.txt" for i in range(10_000)]
    guard = OutputGuard(inputs)
    for i in range(10_000):
        guard.check(tmp_path / "out" / f"d{i}.xml")
    assert len(guard._ancestors) < 20  # one entry per distinct folder above the inputs


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_outputs_take_the_umask_permissions(tmp_path, umask):
    old = os.umask(umask)
    try:
        atomic_write(tmp_path / "f.txt", "x")
        folder = make_temp_dir(tmp_path / "bag")
    finally:
        os.umask(old)
    assert _mode(tmp_path / "f.txt") == 0o666 & ~umask
    assert _mode(folder) == 0o777 & ~umask


def test_temporaries_of_dead_runs_are_removed_live_ones_kept(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    (tmp_path / f"{TEMP_PREFIX}{dead}.a.xml.x1.tmp").write_text("half")
    (tmp_path / f"{TEMP_PREFIX}{dead}.bag.x2.tmp").mkdir()
    (tmp_path / f"{TEMP_PREFIX}{dead}.bag.x2.tmp" / "f").write_text("half")
    live = tmp_path / f"{TEMP_PREFIX}{os.getpid()}.b.xml.x3.tmp"
    live.write_text("being written")
    (tmp_path / "keep.xml").write_text("<a/>")
    assert remove_stale_temporaries(tmp_path) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.name, "keep.xml"])


def test_atomic_write_leaves_no_temporary_when_interrupted(tmp_path, monkeypatch):
    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(tmp_path / "f.txt", "x")
    assert list(tmp_path.iterdir()) == []


def test_the_python_api_writers_refuse_an_input_as_output(tmp_path):
    from teikit.export import writer
    from teikit.query import Corpus
    from teikit.query.index import build_index

    from .conftest import TEI_DIR

    tei = sorted(TEI_DIR.glob("*.xml"))[0]
    copy = tmp_path / tei.name
    copy.write_bytes(tei.read_bytes())
    with pytest.raises(OutputError, match="is the input"):
        build_index(Corpus([copy]), copy)
    with pytest.raises(OutputError, match="is the input"):
        writer.write_verified(copy, "x", force=True, inputs=[copy])
    assert copy.read_bytes() == tei.read_bytes()


@pytest.mark.parametrize("make", ["make_temp_file", "make_temp_dir"])
def test_a_temporary_that_cannot_be_made_is_an_error_about_the_output(tmp_path, monkeypatch, make):
    """A folder without write permission gave '/out/.teikit-tmp.123.i.sqlite.x8k2.tmp: Permission
    denied' (index, bagit, site, json): the temporary's name, not the output's."""
    import tempfile

    from teikit import outputs

    def refused(*args, prefix="", dir=None, **kwargs):
        raise PermissionError(13, "Permission denied", os.path.join(dir, prefix + "x8k2.tmp"))
    monkeypatch.setattr(tempfile, "mkstemp" if make == "make_temp_file" else "mkdtemp", refused)
    target = tmp_path / "out.sqlite"
    with pytest.raises(OutputError) as caught:
        getattr(outputs, make)(target)
    assert str(caught.value) == f"{target}: cannot write: Permission denied"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes in any folder")
def test_an_index_in_a_folder_without_write_permission_names_the_index(tmp_path):
    from teikit.query.index import build_index

    from .conftest import TEI_DIR
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(OutputError, match=r"ro/i.sqlite: cannot write: Permission denied"):
            build_index([TEI_DIR], folder / "i.sqlite")
    finally:
        folder.chmod(0o755)
