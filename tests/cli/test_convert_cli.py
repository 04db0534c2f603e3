"""``teikit convert`` from the command line: files, folders, stdin, errors, exit codes."""
from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner
from lxml import etree

from teikit.cli import cli

from ..conftest import SEEDS


def run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def test_folder_to_folder(tmp_path):
    result = run("convert", str(SEEDS), "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        p.stem + ".xml" for p in SEEDS.glob("*.txt"))


def test_single_file_to_named_xml(tmp_path):
    target = tmp_path / "out.xml"
    seed = next(SEEDS.glob("*.txt"))
    assert run("convert", str(seed), "-o", str(target)).exit_code == 0
    assert etree.parse(str(target)).getroot().tag == "{http://www.tei-c.org/ns/1.0}TEI"


def test_stdin_to_stdout():
    result = run("convert", "-", input="5. A Title1\n\nText.\n\n  1. Source: Archive.")
    assert result.exit_code == 0
    assert b'<div type="document" n="5" xml:id="d5">' in result.stdout_bytes


def test_existing_output_is_not_overwritten_without_force(tmp_path):
    seed = next(SEEDS.glob("*.txt"))
    target = tmp_path / "out.xml"
    target.write_text("precious")
    result = run("convert", str(seed), "-o", str(target))
    assert result.exit_code == 1
    assert "exists and differs; use --force" in result.stderr
    assert target.read_text() == "precious"
    assert run("convert", str(seed), "-o", str(target), "--force").exit_code == 0
    assert target.read_text() != "precious"


def test_an_identical_output_is_left_untouched_and_a_link_never_replaced(tmp_path):
    seed = next(SEEDS.glob("*.txt"))
    target = tmp_path / "out.xml"
    assert run("convert", str(seed), "-o", str(target)).exit_code == 0
    before = target.stat()
    assert run("convert", str(seed), "-o", str(target)).exit_code == 0  # no --force needed
    after = target.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    link = tmp_path / "link.xml"
    (tmp_path / "other.xml").write_text("other")
    link.symlink_to(tmp_path / "other.xml")
    result = run("convert", str(seed), "-o", str(link), "--force")
    assert result.exit_code == 1 and f"{link}: exists and is not a file; not replaced" in result.stderr
    assert link.is_symlink() and (tmp_path / "other.xml").read_text() == "other"


def test_bad_file_fails_alone_with_file_and_line(tmp_path):
    good = tmp_path / "in" / "good.txt"
    bad = tmp_path / "in" / "bad.txt"
    good.parent.mkdir()
    good.write_text("5. Title\n\nText.", "utf-8")
    bad.write_bytes(b"5. Title\n\n\xff\xfe")
    out = tmp_path / "out"
    result = run("convert", str(good.parent), "-o", str(out))
    assert result.exit_code == 1
    assert f"{bad}:3: not UTF-8 text" in result.stderr
    assert "Traceback" not in result.output
    assert [p.name for p in out.iterdir()] == ["good.xml"]      # nothing half-written


def test_warnings_and_strict(tmp_path):
    src = tmp_path / "w.txt"
    src.write_text("5. Title\n\nText without marker.\n\n  1. Source: Archive.\n  2. Orphan.", "utf-8")
    result = run("convert", str(src), "-o", str(tmp_path / "w.xml"))
    assert result.exit_code == 0
    assert f"{src}:6: warning: footnote 2 has no marker" in result.stderr
    assert run("convert", str(src), "-o", str(tmp_path / "s.xml"), "--strict").exit_code == 1


def test_usage_errors_exit_2(tmp_path):
    assert run("convert", str(tmp_path / "missing.txt")).exit_code == 2
    assert run("convert", str(SEEDS)).exit_code == 2          # several inputs, no -o


def test_many_files_in_parallel(tmp_path):
    src = tmp_path / "many"
    src.mkdir()
    seed = next(SEEDS.glob("*.txt")).read_text("utf-8")
    for i in range(20):
        (src / f"doc{i:02d}.txt").write_text(seed, "utf-8")
    result = run("convert", str(src), "-o", str(tmp_path / "out"), "-j", "2")
    assert result.exit_code == 0
    assert len(list((tmp_path / "out").glob("*.xml"))) == 20


def test_console_script_entry_point():
    proc = subprocess.run([sys.executable, "-m", "teikit", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and "teikit" in proc.stdout
