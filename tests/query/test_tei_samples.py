"""Every file of ../shared/tei-samples (TEI that teikit did not write) is read or refused clearly."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

import teikit
from teikit.cli import cli
from teikit.errors import InputError
from teikit.query.corpus import search_files
from teikit.query.search import tokens

SAMPLES_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "tei-samples"
SAMPLES = sorted(SAMPLES_DIR.rglob("*.xml")) if SAMPLES_DIR.is_dir() else []
#: the only reasons a sample may be refused for
REFUSALS = ("not a TEI document", "not well-formed XML")


def sample_params():
    if not SAMPLES:
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"{SAMPLES_DIR} is not present"))]
    return [pytest.param(path, id=str(path.relative_to(SAMPLES_DIR))) for path in SAMPLES]


def load_or_refuse(path: Path):
    try:
        return teikit.load(path)
    except InputError as exc:
        assert exc.path == str(path) and any(reason in exc.message for reason in REFUSALS), str(exc)
        assert exc.line is not None, str(exc)
        return None


def tei_nodes(doc, name: str) -> list[etree._Element]:
    """``name`` elements of the file that carry text of it (not in the header)."""
    skipped = {"teiHeader", "facsimile", "standOff"}
    root = doc.element.getroottree().getroot()
    return [el for el in root.iter(f"{{{teikit.query.pages.TEI_NS}}}{name}", name)
            if not any(etree.QName(a).localname in skipped for a in el.iterancestors())]


@pytest.mark.parametrize("path", sample_params())
def test_every_sample_loads_with_a_page_per_pb_and_every_note(path):
    doc = load_or_refuse(path)
    if doc is None:
        return
    leading = [page for page in doc.pages if page.inferred]
    assert len(leading) <= 1 and (not leading or doc.pages[0] is leading[0])
    assert len(doc.pages) - len(leading) == len(tei_nodes(doc, "pb"))
    assert len({page.key for page in doc.pages}) == len(doc.pages)  # every page can be addressed
    for page in doc.pages:
        assert doc.page(page.key) is page
    assert len(doc.notes) == len(tei_nodes(doc, "note"))
    assert doc.units and all(unit.text() or unit.notes or unit.is_document for unit in doc.units)


@pytest.mark.parametrize("path", sample_params())
def test_every_sample_is_searchable(path):
    doc = load_or_refuse(path)
    if doc is None or not tokens(doc.text()):
        return
    word = max(tokens(doc.text()), key=len)
    hits = list(search_files([path], word, limit=1))
    assert len(hits) == 1 and word in tokens(hits[0].snippet)


@pytest.mark.parametrize("command", [["pages"], ["notes"], ["search", "the"]])
def test_query_commands_read_every_sample_or_refuse_it_in_one_line(command):
    if not SAMPLES:
        pytest.skip(f"{SAMPLES_DIR} is not present")
    runner = CliRunner()
    for path in SAMPLES:
        result = runner.invoke(cli, [*command, str(path)])
        assert result.exit_code in (0, 2) and "Traceback" not in result.output, (path, result.output[-300:])
        if result.exit_code == 2:
            first = result.output.splitlines()[0]
            assert first.startswith(f"{path}:") and any(r in first for r in REFUSALS), first


def test_the_frus_volume_front_matter_and_every_page(tmp_path):
    volume = SAMPLES_DIR / "frus1864p3.xml"
    if not volume.is_file():
        pytest.skip(f"{volume} is not present")
    doc = teikit.load(volume)
    front = next(unit for unit in doc.units if unit.kind == "front")
    assert front.text() and not front.is_document
    assert doc.page("[I]").cite() == "p. [I]"
    unnumbered = doc.page("pg-seq-2")  # <pb n=""/>: no number, addressed by its xml:id
    assert unnumbered.n is None and unnumbered.cite() == "unnumbered page (pg-seq-2)"
    assert len(doc.documents) == doc.xpath("count(//tei:div[@type='document'])") == 885
    enclosure = doc.xpath("(//tei:div[@type='document'][.//*[local-name()='attachment']])[1]")[0]
    owner = next(d for d in doc.documents if d.element is enclosure)
    assert "[Enclosure.]" in owner.text()  # a frus:attachment is text of its document
    result = CliRunner().invoke(cli, ["pages", str(volume), "-p", "[I]"])
    assert result.exit_code == 0 and result.output.startswith("== p. [I] (pg_I) ==")


def test_page_numbers_as_written_and_repeated(tmp_path):
    path = tmp_path / "pages.xml"
    path.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>a <pb n="p.208"/>b'
                    '<pb n="5"/>c<pb n="5"/>d<pb/>e</p></body></text></TEI>', "utf-8")
    doc = teikit.load(path)
    assert [(p.n, p.key, p.text) for p in doc.pages] == [
        ("p.208", "pb1", "a b"), ("5", "pb2", "c"), ("5", "pb3", "d"), (None, "pb4", "e")]
    assert [p.cite() for p in doc.pages] == ["p.208", "p. 5", "p. 5", "unnumbered page (pb4)"]
    assert doc.page("pb3").text == "d" and doc.page("5").text == "c"


def test_a_document_nested_in_another_belongs_to_it(tmp_path):
    path = tmp_path / "frus1861.xml"
    path.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:frus="http://history.state.gov/frus/ns/1.0">'
        '<text><body><div type="chapter"><head>Chapter</head><pb n="49" xml:id="pg_49"/>'
        '<div type="document" xml:id="d1" n="1"><p>Letter.</p><frus:attachment>'
        '<div type="document" xml:id="d1a"><p>Enclosure.</p></div></frus:attachment></div>'
        '<div type="document" xml:id="d2" n="2"><p>Reply.</p></div></div></body></text></TEI>', "utf-8")
    doc = teikit.load(path)
    assert [(d.id, d.text()) for d in doc] == [("d1", "Letter.\nEnclosure."), ("d2", "Reply.")]
    assert [(u.kind, u.text()) for u in doc.units if not u.is_document] == [("body", "Chapter")]
    assert [p.key for p in doc.pages] == ["pb0", "pg_49"] and doc.pages[0].inferred
    assert doc.page("49").text == "Letter.\nEnclosure.\nReply."


def test_tei_corpus_group_and_bare_div(tmp_path):
    corpus = tmp_path / "corpus.xml"
    corpus.write_text(
        '<teiCorpus xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/>'
        '<TEI xml:id="one"><teiHeader/><text><front><p>Title one</p></front><body><p>Body one</p></body></text></TEI>'
        '<TEI><teiHeader/><text><group><text><body><p>Inner a</p></body></text>'
        '<text><body><p>Inner b</p></body></text></group></text></TEI></teiCorpus>', "utf-8")
    doc = teikit.load(corpus)
    assert [d.text() for d in doc] == ["Title one\nBody one", "Inner a\nInner b"]
    bare = tmp_path / "bare.xml"
    bare.write_text('<div xmlns="http://www.tei-c.org/ns/1.0"><head>H</head><p>P</p></div>', "utf-8")
    assert teikit.load(bare).text() == "H\nP"


def test_non_tei_xml_is_refused_by_query_and_index(tmp_path):
    other = tmp_path / "other.xml"
    other.write_text("<project><name>x</name></project>", "utf-8")
    for args in (["pages", str(other)], ["search", "x", str(other)],
                 ["index", str(other), "-o", str(tmp_path / "i.sqlite")]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 2, args
        assert result.output.startswith(f"{other}:1: not a TEI document (root <project>"), result.output
    assert not (tmp_path / "i.sqlite").exists()
