"""The command line's quicker ways to the same outputs: inputs moved into the corpus instead of
copied, the html page's text-only volume, warnings printed without making a diagnostic each, the
page serialised to UTF-8 bytes at once, titles read without the rest of an outline, a corpus
checked readable without parsing it again."""
from __future__ import annotations

import copy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from teikit.export.corpus import build_corpus
from teikit.export.html import render_html, render_html_bytes
from teikit.export.inputs import load_inputs, tree_ids
from teikit.errors import OutputError
from teikit.query.document import outline, outline_title, read_tei
from teikit.xmlio import XML_MAX_DEPTH, check_tree_readable, check_well_formed, parse_xml, safe_parser, tei


@pytest.fixture
def copies(dev_corpus: Path, tmp_path: Path) -> Path:
    """The dev corpus twice under names of no known volume: every id clashes (all are prefixed)
    and the pointers to people and terms lead outside the corpus (reported)."""
    for n in (0, 1):
        for source in sorted(dev_corpus.glob("*.xml")):
            shutil.copyfile(source, tmp_path / f"copy{n}_{source.name}")
    return tmp_path


@pytest.mark.parametrize("layout", ["teicorpus", "volume"])
def test_moving_the_inputs_builds_the_same_corpus(copies: Path, layout) -> None:
    kept = load_inputs([copies])
    before = [etree.tostring(doc.root) for doc in kept]
    copied = build_corpus(kept, layout=layout, date="2026-01-02")
    assert [etree.tostring(doc.root) for doc in kept] == before  # by default the inputs are left alone
    moved = build_corpus(load_inputs([copies]), layout=layout, date="2026-01-02", keep_inputs=False)
    assert moved.to_bytes() == copied.to_bytes()
    assert moved.prefixed and moved.rewritten == copied.rewritten > 0
    assert moved.outside == copied.outside != []
    assert moved.ids == copied.ids == tree_ids(moved.tree.getroot())


def test_warning_lines_are_the_unresolved_diagnostics(copies: Path) -> None:
    result = build_corpus(load_inputs([copies]))
    lines = result.warning_lines()
    assert len(lines) == len(result.outside) > 0
    assert lines == [str(diagnostic) for diagnostic in result.unresolved]
    assert {(d.severity, d.rule) for d in result.unresolved} == {("warning", "ref-target")}
    assert all(d.line for d in result.unresolved)


def test_the_text_only_volume_has_the_text_ids_and_links_of_the_volume(copies: Path) -> None:
    full = build_corpus(load_inputs([copies]), layout="volume")
    text = build_corpus(load_inputs([copies]), layout="volume", text_only=True, keep_inputs=False)
    full_root, text_root = full.tree.getroot(), text.tree.getroot()
    assert text_root.find(tei("teiHeader")) is None and text.outside == []
    assert "".join(text_root.find(tei("text")).itertext()) == "".join(full_root.find(tei("text")).itertext())
    assert text.ids == full.ids == tree_ids(text_root)
    assert ([el.get("target") for el in text_root.iter(tei("ref"), tei("ptr"))]
            == [el.get("target") for el in full_root.iter(tei("ref"), tei("ptr"))])
    with pytest.raises(ValueError):
        build_corpus(load_inputs([copies]), text_only=True)  # a teiCorpus has its header


def test_the_page_is_the_same_made_from_moved_inputs_and_as_bytes(copies: Path) -> None:
    page = render_html(load_inputs([copies]), title="Copies")
    assert render_html(load_inputs([copies]), title="Copies", keep_inputs=False) == page
    assert render_html_bytes(load_inputs([copies]), title="Copies", keep_inputs=False) == page.encode("utf-8")


def test_the_one_input_title_is_read_before_its_tree_is_taken_apart(dev_corpus: Path) -> None:
    one = sorted(dev_corpus.glob("*.xml"))[:1]
    assert (render_html_bytes(load_inputs(one), keep_inputs=False)
            == render_html(load_inputs(one)).encode("utf-8"))


