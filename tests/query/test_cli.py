"""teikit query / notes / pages / search / index on the command line."""
from __future__ import annotations

import csv
import io
import json
import resource
import subprocess
import sys

import pytest
from click.testing import CliRunner

from teikit.cli import cli

from .conftest import PAGES_FIXTURE


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return invoke


def test_query_xpath_text_and_json(run, dev_corpus):
    path = dev_corpus / "frus1955-57v01_d186.xml"
    result = run("query", path, "--xpath", "//tei:note[@n='3']")
    assert result.exit_code == 0
    assert result.output == f"{path}:35: d186 p. 404: See Document 189.\n"
    rows = json.loads(run("query", dev_corpus, "-x", "//tei:ref/@target", "--format", "json").output)
    assert len(rows) == 13
    assert rows[0] == {"file": str(path), "line": 35, "document": "d186", "page": "404", "value": "#d189"}
    counts = run("query", path, "-x", "count(//tei:pb)").output
    assert counts == f"{path}: 4\n"


def test_notes_in_three_formats(run, dev_corpus):
    text = run("notes", dev_corpus, "--document", "d186").output.splitlines()
    assert text == [
        "Document 186, p. 401, note 1 [source]: Source: Department of State, Central Files, "
        "751G.00/5–1255. Secret. Repeated for information to Saigon.",
        "Document 186, p. 401, note 2: May 11.",
        "Document 186, p. 404, note 3: See Document 189.",
    ]
    rows = json.loads(run("notes", dev_corpus, "-d", "186", "--format", "json").output)
    assert [(r["id"], r["page"], r["text"]) for r in rows][1] == ("d186fn2", "401", "May 11.")
    assert rows[1]["anchor"].endswith("took three hours Wednesday")
    table = list(csv.DictReader(io.StringIO(run("notes", dev_corpus, "--type", "source",
                                                "--format", "csv").output)))
    assert len(table) == 19 and all(r["type"] == "source" for r in table)  # d192 has no notes


def test_pages_with_and_without_notes(run):
    out = run("pages", PAGES_FIXTURE, "--page", "284").output
    assert out == "== Document 59, p. 284 (pg_284) ==\non that basis.\n\n"
    out = run("pages", PAGES_FIXTURE, "-p", "284", "--notes").output
    assert "4. The long note begins on page 284 and\ncontinues" in out
    rows = json.loads(run("pages", PAGES_FIXTURE, "--format", "json").output)
    assert [r["page"] for r in rows] == ["282", "283", "284", "285"]
    assert rows[0]["inferred"] is True and rows[1]["id"] == "pg_283"


def test_index_then_search(run, dev_corpus, tmp_path):
    index = tmp_path / "dev.sqlite"
    built = run("index", dev_corpus, "-o", index)
    assert built.exit_code == 0 and "in 20 file(s)" in built.output
    indexed = run("search", '"Geneva Accords"', "--index", index)
    scanned = run("search", '"Geneva Accords"', dev_corpus)
    citations = [[line.split(": ")[0] for line in out.output.splitlines()] for out in (indexed, scanned)]
    assert citations[0] == citations[1]
    assert indexed.output.splitlines()[0].startswith("Document 186, p. 402: ")
    rows = list(csv.DictReader(io.StringIO(run("search", "Saigon", dev_corpus, "-n", "2",
                                               "--format", "csv").output)))
    assert len(rows) == 2 and rows[0]["citation"].startswith("Document ")


@pytest.mark.parametrize("args, message", [
    (["notes", "missing.xml"], "missing.xml: no such file or folder"),
    (["query", "{fixture}", "-x", "//tei:["], "{fixture}: invalid XPath '//tei:[': "),
    (["notes", "{fixture}", "-d", "d999"], "teikit: error: no document 'd999' in the corpus"),
    (["search", "x", "--index", "none.sqlite"], "none.sqlite: no such index"),
])
def test_errors_are_one_line_and_exit_2(run, args, message):
    args = [a.replace("{fixture}", str(PAGES_FIXTURE)) for a in args]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert result.output.startswith(message.replace("{fixture}", str(PAGES_FIXTURE)))
    assert "Traceback" not in result.output


def test_malformed_xml_is_reported_with_its_line(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text("<TEI>\n<text>\n</TEI>\n", "utf-8")
    result = CliRunner().invoke(cli, ["pages", str(bad)])
    assert result.exit_code == 2
    assert result.output.startswith(f"{bad}:3: not well-formed XML")


def test_an_unnumbered_page_is_headed_by_its_key_once(run, tmp_path):
    path = tmp_path / "pages.xml"
    path.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><pb n="1"/><p>a</p>'
                    '<pb/><p>b</p></body></text></TEI>', "utf-8")
    headings = [line for line in run("pages", path).output.splitlines() if line.startswith("==")]
    assert headings == ["== p. 1 (pb1) ==", "== unnumbered page (pb2) =="]


def test_an_index_that_cannot_be_written(dev_corpus, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", "utf-8")
    result = CliRunner().invoke(cli, ["index", str(dev_corpus), "-o", str(blocker / "x.sqlite")])
    assert result.exit_code == 2 and result.output.startswith(str(blocker))
    assert "Traceback" not in result.output


def test_an_index_that_fills_the_disk_is_an_output_error(dev_corpus, tmp_path):
    """SQLite's 'database or disk is full' ended `teikit index` as an internal error without a
    file name; a file size limit gives the same failure of SQLite's writes in a test."""
    index = tmp_path / "out.sqlite"

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (32_768, 32_768))  # Python ignores SIGXFSZ
    run = subprocess.run([sys.executable, "-m", "teikit", "index", str(dev_corpus), "-o", str(index), "-q"],
                         capture_output=True, text=True, preexec_fn=small_files, timeout=120)
    assert run.returncode == 2 and run.stderr.startswith(f"{index}: cannot write the index: "), run.stderr
    assert "internal error" not in run.stderr and list(tmp_path.iterdir()) == []


def test_an_empty_query_is_a_usage_error(dev_corpus):
    result = CliRunner().invoke(cli, ["search", "", str(dev_corpus)])
    assert result.exit_code == 2 and "no words to search for" in result.output


def test_search_needs_paths_or_an_index():
    result = CliRunner().invoke(cli, ["search", "x"])
    assert result.exit_code == 2 and "give PATHs to search or --index INDEX" in result.output


def test_a_bad_file_read_by_an_index_worker_is_reported_and_nothing_written(dev_corpus, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for source in sorted(dev_corpus.glob("*.xml")):
        (folder / source.name).write_bytes(source.read_bytes())
    (folder / "zz_latin1.xml").write_bytes(b'<TEI xmlns="http://www.tei-c.org/ns/1.0">\n<text>caf\xe9</text></TEI>')
    index = tmp_path / "out.sqlite"
    # -q: no progress line (they depend on timing) before the error
    result = CliRunner().invoke(cli, ["index", str(folder), "-o", str(index), "-j", "2", "-q"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.output.startswith(f"{folder / 'zz_latin1.xml'}:2: not well-formed XML")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]
