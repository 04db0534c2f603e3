"""Whole-output checks on real documents (regenerate with TEIKIT_UPDATE_GOLDEN=1, then review the diff)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from teikit.export.corpus import build_corpus
from teikit.export.html import render_html
from teikit.export.json_export import render_json
from teikit.export.inputs import load_inputs

GOLDEN = Path(__file__).parent / "golden"
FILES = ["frus1955-57v01_d186.xml", "frus1955-57v01_d189.xml"]


def _check(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("TEIKIT_UPDATE_GOLDEN"):
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}; run with TEIKIT_UPDATE_GOLDEN=1"
    assert actual == path.read_text(encoding="utf-8")


@pytest.fixture
def two_docs(dev_corpus):
    return load_inputs([dev_corpus / f for f in FILES])


def test_corpus_golden(two_docs):
    result = build_corpus(two_docs, layout="volume", title="Two telegrams", date="2026-01-02")
    _check("d186_d189.volume.xml", result.to_bytes().decode("utf-8"))


def test_html_golden(two_docs):
    _check("d186_d189.html", render_html(two_docs, title="Two telegrams"))


def test_json_golden(two_docs):
    _check("d186_d189.json", render_json(two_docs))
