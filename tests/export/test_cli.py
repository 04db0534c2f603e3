from __future__ import annotations

from teikit import load as teikit_load

import json
import resource
import subprocess
import sys

import pytest


def teikit(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from teikit.cli import main; main()", *args],
                          capture_output=True, text=True, cwd=cwd, timeout=120)


def test_export_formats_and_no_overwrite(small_corpus, tmp_path):
    out = tmp_path / "out"
    for fmt, target in [("corpus", out / "c.xml"), ("html", out / "p.html"), ("json", out / "j.json")]:
        run = teikit("export", "--format", fmt, str(small_corpus), "-o", str(target))
        assert run.returncode == 0, run.stderr
        before = target.read_bytes()
        run = teikit("export", "--format", fmt, str(small_corpus), "-o", str(target))
        assert run.returncode == 2
        assert run.stderr.strip() == f"{target}: output exists; use --force to replace it"
        assert target.read_bytes() == before
        run = teikit("export", "--format", fmt, str(small_corpus), "-o", str(target), "--force")
        assert run.returncode == 0, run.stderr
    assert json.loads((out / "j.json").read_text())["format"] == "teikit-json"
    assert b"<teiCorpus" in (out / "c.xml").read_bytes()
    run = teikit("export", "--format", "corpus", "--layout", "volume", "--title", "Vol",
                 str(small_corpus), "-o", str(out / "v.xml"))
    assert run.returncode == 0 and b"<title>Vol</title>" in (out / "v.xml").read_bytes()


def test_text_export_one_file_per_input(small_corpus, dev_corpus, tmp_path):
    pytest.importorskip("teikit.converter.plaintext")
    run = teikit("export", "--format", "text", str(small_corpus), "-o", str(tmp_path / "txt"))
    assert run.returncode == 0, run.stderr
    names = sorted(p.name for p in (tmp_path / "txt").iterdir())
    assert names == ["frus1955-57v01_d186.txt", "frus1955-57v01_d189.txt", "frus1969-76ve13_d74.txt"]
    single = tmp_path / "one.txt"
    run = teikit("export", "--format", "text", str(small_corpus / "frus1955-57v01_d186.xml"),
                 "-o", str(single))
    assert run.returncode == 0, run.stderr
    assert single.read_text() == teikit_load(small_corpus / "frus1955-57v01_d186.xml").text(notes=True)


def test_errors_are_one_located_line_without_traceback(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text("<div xmlns='http://www.tei-c.org/ns/1.0'>\n<p>\n</div>\n")
    run = teikit("export", "--format", "corpus", str(bad), "-o", str(tmp_path / "c.xml"))
    assert run.returncode == 2
    assert run.stderr.startswith(f"{bad}:3: not well-formed XML")
    assert "Traceback" not in run.stderr and not (tmp_path / "c.xml").exists()
    run = teikit("export", "--format", "html", str(tmp_path / "missing"), "-o", str(tmp_path / "x.html"))
    assert run.returncode == 2 and run.stderr.strip() == f"{tmp_path / 'missing'}: no such file or folder"
    run = teikit("export", "--format", "pdf", str(bad), "-o", "x")
    assert run.returncode == 2 and "Traceback" not in run.stderr


@pytest.mark.parametrize("fmt, name", [("json", "out.json"), ("site", "site"), ("corpus", "out.xml"),
                                       ("html", "out.html"), ("bagit", "bag"), ("text", "text")])
def test_a_full_disk_names_the_output(small_corpus, tmp_path, fmt, name):
    """json and site said only 'teikit: File too large' ('No space left on device' on a full disk)."""
    out = tmp_path / "out"
    out.mkdir()

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))  # Python ignores SIGXFSZ: writes fail
    run = subprocess.run([sys.executable, "-m", "teikit", "export", "--format", fmt, str(small_corpus),
                          "-o", str(out / name)], capture_output=True, text=True, preexec_fn=small_files,
                         timeout=120)
    assert run.returncode == 2 and run.stderr.startswith(str(out / name)), run.stderr
    assert "File too large" in run.stderr and list(out.iterdir()) == []


def test_verify_exit_codes(tmp_path):
    run = teikit("verify", str(tmp_path))
    assert run.returncode == 2 and "not a BagIt bag" in run.stderr and "Traceback" not in run.stderr
    run = teikit("verify", str(tmp_path / "missing"))
    assert run.returncode == 2 and "Traceback" not in run.stderr


def test_bagit_and_verify_end_to_end(tei_dir, tmp_path):
    pytest.importorskip("teikit.validation")
    files = sorted(tei_dir.glob("*.xml"))
    if not files:
        pytest.skip("no converter output in tei/ yet")
    bag = tmp_path / "bag"
    run = teikit("export", "--format", "bagit", *map(str, files), "-o", str(bag),
                 "--organization", "Test")
    assert run.returncode == 0, run.stderr
    run = teikit("verify", str(bag))
    assert run.returncode == 0, run.stderr
    victim = bag / "data" / "tei" / files[0].name
    victim.write_bytes(victim.read_bytes() + b"\n")
    run = teikit("verify", str(bag))
    assert run.returncode == 1 and files[0].name in run.stderr
    assert f"{bag}: error: " in run.stderr  # a bag problem is printed as every Diagnostic is


def test_a_file_nested_as_deep_as_xml_parsers_allow_exports_in_every_format(tmp_path):
    # libxml2 reads trees up to 2,048 levels deep; the renderers recurse, and Python's default
    # recursion limit stopped html and text at about 700 levels, json at about 1,500
    depth = 2040
    source = tmp_path / "deep.xml"
    source.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>t</title>'
        "</titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc>"
        '</teiHeader><text><body><div type="document" xml:id="d1"><p>' + "<hi>" * depth
        + 'deepest words<note n="1">its note</note>' + "</hi>" * depth + "</p></div></body></text></TEI>")
    for fmt, name in [("json", "d.json"), ("html", "d.html"), ("text", "d.txt"), ("corpus", "c.xml")]:
        run = teikit("export", "--format", fmt, str(source), "-o", str(tmp_path / name))
        assert run.returncode == 0, (fmt, run.stderr)
        written = (tmp_path / name).read_text()
        assert "deepest words" in written and "its note" in written, fmt
