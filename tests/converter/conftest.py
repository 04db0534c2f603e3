"""Fixtures of the converter tests: the FRUS corpora of every era and the official tei_all schema."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from lxml import etree

from ..conftest import SHARED, TEI_SCHEMAS

FRUS_FOLDERS = ["frus-dev", "frus-dev-1950s", "frus-dev-19c"]
HELD_OUT_VOLUME = SHARED / "tei-samples" / "frus1864p3.xml"
DATA = Path(__file__).resolve().parent / "data"
GUTENBERG_SCORER = SHARED / "eval" / "score_gutenberg.py"


def corpus(name: str) -> Path:
    folder = SHARED / "corpus" / name
    if not folder.exists():
        pytest.skip(f"{folder} is not present beside the checkout")
    return folder


@pytest.fixture(scope="session")
def tei_all() -> etree.RelaxNG:
    """The official tei_all RELAX NG, compiled once per test session (~10 s)."""
    path = TEI_SCHEMAS / "tei_all.rng"
    if not path.exists():
        pytest.skip(f"{path} is not present beside the checkout")
    return etree.RelaxNG(etree.parse(str(path)))


@pytest.fixture(scope="session")
def held_out(tmp_path_factory) -> Path:
    """FRUS documents the converter was not developed on, rendered from a whole 1864 volume."""
    if not HELD_OUT_VOLUME.exists() or not (SHARED / "eval" / "render.py").exists():
        pytest.skip("the held-out volume or render.py is not present beside the checkout")
    from .heldout import build
    folder = tmp_path_factory.mktemp("held-out")
    build([HELD_OUT_VOLUME], folder, SHARED)
    return folder


@pytest.fixture(scope="session")
def scorer():
    """``../shared/eval/score_gutenberg.py`` as a module (its ``score_file`` and friends)."""
    if not GUTENBERG_SCORER.is_file():
        pytest.skip(f"{GUTENBERG_SCORER} is not present beside the checkout")
    spec = importlib.util.spec_from_file_location("score_gutenberg", GUTENBERG_SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
