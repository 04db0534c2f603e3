"""Every export format on every file of ../shared/tei-samples: no word lost, or a clear refusal."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from lxml import html as lxml_html

import teikit
from teikit.cli import cli
from teikit.errors import InputError
from teikit.export.corpus import build_corpus
from teikit.export.html import render_html
from teikit.export.inputs import Input, missing_words
from teikit.export.json_export import export_json
from teikit.export.text import render_text
from teikit.query.document import from_tree
from teikit.xmlio import XML_ID, parse_xml, tree_xml_ids

SAMPLES_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "tei-samples"
SAMPLES = sorted(SAMPLES_DIR.rglob("*.xml")) if SAMPLES_DIR.is_dir() else []
VOLUME = SAMPLES_DIR / "frus1864p3.xml"
#: HTML elements that start a line when shown (their text is not run into the next one)
HTML_BLOCKS = {"p", "div", "li", "ol", "ul", "h1", "h2", "h3", "section", "article", "td", "tr",
               "table", "blockquote", "br"}


def sample_params():
    if not SAMPLES:
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"{SAMPLES_DIR} is not present"))]
    return [pytest.param(path, id=str(path.relative_to(SAMPLES_DIR))) for path in SAMPLES]


def loaded_input(path: Path) -> Input | None:
    try:
        return Input(path, teikit.load(path))
    except InputError as exc:
        assert "not a TEI document" in exc.message or "not well-formed XML" in exc.message, str(exc)
        return None


def loaded_text(doc: Input) -> str:
    """What load reads: the main text and every note's text (note numbers are not text)."""
    return "\n".join([doc.document.text(), *(note.text for note in doc.document.notes)])


def html_text(page: str) -> str:
    main = lxml_html.fromstring(page.encode("utf-8")).find(".//main")
    for el in main.iter():
        if el.tag in HTML_BLOCKS:
            el.text, el.tail = "\n" + (el.text or ""), "\n" + (el.tail or "")
    return main.text_content()


def json_text(data: dict) -> str:
    entries = data["documents"]
    return "\n".join([*(b["text"] for e in entries for b in e["blocks"]), *(n["text"] for e in entries for n in e["notes"])])


def corpus_text(doc: Input, layout: str) -> str:
    tree = parse_xml(build_corpus([doc], layout=layout).to_bytes())  # well-formed, or this raises
    return from_tree(tree).text(notes=True)


@pytest.mark.parametrize("path", sample_params())
def test_every_format_keeps_every_word_of_every_sample(path):
    doc = loaded_input(path)
    if doc is None:
        return
    expected = loaded_text(doc)
    formats = {
        "text": lambda: render_text(doc),
        "json": lambda: json_text(export_json([doc])),
        "html": lambda: html_text(render_html([doc])),
        "corpus": lambda: corpus_text(doc, "teicorpus"),
        "corpus --layout volume": lambda: corpus_text(doc, "volume"),
    }
    repeated = [i for i, n in Counter(tree_xml_ids(doc.document.element)).items() if n > 1]
    written, refused = {}, {}
    for fmt, export in formats.items():
        try:
            written[fmt] = export()
        except InputError as exc:  # only where the output needs the ids to be unique, naming one
            refused[fmt] = exc.message
    assert all(f"xml:id {repeated[0]!r} is used twice in this file" in why for why in refused.values())
    assert set(refused) <= ({"html", "corpus", "corpus --layout volume"} if repeated else set())
    lost = {fmt: dict(missing_words(expected, text)) for fmt, text in written.items()}
    assert lost == {fmt: {} for fmt in written}


def test_a_whole_frus_volume_exports_every_document_once_with_its_own_ids(tei_all_rng):
    if not VOLUME.is_file():
        pytest.skip(f"{VOLUME} is not present")
    doc = Input(VOLUME, teikit.load(VOLUME))
    ids = [d.id for d in doc.documents]
    assert len(ids) == len(set(ids)) == 885 and None not in ids
    entries = export_json([doc])["documents"]
    assert [e["id"] for e in entries if e["kind"] == "document"] == ids
    assert [e["kind"] for e in entries if e["kind"] != "document"] == ["front", "body"]
    page = lxml_html.fromstring(render_html([doc]).encode("utf-8"))
    html_ids = [el.get("id") for el in page.iter() if el.get("id")]
    assert len(html_ids) == len(set(html_ids)) and set(ids) <= set(html_ids)
    # the volume is not valid tei_all itself (frus: attributes, frus:attachment); its corpus adds no error
    source_errors = _errors(tei_all_rng, parse_xml(VOLUME))
    for layout in ("teicorpus", "volume"):
        tree = parse_xml(build_corpus([doc], layout=layout).to_bytes())
        assert [el.get(XML_ID) for el in tree.iter("{*}div") if el.get("type") == "document"] == ids
        assert _errors(tei_all_rng, tree) <= source_errors, layout


def _errors(rng: etree.RelaxNG, tree: etree._ElementTree) -> Counter:
    rng.validate(tree)
    return Counter(error.message for error in rng.error_log)


def test_valid_samples_give_a_valid_corpus(tei_all_rng):
    verdicts = SAMPLES_DIR / "jing-verdicts.json"
    if not verdicts.is_file():
        pytest.skip(f"{verdicts} is not present")
    valid = [SAMPLES_DIR / name for name, verdict in json.loads(verdicts.read_text("utf-8"))["jing"].items()
             if verdict == "valid"]
    docs = [doc for doc in map(loaded_input, valid) if doc is not None]
    assert len(docs) > 40
    tree = parse_xml(build_corpus(docs, layout="teicorpus").to_bytes())
    assert tei_all_rng.validate(tree), str(tei_all_rng.error_log)[:2000]
    milestones = [doc for doc in docs if doc.path.parent.name == "milestones"]
    tree = parse_xml(build_corpus(milestones, layout="volume").to_bytes())
    assert tei_all_rng.validate(tree), str(tei_all_rng.error_log)[:2000]


@pytest.mark.parametrize("fmt", ["corpus", "html", "json", "text"])
def test_a_bad_input_stops_the_export_before_writing_or_is_skipped(tmp_path, dev_corpus, fmt):
    folder = tmp_path / "in"
    folder.mkdir()
    good = folder / "frus1955-57v01_d186.xml"
    good.write_bytes((dev_corpus / good.name).read_bytes())
    (folder / "jenkins.xml").write_text("<project/>", "utf-8")
    (folder / "broken.xml").write_text("<TEI xmlns='http://www.tei-c.org/ns/1.0'>\n<text>", "utf-8")
    out = tmp_path / ("out" if fmt == "text" else f"out.{fmt}")
    runner = CliRunner()
    refused = runner.invoke(cli, ["export", "--format", fmt, str(folder), "-o", str(out)])
    assert refused.exit_code == 2 and not out.exists()
    assert f"{folder / 'broken.xml'}:2: not well-formed XML" in refused.output
    assert f"{folder / 'jenkins.xml'}:1: not a TEI document" in refused.output
    skipped = runner.invoke(cli, ["export", "--format", fmt, str(folder), "-o", str(out), "--skip-invalid"])
    assert skipped.exit_code == 1 and out.exists(), skipped.output
    assert f"{folder / 'jenkins.xml'}:1: not a TEI document" in skipped.output and "(skipped)" in skipped.output
