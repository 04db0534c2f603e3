"""Inputs read on all cores (map_inputs, as the text export reads them) are those read here (read_inputs)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import teikit
from teikit.errors import InputError, TeikitError
from teikit.export.inputs import POOL_MIN_FILES, Input, map_inputs, read_inputs
from teikit.export.text import render_file, render_text


@pytest.fixture
def corpus_with_a_bad_file(dev_corpus, tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(dev_corpus, folder, ignore=shutil.ignore_patterns("*.txt"))
    (folder / "zz_broken.xml").write_text("<TEI xmlns='http://www.tei-c.org/ns/1.0'><text>", encoding="utf-8")
    assert len(list(folder.glob("*.xml"))) > POOL_MIN_FILES  # so the workers are used
    return folder


def test_results_from_workers_equal_the_loaded_inputs(corpus_with_a_bad_file):
    here, here_skipped = read_inputs([corpus_with_a_bad_file], skip_invalid=True)
    pooled, pooled_skipped = map_inputs([corpus_with_a_bad_file], render_file, skip_invalid=True, jobs=2)
    assert [path for path, _ in pooled] == [d.path for d in here]
    assert [text for _, text in pooled] == [render_text(d) for d in here]
    assert [str(p) for p in pooled_skipped] == [str(p) for p in here_skipped]
    assert "zz_broken.xml" in str(pooled_skipped[0])


def test_a_bad_input_stops_the_pooled_read(corpus_with_a_bad_file):
    with pytest.raises(InputError, match="zz_broken.xml"):
        map_inputs([corpus_with_a_bad_file], render_file, jobs=2)


#: texts where folding (case, accents, compatibility forms) and word boundaries interact
_TRICKY = ["a\u0301b c", "5\u2103 x", "\u0391\u03a3 \u03b1\u03c2", "\ufb01ne_x y__z", "e\u0301\u0327 _ \u00e9",
           "\u0130stanbul", "\u00df SS ss", "x\u0301\u0300y", "\u00bd \u00b2 \u24602", "ab", "a b", "State1",
           "state 1", "word\u00a0word", "wor\u2009d", "Caf\u00e9 cafe\u0301 CAF\u00c9", "", "  \n\t ",
           "a\n\u0301b c", "a\nb c", "  b c\n", "x\n\nx", "x\ny\nx", "State\n1", "b c\r\nd"]


def test_missing_words_is_the_difference_of_the_words(dev_corpus) -> None:
    """The piecewise shortcut gives exactly words(expected) - words(written)."""
    from collections import Counter

    from teikit.converter.plaintext import to_text
    from teikit.export.inputs import missing_words, words
    from teikit.query.document import load

    pairs = [(a, b) for a in _TRICKY for b in _TRICKY]
    for path in sorted(dev_corpus.glob("*.xml")):
        for unit in load(path).units:
            loaded, seed = unit.text(notes=True), to_text(unit.element)
            pairs += [(loaded, seed), (seed, loaded), (loaded, seed[: len(seed) // 2]),
                      (loaded + " x\u0301y State1", seed)]
    for expected, written in pairs:
        assert missing_words(expected, written) == words(expected) - words(written)
    assert missing_words("State1 of the Union", "state 1 of the") == Counter({"union": 1})


SHARED = Path(__file__).resolve().parents[2].parent / "shared"


def _sample_files() -> list[Path]:
    return sorted((SHARED / "tei-samples").rglob("*.xml")) + sorted((SHARED / "corpus").rglob("*.xml"))


def test_a_parsed_input_tells_what_its_model_tells(dev_corpus):
    """Input.parsed (corpus, html: the model built only when needed) gives the title and the
    number of documents the loaded model gives, and the same refusals, for every file at hand."""
    files = _sample_files() or sorted(dev_corpus.glob("*.xml"))
    outlined = 0
    for path in files:
        try:
            loaded = Input(path, teikit.load(path))
        except TeikitError as exc:
            with pytest.raises(TeikitError) as raised:
                Input.parsed(path)
            assert str(raised.value) == str(exc)
            continue
        parsed = Input.parsed(path)
        assert (parsed.title, parsed.document_count) == (loaded.title, len(loaded.documents)), path
        outlined += parsed._document is None  # told without building the model
        assert [u.text() for u in parsed.units] == [u.text() for u in loaded.units]
    assert outlined  # the FRUS document files
