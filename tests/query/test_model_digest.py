"""``teikit.load`` makes the same model as before the load work of issue 11, on every shared sample.

tests/query/data/model_digests.json holds, per file of ../shared/tei-samples and of the
frus-dev corpora, the SHA-256 of everything the model gives (pages, notes, paragraphs,
refs, texts, citations, metadata; see tests/query/model_dump.py), written with the code of
main before that work::

    python tests/query/model_dump.py --src BEFORE/src --base ../shared --digests tests/query/data/model_digests.json \\
        ../shared/tei-samples ../shared/corpus/frus-dev ../shared/corpus/frus-dev-1950s ../shared/corpus/frus-dev-19c

A deliberate change of the model rewrites that file (and says why in its commit).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from .model_dump import digest, model_record

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
DIGESTS = json.loads((Path(__file__).parent / "data" / "model_digests.json").read_text("utf-8"))


def params() -> list:
    if not SHARED.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"{SHARED} is not present"))]
    return [pytest.param(name, id=name) for name in sorted(DIGESTS)]


@pytest.mark.parametrize("name", params())
def test_the_model_of_every_sample_is_unchanged(name: str) -> None:
    path = SHARED / name
    if not path.is_file():
        pytest.skip(f"{path} is not present")
    assert digest(path) == DIGESTS[name], f"the model of {name} changed"


def test_the_digest_covers_what_load_reads(tmp_path: Path) -> None:
    """The digest sees a change of page text, of a note's page and of a paragraph."""
    tei = '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>{}</body></text></TEI>'
    one = tmp_path / "one.xml"
    one.write_text(tei.format('<p>A <pb n="2"/>b<note n="1">N</note></p>'), encoding="utf-8")
    record = model_record(one)["volume"]
    assert [page["text"] for page in record["pages"]] == ["A", "b"]
    assert [(note["text"], note["page"]) for note in record["notes"]] == [("N", "pb1")]
    assert [p["text"] for p in record["paragraphs"]] == ["A b"]
    versions = [tei.format('<p>A <pb n="2"/>b<note n="1">N</note></p>'),
                tei.format('<p>A <pb n="2"/>c<note n="1">N</note></p>'),
                tei.format('<p>A <note n="1">N</note><pb n="2"/>b</p>'),
                tei.format('<p>A <pb n="2"/>b<note n="1">N</note></p><p/>')]
    digests = set()
    for i, text in enumerate(versions):
        path = tmp_path / f"v{i}.xml"
        path.write_text(text, encoding="utf-8")
        digests.add(digest(path))
    assert len(digests) == len(versions)
