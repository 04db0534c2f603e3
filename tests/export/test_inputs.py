"""Inputs read on all cores (summarize_inputs) are those read here (read_inputs)."""
from __future__ import annotations

import shutil

import pytest

from teikit.errors import InputError
from teikit.export.inputs import POOL_MIN_FILES, read_inputs, summarize_inputs


@pytest.fixture
def corpus_with_a_bad_file(dev_corpus, tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(dev_corpus, folder, ignore=shutil.ignore_patterns("*.txt"))
    (folder / "zz_broken.xml").write_text("<TEI xmlns='http://www.tei-c.org/ns/1.0'><text>", encoding="utf-8")
    assert len(list(folder.glob("*.xml"))) > POOL_MIN_FILES  # so the workers are used
    return folder


def test_summaries_from_workers_equal_the_loaded_inputs(corpus_with_a_bad_file):
    here, here_skipped = read_inputs([corpus_with_a_bad_file], skip_invalid=True)
    pooled, pooled_skipped = summarize_inputs([corpus_with_a_bad_file], skip_invalid=True, jobs=2)
    assert [d.path for d in pooled] == [d.path for d in here]
    assert [(d.title, d.document_count) for d in pooled] == [(d.title, len(d.documents)) for d in here]
    assert [str(p) for p in pooled_skipped] == [str(p) for p in here_skipped]
    assert "zz_broken.xml" in str(pooled_skipped[0])
    assert pooled[0].units[0].text() == here[0].units[0].text()  # the model, built here on demand


def test_a_bad_input_stops_the_pooled_read(corpus_with_a_bad_file):
    with pytest.raises(InputError, match="zz_broken.xml"):
        summarize_inputs([corpus_with_a_bad_file], jobs=2)
