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


def _copies(dev_corpus, folder, count=20):
    """``count`` document files (more than POOL_MIN_FILES: the workers render them)."""
    import shutil
    folder.mkdir()
    sources = sorted(dev_corpus.glob("*.xml"))
    for i in range(count):
        shutil.copyfile(sources[i % len(sources)], folder / f"c{i:02}_{sources[i % len(sources)].name}")
    return folder


def test_texts_rendered_by_the_workers_are_those_rendered_here(dev_corpus, tmp_path):
    from teikit.export.text import export_text, render_file
    from teikit.outputs import TEMP_PREFIX
    inputs = _copies(dev_corpus, tmp_path / "in")
    assert export_text([inputs], tmp_path / "out" / "deeper", jobs=2) == []
    written = sorted((tmp_path / "out" / "deeper").iterdir())
    assert [p.name for p in written] == sorted(f"{x.stem}.txt" for x in inputs.iterdir())
    for path in written:
        assert path.read_text(encoding="utf-8") == render_file(inputs / f"{path.stem}.xml")
    assert not [p for p in tmp_path.rglob(f"{TEMP_PREFIX}*")]


def test_a_bad_input_stops_the_export_before_any_folder_is_made(dev_corpus, tmp_path):
    from teikit.errors import InputError
    from teikit.export.text import export_text
    inputs = _copies(dev_corpus, tmp_path / "in")
    (inputs / "c05_broken.xml").write_text("<TEI xmlns='http://www.tei-c.org/ns/1.0'><text>", encoding="utf-8")
    with pytest.raises(InputError, match="c05_broken.xml"):
        export_text([inputs], tmp_path / "out", jobs=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]


def test_one_text_left_of_several_inputs_is_written_to_the_output_itself(dev_corpus, tmp_path):
    """The output is a file when one input is readable (the others skipped) and the output is
    not a folder."""
    from teikit.export.text import export_text, render_file
    inputs = _copies(dev_corpus, tmp_path / "in", count=1)
    good = next(inputs.iterdir())
    for i in range(17):
        (inputs / f"z{i:02}.xml").write_text("<TEI xmlns='http://www.tei-c.org/ns/1.0'><text>", encoding="utf-8")
    skipped = export_text([inputs], tmp_path / "out.txt", skip_invalid=True, jobs=2)
    assert len(skipped) == 17
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == render_file(good)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out.txt"]


def test_a_play_keeps_a_line_per_speaker_verse_line_and_direction(tmp_path):
    """Speeches and stanzas are written a line per child, not run together into one paragraph."""
    play = tmp_path / "play.xml"
    play.write_text('''<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><div1 type="act" n="1">
<sp who="#ann"><speaker>ANN.</speaker><l>The light is low,</l>
<l>the ships come <stage>(looking out)</stage> on.</l></sp>
<sp who="#tom"><speaker>TOM</speaker><p>Then fill it.<note n="1">A note.</note></p>
<lg><l>Sing low,</l><l>sing slow.</l></lg></sp></div1></body></text></TEI>''')
    text = render_text(load_inputs([play])[0])
    assert text.startswith("ANN.\nThe light is low,\nthe ships come (looking out) on.\n\n"
                           "TOM\nThen fill it.1\nSing low,\nsing slow.\n")
    assert text.rstrip().endswith("1. A note.")
