"""Fixtures for the validation tests: broken examples, a private schema cache."""
from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    """Compiled-schema cache in a temporary folder, never the user's ~/.cache."""
    monkeypatch.setenv("TEIKIT_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "teikit-cache"))


@pytest.fixture(scope="session")
def data() -> Path:
    return DATA
