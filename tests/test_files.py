"""Input discovery shared by all commands."""
from __future__ import annotations

import pytest

from teikit import InputError
from teikit.files import expand_paths


@pytest.fixture
def tree(tmp_path):
    for name in ("d10.xml", "d9.xml", "notes.txt"):
        (tmp_path / name).write_text("x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "d1.xml").write_text("x")
    return tmp_path


def test_folder_in_natural_order(tree):
    assert [p.name for p in expand_paths([tree])] == ["d9.xml", "d10.xml"]
    assert [p.name for p in expand_paths([tree], recursive=True)] == ["d9.xml", "d10.xml", "d1.xml"]


def test_globs_files_and_duplicates(tree):
    got = expand_paths([str(tree / "d*.xml"), tree / "d9.xml", tree / "notes.txt"])
    assert [p.name for p in got] == ["d9.xml", "d10.xml", "notes.txt"]


@pytest.mark.parametrize("arg, message", [
    ("missing.xml", "no such file or folder"),
    ("nothing*.xml", "no file matches this pattern"),
])
def test_bad_paths(tree, arg, message):
    with pytest.raises(InputError, match=message):
        expand_paths([str(tree / arg)])


def test_empty_folder(tmp_path):
    with pytest.raises(InputError, match="no .xml files in this folder"):
        expand_paths([tmp_path])
