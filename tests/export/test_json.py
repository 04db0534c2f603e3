from __future__ import annotations

import json
import re

import pytest

from teikit.export import json_export
from teikit.export.json_export import export_json, render_json
from teikit.export.inputs import normalize
from teikit.xmlio import text_without_notes
from teikit.xmlio import NSMAP


def test_structure_matches_the_documented_keys(dev_docs):
    data = json.loads(render_json(dev_docs))
    assert (data["format"], data["version"]) == ("teikit-json", 2)
    doc_keys = {"kind", "id", "n", "file", "volume", "title", "metadata", "blocks", "notes", "pages", "refs"}
    meta_keys = {"title", "date", "date_text", "place", "classification", "source", "repository"}
    doc = json_export.__doc__
    for key in doc_keys | meta_keys | {"offset", "resolved", "internal"}:
        assert f'"{key}"' in doc, key  # every key is documented in the module docstring
    for entry in data["documents"]:
        assert set(entry) == doc_keys
        assert set(entry["metadata"]) == meta_keys


def test_counts_and_positions_on_dev_corpus(dev_docs):
    docs = export_json(dev_docs)["documents"]
    assert len(docs) == 20
    assert sum(len(d["notes"]) for d in docs) == 67
    assert sum(len(d["pages"]) for d in docs) == 43
    assert sum(len(d["refs"]) for d in docs) == 13
    d186 = next(d for d in docs if d["id"] == "d186")
    assert d186["title"] == "Telegram From the Secretary of State to the Department of State"
    assert d186["metadata"]["place"] == "Paris"
    assert d186["metadata"]["date"] == "1955-05-12T20:00:00"
    note2 = d186["notes"][1]
    block = d186["blocks"][note2["block"]]["text"]
    assert note2["text"] == "May 11."
    assert block[:note2["offset"]].endswith("three hours Wednesday")  # the marker's place
    page = next(p for p in d186["pages"] if p["n"] == "403")
    assert d186["blocks"][page["block"]]["text"][page["offset"]:].startswith("means of operation")
    assert d186["refs"] == [{"target": "#d189", "text": "Document 189", "block": None,
                             "note": "d186fn3", "internal": True, "resolved": True}]


def test_no_text_is_lost(dev_docs):
    """Blocks plus notes hold every non-space character of the document."""
    for source, entry in zip(dev_docs, export_json(dev_docs)["documents"]):
        div = source.documents[0].element
        expected = re.sub(r"\s", "", "".join(div.itertext()))
        got = "".join(b["text"] for b in entry["blocks"]) + "".join(n["text"] for n in entry["notes"])
        assert sorted(re.sub(r"\s", "", got)) == sorted(expected), entry["id"]
        assert [normalize(text_without_notes(n)) for n in div.iterfind(".//tei:note", NSMAP)] == \
            [n["text"] for n in entry["notes"]]


def test_unresolved_ref_when_target_not_exported(dev_docs):
    only = [d for d in dev_docs if d.stem.endswith("_d186")]
    entry = export_json(only)["documents"][0]
    assert entry["refs"][0]["resolved"] is False


def test_teikit_output_metadata_from_header(tei_dir):
    from teikit.export.inputs import load_inputs
    files = sorted(tei_dir.glob("*.xml"))
    if not files:
        pytest.skip("no converter output in tei/ yet")
    for doc, entry in zip(load_inputs(files), export_json(load_inputs(files))["documents"]):
        header = doc.root.find("tei:teiHeader", NSMAP)
        terms = [t.text for t in header.iterfind(".//tei:keywords/tei:term", NSMAP)]
        assert entry["metadata"]["classification"] == terms
        assert entry["metadata"]["title"] == normalize(
            "".join(header.find(".//tei:titleStmt/tei:title", NSMAP).itertext()))
        repo = header.find(".//tei:repository", NSMAP)
        assert entry["metadata"]["repository"] == (repo.text if repo is not None else None)


def test_the_blocks_of_a_speech_name_it_and_its_speakers(tmp_path):
    """A play's blocks group into speeches (numbered in the unit) with the speakers' ids."""
    from teikit.export.inputs import load_inputs

    play = tmp_path / "play.xml"
    play.write_text("""<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><div1 type="act"><head>Act One</head>
<stage>Night.</stage><sp who="#ann"><speaker>ANN.</speaker><l>The ships come.</l></sp>
<sp who="#ann #tom"><speaker>BOTH.</speaker><p>Together.</p></sp></div1></body></text></TEI>""")
    (unit,) = json.loads(render_json(load_inputs([play])))["documents"]
    assert [(b["type"], b["text"], b.get("speech"), b.get("who")) for b in unit["blocks"]] == [
        ("head", "Act One", None, None), ("stage", "Night.", None, None),
        ("speaker", "ANN.", 0, ["ann"]), ("l", "The ships come.", 0, ["ann"]),
        ("speaker", "BOTH.", 1, ["ann", "tom"]), ("p", "Together.", 1, ["ann", "tom"])]
    for key in ("speech", "who"):
        assert f'"{key}"' in json_export.__doc__
