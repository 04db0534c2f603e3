"""teikit.batch.export without a cluster: the streamed JSON export is render_json's, byte for byte."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from teikit.batch.export import export_json
from teikit.export.inputs import Input, read_inputs, tree_ids
from teikit.export.json_export import file_space, render_json
from teikit.xmlio import XML_ID
from teikit.query.document import load, read_tei


def _corpus(dev_corpus: Path, folder: Path) -> Path:
    """The dev corpus's TEI files, and one of them again under a name outside FRUS (its own space)."""
    folder.mkdir()
    for file in sorted(dev_corpus.glob("*.xml")):
        shutil.copy(file, folder / file.name)
    shutil.copy(sorted(dev_corpus.glob("*.xml"))[0], folder / "letter.xml")
    return folder


def test_first_pass_reads_what_the_document_model_gives(dev_corpus: Path, tmp_path: Path) -> None:
    for path in sorted(_corpus(dev_corpus, tmp_path / "in").iterdir()):
        doc = Input(path, load(path))
        # the space: the file's FRUS volume, or the file itself outside FRUS
        expected = f"file:{path}" if path.name == "letter.xml" else path.stem.rsplit("_", 1)[0]
        assert file_space(path) == expected
        walked = {el.get(XML_ID) for el in doc.root.iter() if el.get(XML_ID)}
        assert tree_ids(read_tei(path).getroot()) == walked


def test_streamed_export_is_render_json(dev_corpus: Path, tmp_path: Path) -> None:
    corpus = _corpus(dev_corpus, tmp_path / "in")
    for jobs in (2,):  # the local pool: what a cluster runs, pickled both ways
        output = tmp_path / f"out-{jobs}.json"
        assert export_json([corpus], output, jobs=jobs) == []
        assert output.read_text(encoding="utf-8") == render_json(read_inputs([corpus])[0])


def test_memory_after_the_first_pass_does_not_grow_with_the_ids(dev_corpus: Path, tmp_path: Path,
                                                                   monkeypatch) -> None:
    """Issue 14: what the first pass finds (every file's ids and named targets) is kept on disk;
    what the process holds when the JSON starts being written grows only by the files' paths."""
    import gc
    import tracemalloc

    import teikit.batch.export as batch_export

    sources = sorted(dev_corpus.glob("*.xml"))
    held: dict[int, int] = {}
    write_stream = batch_export._write_stream

    def measured(target: Path, pieces) -> None:
        gc.collect()
        held[count] = tracemalloc.get_traced_memory()[0]
        write_stream(target, pieces)

    monkeypatch.setattr(batch_export, "_write_stream", measured)
    for count in (40, 320):  # each file its own id space (a name outside FRUS): nothing shared
        folder = tmp_path / f"in{count}"
        folder.mkdir()
        for i in range(count):
            shutil.copyfile(sources[i % len(sources)], folder / f"copy{i}_{sources[i % len(sources)].name}")
        tracemalloc.start()
        try:
            export_json([folder], tmp_path / f"out{count}.json", jobs=1)
        finally:
            tracemalloc.stop()
    per_file = (held[320] - held[40]) / 280
    assert per_file < 600, f"{per_file:.0f} bytes held per file before the second pass"  # a path: ~250 B


def test_bad_inputs_alone_in_their_space_or_not(dev_corpus: Path, tmp_path: Path) -> None:
    """A file alone in its id space skips the first pass: a bad one is still named with the
    others (in input order) and nothing is written, or with skip_invalid it is left out."""
    import pytest

    from teikit.errors import InputError

    corpus = _corpus(dev_corpus, tmp_path / "in")
    volume = sorted(dev_corpus.glob("*.xml"))[0].stem.rsplit("_", 1)[0]
    (corpus / "broken.xml").write_text("<TEI xmlns='http://www.tei-c.org/ns/1.0'><text>", encoding="utf-8")
    (corpus / f"{volume}_d9999.xml").write_text("<html/>", encoding="utf-8")  # shares the volume's space
    output = tmp_path / "out.json"
    with pytest.raises(InputError) as raised:
        export_json([corpus], output)
    lines = str(raised.value).splitlines()[1:]
    assert [line.split(":")[0] for line in lines] == [str(corpus / "broken.xml"), str(corpus / f"{volume}_d9999.xml")]
    assert not output.exists() and [p.name for p in tmp_path.iterdir()] == ["in"]

    skipped = export_json([corpus], output, skip_invalid=True, jobs=2)
    assert [problem.path for problem in skipped] == [str(corpus / "broken.xml"), str(corpus / f"{volume}_d9999.xml")]
    good, _ = read_inputs([corpus], skip_invalid=True)
    assert output.read_text(encoding="utf-8") == render_json(good)


def test_streamed_export_is_on_disk_before_its_name_points_to_it(dev_corpus: Path, tmp_path: Path,
                                                                  monkeypatch) -> None:
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (events.append("fsync"), real_fsync(fd))[1])
    monkeypatch.setattr(os, "replace", lambda a, b: (events.append(f"replace {Path(b).name}"), real_replace(a, b))[1])
    export_json([dev_corpus], tmp_path / "out.json", jobs=1)
    assert "replace out.json" in events
    renamed = events.index("replace out.json")
    assert "fsync" in events[:renamed], "the file is flushed before it is renamed"
    assert "fsync" in events[renamed + 1:], "its folder is flushed after the rename"
