from __future__ import annotations

import pytest

from teikit.export.sources import load_documents

plaintext = pytest.importorskip("teikit.converter.plaintext")
from teikit.export.text import render_text  # noqa: E402


def test_teikit_output_gives_back_the_converter_input(tei_dir, seeds_dir):
    pairs = [(x, seeds_dir / f"{x.stem}.txt") for x in sorted(tei_dir.glob("*.xml"))]
    pairs = [(x, s) for x, s in pairs if s.exists()]
    if not pairs:
        pytest.skip("no converter output beside its seed yet")
    for xml, seed in pairs:
        assert render_text(load_documents([xml])[0]) == seed.read_text(encoding="utf-8"), xml.name


def test_round_trip_through_the_converter(seeds_dir, tmp_path):
    teikit = pytest.importorskip("teikit")
    from lxml import etree
    for seed in sorted(seeds_dir.glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        result = teikit.convert(text, name=seed.name)
        out = tmp_path / f"{seed.stem}.xml"
        out.write_bytes(etree.tostring(result.root, encoding="UTF-8"))
        assert render_text(load_documents([out])[0]) == text, seed.name


def test_reference_documents_render_in_the_seed_format(dev_docs, dev_corpus):
    doc = next(d for d in dev_docs if d.stem == "frus1955-57v01_d186")
    assert render_text(doc) == (dev_corpus / "frus1955-57v01_d186.txt").read_text(encoding="utf-8")
