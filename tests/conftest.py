"""Fixtures shared by all test packages: where the real documents are."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DEV_CORPUS = SHARED / "corpus" / "frus-dev"
TEI_SCHEMAS = SHARED / "tei-schemas"
SEEDS = ROOT / "seeds"
TEI_DIR = ROOT / "tei"


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is not present beside the checkout")
    return path


@pytest.fixture(scope="session")
def dev_corpus() -> Path:
    """The FRUS development corpus (.txt beside the Office of the Historian's .xml)."""
    return _need(DEV_CORPUS)


@pytest.fixture(scope="session")
def tei_schemas() -> Path:
    """The official TEI P5 schemas vendored in ../shared/tei-schemas."""
    return _need(TEI_SCHEMAS)


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def tei_dir() -> Path:
    return TEI_DIR
