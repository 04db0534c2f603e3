from __future__ import annotations

import pytest

from teikit.export.inputs import load_inputs

plaintext = pytest.importorskip("teikit.converter.plaintext")
from teikit.export.text import render_text  # noqa: E402


def test_teikit_output_gives_back_the_converter_input(tei_dir, seeds_dir):
    pairs = [(x, seeds_dir / f"{x.stem}.txt") for x in sorted(tei_dir.glob("*.xml"))]
    pairs = [(x, s) for x, s in pairs if s.exists()]
    if not pairs:
        pytest.skip("no converter output beside its seed yet")
    for xml, seed in pairs:
        assert render_text(load_inputs([xml])[0]) == seed.read_text(encoding="utf-8"), xml.name


def test_round_trip_through_the_converter(seeds_dir, tmp_path):
    teikit = pytest.importorskip("teikit")
    from lxml import etree
    for seed in sorted(seeds_dir.glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        result = teikit.convert(text, name=seed.name)
        out = tmp_path / f"{seed.stem}.xml"
        out.write_bytes(etree.tostring(result.root, encoding="UTF-8"))
        assert render_text(load_inputs([out])[0]) == text, seed.name


def test_a_rendering_that_would_lose_words_falls_back_to_the_loaded_text(dev_docs):
    # the seed format has no place for a FRUS dateline: d186's "Paris, May 12, 1955—8 p.m."
    doc = next(d for d in dev_docs if d.stem == "frus1955-57v01_d186")
    assert "Paris, May 12" not in plaintext.to_text(doc.documents[0].element)
    assert render_text(doc) == doc.document.text(notes=True)
    assert "Paris, May 12, 1955—8 p.m." in render_text(doc)


def test_the_convention_read_once_per_file_is_the_one_each_unit_would_find(seeds_dir, dev_docs, tmp_path):
    """render_text reads the file's recorded convention once and hands it to every unit: the
    text is the one each unit gives when it reads the convention itself."""
    teikit = pytest.importorskip("teikit")
    from lxml import etree

    from teikit.export.text import render_unit
    docs = list(dev_docs)
    for seed in sorted(seeds_dir.glob("*.txt")):  # every convention the seeds are written in
        out = tmp_path / f"{seed.stem}.xml"
        out.write_bytes(etree.tostring(teikit.convert(seed.read_text(encoding="utf-8"), name=seed.name).root))
        docs += load_inputs([out])
    for doc in docs:
        book = plaintext.recorded_convention(doc.root)
        if book is None or book.write_document is None:
            assert render_text(doc) == "\n\n".join(t for t in map(render_unit, doc.units) if t), doc.path
