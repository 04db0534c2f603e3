"""Input discovery shared by all commands."""
from __future__ import annotations

import os

import pytest

from teikit import InputError
from teikit.files import RealPaths, expand_paths, natural_name_key, walk_files


@pytest.fixture
def tree(tmp_path):
    for name in ("d10.xml", "d9.xml", "notes.txt"):
        (tmp_path / name).write_text("x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "d1.xml").write_text("x")
    return tmp_path


def test_folder_in_natural_order(tree):
    assert [p.name for p in expand_paths([tree])] == ["d9.xml", "d10.xml", "d1.xml"]
    assert [p.name for p in expand_paths([tree], recursive=False)] == ["d9.xml", "d10.xml"]


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


def test_real_paths_agree_with_realpath_for_links_and_dots(tmp_path, monkeypatch):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "f.txt").write_text("x")
    (tmp_path / "to_b").symlink_to(tmp_path / "a" / "b")                # a folder link on the way
    (tmp_path / "a" / "link.txt").symlink_to(tmp_path / "a" / "b" / "f.txt")
    (tmp_path / "a" / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    monkeypatch.chdir(tmp_path / "a")
    names = ["b/f.txt", "link.txt", "dangling.txt", "missing.txt", str(tmp_path / "to_b" / "f.txt"),
             str(tmp_path / "to_b" / ".." / "link.txt"), "b/..", "b/.", ".", "b/", "f.txt"]
    real_path = RealPaths()
    for _ in range(2):  # the second round answers from what the first remembered
        assert [real_path(name) for name in names] == [os.path.realpath(name) for name in names]


def test_walk_files_lists_as_os_walk_does_and_tells_links(tmp_path, monkeypatch):
    for name in ("x10.txt", "x9.TXT", "notes.md", "a/y.txt", ".hidden/h.txt", "d10/q.txt", "d9/q.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("x")
    (tmp_path / "link.txt").symlink_to(tmp_path / "x10.txt")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (tmp_path / "a" / "to_d9").symlink_to(tmp_path / "d9")      # a link to a folder: not followed
    (tmp_path / "folder.txt").symlink_to(tmp_path / "d10")      # a folder, not a file
    expected = []
    for root, dirs, names in os.walk(tmp_path):
        dirs[:] = sorted((d for d in dirs if not d.startswith(".")), key=natural_name_key)
        expected.append((root, sorted((n for n in names if n.lower().endswith(".txt")), key=natural_name_key)))
    listed = list(walk_files(tmp_path, ".txt"))
    assert [(root, names) for root, names, _ in listed] == expected
    assert listed[0][1] == ["dangling.txt", "link.txt", "x9.TXT", "x10.txt"]
    assert listed[0][2] == {"dangling.txt", "link.txt"}
    monkeypatch.chdir(tmp_path)
    real_path = RealPaths()
    for root, names, links in walk_files(".", ".txt"):
        for name in names:
            path = os.path.join(root, name)
            assert real_path.listed(path, name in links) == os.path.realpath(path)


def test_a_listing_given_again_is_not_looked_for_again(tmp_path):
    """Commands list their inputs once and pass the list on: the second expand_paths is free
    (no stat, no new Path per file), and a named Path is kept, not copied."""
    for name in ("a.xml", "b.xml"):
        (tmp_path / name).write_text("<x/>")
    listed = expand_paths([tmp_path])
    (tmp_path / "a.xml").unlink()  # a second listing would not find it
    assert expand_paths(listed) is listed
    named = tmp_path / "b.xml"
    assert expand_paths([named])[0] is named


def test_real_paths_keep_one_string_for_a_path_that_is_real(tmp_path):
    real_path = RealPaths()
    name = os.path.join(os.path.realpath(tmp_path), "c.xml")
    (tmp_path / "c.xml").write_text("<x/>")
    assert real_path(name) is name  # remembered without a second string equal to it


def _unlistable(monkeypatch, folder) -> None:
    """Make ``folder`` fail to list as a folder without read permission does (root reads any)."""
    scandir = os.scandir

    def refusing(path="."):
        if os.path.realpath(path) == os.path.realpath(folder):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return scandir(path)
    monkeypatch.setattr(os, "scandir", refusing)


def test_a_folder_that_cannot_be_listed_is_an_error_not_a_silent_drop(tree, monkeypatch):
    _unlistable(monkeypatch, tree / "sub")   # its d1.xml was left out without a word
    with pytest.raises(InputError, match="cannot list this folder: Permission denied") as caught:
        expand_paths([tree])
    assert caught.value.path == str(tree / "sub")
    with pytest.raises(InputError, match="cannot list this folder"):
        list(walk_files(tree, ".xml"))


@pytest.mark.skipif(os.geteuid() == 0, reason="root lists any folder")
def test_an_unreadable_folder_is_an_error(tree):
    (tree / "sub").chmod(0)
    try:
        with pytest.raises(InputError, match="cannot list this folder"):
            expand_paths([tree])
    finally:
        (tree / "sub").chmod(0o755)


def test_a_fifo_found_in_a_folder_or_by_a_pattern_is_an_error(tree):
    """Opening a FIFO waits for a writer: every command hung on one found in a folder."""
    os.mkfifo(tree / "sub" / "pipe.xml")
    for args in ([tree], [str(tree / "sub" / "*.xml")]):
        with pytest.raises(InputError, match=r"not a regular file \(a FIFO\)") as caught:
            expand_paths(args)
        assert caught.value.path == str(tree / "sub" / "pipe.xml")
    with pytest.raises(InputError, match="a FIFO"):
        list(walk_files(tree, ".xml"))
    (tree / "link.xml").symlink_to(tree / "sub" / "pipe.xml")
    (tree / "sub" / "pipe.xml").rename(tree / "sub" / "pipe.fifo")
    (tree / "link.xml").unlink()
    (tree / "link.xml").symlink_to(tree / "sub" / "pipe.fifo")   # a link to a FIFO is one too
    with pytest.raises(InputError, match="a FIFO") as caught:
        expand_paths([tree])
    assert caught.value.path == str(tree / "link.xml")


def test_a_fifo_named_on_the_command_line_is_read(tree):
    os.mkfifo(tree / "pipe.xml")   # as `<(command)` gives: the command means it
    assert expand_paths([tree / "pipe.xml"]) == [tree / "pipe.xml"]
