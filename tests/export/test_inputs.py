"""Inputs read on all cores (map_inputs, as the text export reads them) are those read here (read_inputs)."""
from __future__ import annotations

import shutil

import pytest

from teikit.errors import InputError
from teikit.export.inputs import POOL_MIN_FILES, map_inputs, read_inputs
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
