"""Hostile input and hostile output paths, command by command (issue 8).

Every case is run in-process through click; a case passes only when the command
ends with a clean exit status (never an uncaught exception), and the inputs'
bytes are the same afterwards.
"""
from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from teikit.xmlio import safe_parser

from ..conftest import SEEDS, TEI_DIR
from .helpers import fingerprint, teikit

TEI_NS = "http://www.tei-c.org/ns/1.0"


@pytest.fixture
def tei_in(tmp_path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for xml in sorted(TEI_DIR.glob("*.xml")):
        shutil.copy(xml, folder)
    return folder


@pytest.fixture
def a_tei(tei_in) -> Path:
    return sorted(tei_in.glob("*.xml"))[0]


# -- inputs are never destroyed ------------------------------------------------------------

@pytest.mark.parametrize("command", [
    ["index", "{a}", "-o", "{a}"],
    ["index", "{a}", "-o", "{a}", "--force"],
    ["validate", "{a}", "-o", "{a}"],
    ["validate", "{a}", "-o", "{a}", "--force"],
    ["export", "--format", "corpus", "{a}", "-o", "{a}", "--force"],
    ["export", "--format", "text", "{a}", "-o", "{a}", "--force"],
    ["export", "--format", "html", "{a}", "-o", "{a}", "--force"],
    ["export", "--format", "json", "{a}", "-o", "{a}", "--force"],
    ["export", "--format", "bagit", "{in}", "-o", "{in}", "--force"],
    ["export", "--format", "json", "{in}", "-o", "{in}/x.json", "--force"],
    ["export", "--format", "text", "{in}", "-o", "{in}", "--force"],
    ["validate", "{in}", "-o", "{in}/report.xml"],
])
def test_an_input_is_never_an_output(tei_in, a_tei, command):
    before = fingerprint(tei_in)
    args = [c.replace("{a}", str(a_tei)).replace("{in}", str(tei_in)) for c in command]
    result = teikit(*args)
    assert result.exit_code == 2
    assert "input" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert fingerprint(tei_in) == before


@pytest.mark.parametrize("fmt", ["text", "bagit", "site"])
@pytest.mark.parametrize("force", [[], ["--force"]])
def test_an_export_folder_holding_the_inputs_is_refused(tei_in, tmp_path, monkeypatch, fmt, force):
    """``-o .`` above the inputs' folder: the folder output holds the inputs (as for convert)."""
    monkeypatch.chdir(tmp_path)
    before = fingerprint(tmp_path)
    result = teikit("export", "--format", fmt, "in", "-o", ".", *force)
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()  # names the folder given, or a file in it
    assert re.fullmatch(r"\.: output contains the input in(/[^/]+\.xml)?; refusing to write over an input", line)
    assert fingerprint(tmp_path) == before and sorted(os.listdir(tmp_path)) == ["in"]


def test_convert_never_writes_over_or_into_its_input(tmp_path):
    source = tmp_path / "x.txt"
    shutil.copy(next(SEEDS.glob("*.txt")), source)
    before = fingerprint(tmp_path)
    for out in (source, tmp_path):
        assert teikit("convert", source, "-o", out, "--force").exit_code == 2
    assert fingerprint(tmp_path) == before


def test_index_does_not_replace_an_existing_file_without_force(tei_in, tmp_path):
    existing = tmp_path / "notes.db"
    existing.write_text("my notes")
    assert teikit("index", tei_in, "-o", existing).exit_code == 2
    assert existing.read_text() == "my notes"
    assert teikit("index", tei_in, "-o", existing, "--force").exit_code == 2  # not an index either
    assert existing.read_text() == "my notes"
    index = tmp_path / "tei.sqlite"
    assert teikit("index", tei_in, "-o", index).exit_code == 0
    assert teikit("index", tei_in, "-o", index).exit_code == 2
    assert teikit("index", tei_in, "-o", index, "--force").exit_code == 0


# -- no document is dropped ------------------------------------------------------------------

def test_same_names_in_different_folders_keep_their_folders(tmp_path):
    seed = next(SEEDS.glob("*.txt"))
    for sub in ("a", "b"):
        (tmp_path / "in" / sub).mkdir(parents=True)
        shutil.copy(seed, tmp_path / "in" / sub / "x.txt")
    result = teikit("convert", tmp_path / "in", "-o", tmp_path / "out", "--force")
    assert result.exit_code == 0, result.output
    assert sorted(str(p.relative_to(tmp_path / "out")) for p in (tmp_path / "out").rglob("*.xml")) == \
        ["a/x.xml", "b/x.xml"]


def test_colliding_output_names_are_refused_before_anything_is_written(tmp_path):
    seed = next(SEEDS.glob("*.txt"))
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        shutil.copy(seed, tmp_path / sub / "x.txt")
    result = teikit("convert", tmp_path / "a" / "x.txt", tmp_path / "b" / "x.txt", "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert "a/x.txt" in result.stderr and "b/x.txt" in result.stderr
    assert not (tmp_path / "out").exists()


def test_every_collision_is_named_once_in_input_order(tmp_path):
    seed = next(SEEDS.glob("*.txt"))
    for name in ("a/x.txt", "a/y.txt", "a/Y.TXT", "b/y.txt", "b/x.txt", "b/z.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        shutil.copy(seed, tmp_path / name)
    a, b, out = tmp_path / "a", tmp_path / "b", tmp_path / "out"
    result = teikit("convert", a, b, "-o", out)
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-1] == (
        f"Error: inputs would be written to the same output: {a}/x.txt, {b}/x.txt -> {out}/x.xml; "
        f"{a}/y.txt, {b}/y.txt -> {out}/y.xml")
    assert not out.exists()


def test_one_file_to_a_file_name_is_a_file(tmp_path):
    seed = next(SEEDS.glob("*.txt"))
    assert teikit("convert", seed, "-o", tmp_path / "out.txt").exit_code == 0
    assert (tmp_path / "out.txt").is_file()
    etree.parse(str(tmp_path / "out.txt"), safe_parser())


def test_a_folder_to_a_file_name_is_a_usage_error(tmp_path):
    result = teikit("convert", SEEDS, "-o", tmp_path / "o.xml")
    assert result.exit_code == 2 and "o.xml" in result.stderr
    assert not (tmp_path / "o.xml").exists()


# -- outputs are well-formed -----------------------------------------------------------------

PAGE_MARKS = ["[Page 4½]", "[Page 4²]", "[Page 4 ]", "[Page iv–v]", "[Page <4>]", "[Page 4&5]"]


@pytest.mark.parametrize("mark", PAGE_MARKS)
def test_convert_never_writes_a_file_that_is_not_well_formed(tmp_path, mark):
    source = tmp_path / "doc.txt"
    source.write_text(f"5. A Title\n\nText {mark} more text.\n", encoding="utf-8")
    result = teikit("convert", source, "-o", tmp_path / "doc.xml")
    if result.exit_code == 0:
        etree.parse(str(tmp_path / "doc.xml"), safe_parser())
    else:
        assert result.exit_code == 1 and not (tmp_path / "doc.xml").exists()


@pytest.mark.parametrize("mark", ["[Page 4½]", "[Page 4²]"])
def test_odd_page_numbers_give_an_ncname_id_and_keep_the_text(tmp_path, mark):
    source = tmp_path / "doc.txt"
    source.write_text(f"5. A Title\n\nText {mark} more text.\n", encoding="utf-8")
    assert teikit("convert", source, "-o", tmp_path / "doc.xml").exit_code == 0
    pb = etree.parse(str(tmp_path / "doc.xml"), safe_parser()).find(f".//{{{TEI_NS}}}pb")
    assert pb.get("n") == mark[6:-1]


# -- permissions -----------------------------------------------------------------------------

def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_outputs_are_readable_as_the_umask_says(tei_in, tmp_path):
    old = os.umask(0o022)
    try:
        assert teikit("convert", SEEDS, "-o", tmp_path / "tei").exit_code == 0
        assert teikit("export", "--format", "json", tei_in, "-o", tmp_path / "x.json").exit_code == 0
        assert teikit("validate", tei_in, "-o", tmp_path / "report.txt").exit_code in (0, 1)
        assert teikit("index", tei_in, "-o", tmp_path / "x.sqlite").exit_code == 0
        bag = teikit("export", "--format", "bagit", tei_in, "-o", tmp_path / "bag")
        assert bag.exit_code == 0, bag.stderr
    finally:
        os.umask(old)
    files = [*(tmp_path / "tei").iterdir(), tmp_path / "x.json", tmp_path / "report.txt",
             tmp_path / "x.sqlite", *(p for p in (tmp_path / "bag").rglob("*") if p.is_file())]
    folders = [tmp_path / "bag", *(p for p in (tmp_path / "bag").rglob("*") if p.is_dir())]
    assert {str(p): oct(_mode(p)) for p in files} == {str(p): "0o644" for p in files}
    assert {str(p): oct(_mode(p)) for p in folders} == {str(p): "0o755" for p in folders}


# -- one rule per kind of bad input ------------------------------------------------------------

LATIN1 = (b'<?xml version="1.0"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/>'
          b'<text><body><p>caf\xe9</p></body></text></TEI>\n')


@pytest.mark.parametrize("command, status", [
    (["validate", "{f}"], 1),
    (["query", "-x", "//tei:p", "{f}"], 2),
    (["search", "cafe", "{f}"], 2),
    (["notes", "{f}"], 2),
    (["index", "{f}", "-o", "{out}"], 2),
    (["export", "--format", "json", "{f}", "-o", "{out}"], 2),
])
def test_not_utf8_is_located_by_line_everywhere(tmp_path, command, status):
    bad = tmp_path / "latin.xml"
    bad.write_bytes(LATIN1)
    result = teikit(*[c.replace("{f}", str(bad)).replace("{out}", str(tmp_path / "o.x")) for c in command])
    assert result.exit_code == status
    assert f"{bad}:2" in (result.stdout + result.stderr)
    assert not (tmp_path / "o.x").exists()


@pytest.mark.parametrize("command", [
    ["query", "-x", "//p", "{f}"],
    ["notes", "{f}"],
    ["pages", "{f}"],
    ["search", "word", "{f}"],
    ["index", "{f}", "-o", "{out}"],
    ["export", "--format", "json", "{f}", "-o", "{out}"],
    ["export", "--format", "corpus", "{f}", "-o", "{out}"],
])
def test_not_tei_is_refused_the_same_way_everywhere(tmp_path, command):
    other = tmp_path / "other.xml"
    other.write_text("<root><p>word</p></root>")
    result = teikit(*[c.replace("{f}", str(other)).replace("{out}", str(tmp_path / "o.x")) for c in command])
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"{other}:1: not a TEI document (root <root>, "
                                     f"expected the TEI namespace {TEI_NS})")
    assert not (tmp_path / "o.x").exists()


@pytest.mark.parametrize("command, status", [
    (["validate", "{f}"], 1),
    (["query", "-x", "//tei:p", "{f}"], 2),
    (["export", "--format", "text", "{f}", "-o", "{out}"], 2),
])
def test_a_newline_in_a_file_name_keeps_messages_on_one_line(tmp_path, monkeypatch, command, status):
    """A name that is not printable is shown as its Python repr: 'a\\nb.xml':2: ..."""
    monkeypatch.chdir(tmp_path)
    Path("a\nb.xml").write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0">\n<oops></TEI>')
    result = teikit(*[c.replace("{f}", "a\nb.xml").replace("{out}", "o.txt") for c in command])
    assert result.exit_code == status
    located = [line for line in (result.stdout + result.stderr).splitlines() if "well-formed" in line]
    assert len(located) == 1 and located[0].startswith("'a\\nb.xml':2:")
    assert not Path("o.txt").exists()


@pytest.mark.parametrize("command", [
    ["search", "", "{in}"],
    ["search", '""', "{in}"],
    ["convert", str(SEEDS), "-o", "{tmp}/out", "-j", "0"],
    ["validate", "{in}", "-j", "0"],
])
def test_empty_query_and_zero_jobs_are_usage_errors(tei_in, tmp_path, command):
    result = teikit(*[c.replace("{in}", str(tei_in)).replace("{tmp}", str(tmp_path)) for c in command])
    assert result.exit_code == 2
    assert not (tmp_path / "out").exists()


def test_verify_of_a_folder_that_is_no_bag_is_bad_input(tmp_path):
    assert teikit("verify", tmp_path).exit_code == 2


def test_a_dangling_link_is_reported_and_the_batch_goes_on(tei_in, tmp_path):
    (tei_in / "zz.xml").symlink_to(tmp_path / "gone.xml")
    result = teikit("validate", tei_in)
    assert result.exit_code == 1 and f"{tei_in / 'zz.xml'}" in result.stdout
    assert result.stdout.count("[io-error]") == 1
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    (seeds / "zz.txt").symlink_to(tmp_path / "gone.txt")
    result = teikit("convert", seeds, "-o", tmp_path / "out")
    assert result.exit_code == 1 and "zz.txt" in result.stderr
    assert len(list((tmp_path / "out").glob("*.xml"))) == len(list(SEEDS.glob("*.txt")))


@pytest.mark.parametrize("command", [
    ["query", "-x", "//tei:p", "{f}"],
    ["pages", "{f}"],
    ["export", "--format", "text", "{f}", "-o", "{out}"],
])
def test_an_external_entity_is_refused_not_dropped(tmp_path, command):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    evil = tmp_path / "evil.xml"
    evil.write_text(f'<!DOCTYPE TEI [<!ENTITY ext SYSTEM "{secret}">]>\n'
                    f'<TEI xmlns="{TEI_NS}"><text><body><div type="document"><p>a &ext; b</p></div>'
                    '</body></text></TEI>')
    result = teikit(*[c.replace("{f}", str(evil)).replace("{out}", str(tmp_path / "o.txt")) for c in command])
    assert result.exit_code == 2 and "&ext;" in result.stderr and f"{evil}:2" in result.stderr
    assert "TOP-SECRET" not in result.stdout + result.stderr
    assert not (tmp_path / "o.txt").exists()


# -- hostile documents: refused with one line, never a crash --------------------------------------

LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE TEI [\n <!ENTITY a "aaaaaaaaaaaaaaaaaaaa">\n'
          + "".join(f' <!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 20}">\n' for i in range(8))
          + f']>\n<TEI xmlns="{TEI_NS}"><text><body><p>&i;</p></body></text></TEI>\n')


@pytest.fixture(params=["laughs", "deep", "long-line"])
def hostile(request, tmp_path) -> Path:
    path = tmp_path / f"{request.param}.xml"
    if request.param == "laughs":
        path.write_text(LAUGHS)
    elif request.param == "deep":
        path.write_text(f'<TEI xmlns="{TEI_NS}"><text><body>' + "<div>" * 20_000 + "x"
                        + "</div>" * 20_000 + "</body></text></TEI>")
    else:
        path.write_text(f'<TEI xmlns="{TEI_NS}"><text><body><div type="document"><p>'
                        + "word " * 2_000_000 + "</p></div></body></text></TEI>")
    return path


@pytest.mark.parametrize("command", [
    ["validate", "{f}"],
    ["query", "-x", "count(//tei:p)", "{f}"],
    ["search", "word", "-n", "1", "{f}"],
    ["export", "--format", "json", "{f}", "-o", "{out}"],
])
def test_hostile_documents_end_cleanly(hostile, tmp_path, command):
    before = fingerprint(hostile.parent)
    result = teikit(*[c.replace("{f}", str(hostile)).replace("{out}", str(tmp_path / "o.json"))
                      for c in command])
    assert result.exit_code in (0, 1, 2)
    if result.exit_code == 2:
        assert len(result.stderr.strip().splitlines()) == 1 and str(hostile) in result.stderr
    if hostile.stem == "laughs":
        assert result.exit_code != 0 and "aaaa" * 1000 not in result.stdout
    assert fingerprint(hostile.parent) == before | (
        {"o.json": fingerprint(tmp_path)["o.json"]} if (tmp_path / "o.json").exists() else {})


# -- temporaries of killed runs ------------------------------------------------------------------

@pytest.mark.parametrize("command", [
    ["convert", str(SEEDS), "-o", "{out}"],
    ["export", "--format", "bagit", "{in}", "-o", "{out}/bag"],
    ["export", "--format", "json", "{in}", "-o", "{out}/x.json"],
    ["validate", "{in}", "-o", "{out}/report.txt"],
    ["index", "{in}", "-o", "{out}/x.sqlite"],
])
def test_the_next_run_removes_what_a_killed_run_left(tei_in, tmp_path, command):
    out = tmp_path / "out"
    out.mkdir()
    dead_pid = 2 ** 22 + 1  # above Linux's pid_max default: no such process
    (out / f".teikit-tmp.{dead_pid}.x.xml.abc.tmp").write_text("half a file")
    (out / f".teikit-tmp.{dead_pid}.bag.def.tmp").mkdir()
    result = teikit(*[c.replace("{in}", str(tei_in)).replace("{out}", str(out)) for c in command])
    assert result.exit_code in (0, 1)
    assert [p.name for p in out.iterdir() if p.name.startswith(".teikit-tmp")] == []


# -- XInclude (the fix belongs to validation; kept here so the hostile suite is whole) ------------

XINCLUDE_SECONDS = 15  # a read of /dev/zero never ends: bound the run, a hang is a failure


@pytest.mark.parametrize("href", ["/dev/zero", "../../outside.txt"])
def test_xinclude_of_a_device_or_outside_the_tree_is_refused(tmp_path, href):
    (tmp_path / "outside.txt").write_text("OUTSIDE-THE-TREE")
    (tmp_path / "in" / "sub").mkdir(parents=True)
    doc = tmp_path / "in" / "sub" / "x.xml"
    doc.write_text(f'<TEI xmlns="{TEI_NS}" xmlns:xi="http://www.w3.org/2001/XInclude"><text><body><p>'
                   f'<xi:include href="{href}" parse="text"/></p></body></text></TEI>')
    try:
        run = subprocess.run([sys.executable, "-m", "teikit", "validate", str(doc)], capture_output=True,
                             text=True, timeout=XINCLUDE_SECONDS)
    except subprocess.TimeoutExpired:
        pytest.fail(f"validate did not end within {XINCLUDE_SECONDS} s")
    assert run.returncode == 1 and "[xinclude]" in run.stdout and "OUTSIDE-THE-TREE" not in run.stdout


# -- special files in input folders -----------------------------------------------------------------

FIFO_SECONDS = 60  # opening a FIFO without a writer never returns: bound the run, a hang is a failure


@pytest.mark.parametrize("command", [
    ["validate", "{in}"],
    ["convert", "{in}", "-o", "{out}"],
    ["pages", "{in}"],
    ["export", "--format", "json", "{in}", "-o", "{out}.json"],
])
def test_a_fifo_in_an_input_folder_is_refused_not_waited_for(tei_in, tmp_path, command):
    shutil.copy(sorted(SEEDS.glob("*.txt"))[0], tei_in)   # convert reads .txt files, the others TEI
    suffix = ".txt" if command[0] == "convert" else ".xml"
    os.mkfifo(tei_in / f"zz{suffix}")
    args = [c.replace("{in}", str(tei_in)).replace("{out}", str(tmp_path / "out")) for c in command]
    try:
        run = subprocess.run([sys.executable, "-m", "teikit", *args], capture_output=True, text=True,
                             timeout=FIFO_SECONDS)
    except subprocess.TimeoutExpired:
        pytest.fail(f"teikit {command[0]} waited for a writer of the FIFO for {FIFO_SECONDS} s")
    assert run.returncode == 2 and f"{tei_in / f'zz{suffix}'}: not a regular file (a FIFO)" in run.stderr
    assert not list(tmp_path.glob("out*"))