def test_outline_title_is_the_heading_and_title_of_the_outline(dev_corpus: Path) -> None:
    roots = [read_tei(path).getroot() for path in sorted(dev_corpus.glob("*.xml"))]
    roots.append(etree.fromstring(  # a TEI file: no outline
        b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><div type="document">'
        b'<head>1. A</head></div></body></text></TEI>'))
    roots.append(etree.fromstring(  # a document without a head
        b'<div xmlns="http://www.tei-c.org/ns/1.0" type="document"><p>x</p></div>'))
    for root in roots:
        found = outline(root)
        assert outline_title(root) == (None if found is None else (found.heading, found.title))
    assert outline_title(roots[0]) is not None and outline_title(roots[-2]) is None


def test_a_tree_is_refused_as_xml_exactly_when_its_serialisation_does_not_parse() -> None:
    """check_tree_readable (no parse) gives check_well_formed's verdict (a parse) on trees at
    and around the deepest that parsers read, made deeper than any input by wrapping them."""
    for depth in (XML_MAX_DEPTH - 2, XML_MAX_DEPTH - 1, XML_MAX_DEPTH):
        root = etree.fromstring(b"<a>" * depth + b"x<!--c--><?p i?>" + b"</a>" * depth, safe_parser())
        for tree in (root, _wrapped(root)):
            verdicts = []
            for check, data in ((check_well_formed, etree.tostring(tree)), (check_tree_readable, tree)):
                try:
                    check(data, name="out.xml")
                    verdicts.append(True)
                except OutputError:
                    verdicts.append(False)
            assert verdicts in ([True, True], [False, False])
            assert verdicts[0] == (depth + (tree is not root) <= XML_MAX_DEPTH)


def _wrapped(root: etree._Element) -> etree._Element:
    wrapper = etree.Element("w")
    wrapper.append(copy.deepcopy(root))
    return wrapper


def _export(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from teikit.cli import main; main()", "export", *args],
                          capture_output=True, text=True, timeout=120)


def test_a_corpus_too_deep_to_read_back_is_not_written(tmp_path: Path) -> None:
    hi = XML_MAX_DEPTH - 6  # the file is read (2,047 levels); its corpus would nest 2,049
    source = tmp_path / "deep.xml"
    source.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><div type="document"><p>'
        + "<hi>" * hi + 'deepest<note n="1">its note</note>' + "</hi>" * hi + "</p></div></body></text></TEI>")
    run = _export("--format", "corpus", str(source), "-o", str(tmp_path / "c.xml"))
    assert run.returncode == 2 and not (tmp_path / "c.xml").exists()
    assert run.stderr.startswith(f"{tmp_path / 'c.xml'}: output would not be well-formed XML")
    run = _export("--format", "corpus", "-l", "volume", str(source), "-o", str(tmp_path / "v.xml"))
    assert run.returncode == 0, run.stderr  # the volume nests it no deeper: read back whole
    assert "its note" in "".join(parse_xml(tmp_path / "v.xml").getroot().itertext())


def test_an_id_that_is_no_name_does_not_stop_a_corpus_written_as_xml(tmp_path: Path) -> None:
    """teikit reads a file whose xml:id is not an XML name (a validity error, not a well-formedness
    one); its corpus was refused as 'not well-formed' when written to a .xml file (the re-parse of
    the output took the id for a syntax error), though written to any other name."""
    source = tmp_path / "d1.xml"
    source.write_text('<div xmlns="http://www.tei-c.org/ns/1.0" type="document" xml:id="1st">'
                      '<head>1. A</head><p>text</p></div>')
    run = _export("--format", "corpus", str(source), "-o", str(tmp_path / "c.xml"))
    assert run.returncode == 0, run.stderr
    assert 'xml:id="1st"' in (tmp_path / "c.xml").read_text()
    assert "text" in "".join(parse_xml(tmp_path / "c.xml").getroot().itertext())
