"""Fixtures for the export tests."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lxml import etree

from teikit.errors import Diagnostic
from teikit.export.bagit_package import Validation
from teikit.export.inputs import load_inputs


@pytest.fixture(scope="session")
def dev_docs(dev_corpus: Path):
    return load_inputs([dev_corpus])


@pytest.fixture(scope="session")
def tei_all_rng(tei_schemas: Path) -> etree.RelaxNG:
    """tei_all.rng compiled once per session (~17 s)."""
    return etree.RelaxNG(etree.parse(str(tei_schemas / "tei_all.rng")))


@pytest.fixture
def small_corpus(dev_corpus: Path, tmp_path: Path) -> Path:
    """d186 and d189 (d186 points to d189) plus one document of the other volume."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("frus1955-57v01_d186.xml", "frus1955-57v01_d189.xml", "frus1969-76ve13_d74.xml"):
        shutil.copy(dev_corpus / name, folder / name)
    return folder


class FakeValidator:
    """Stands in for teikit.validate in tests of bag mechanics; records its calls."""

    def __init__(self, ok: bool = True):
        self.ok = ok
        self.calls: list[tuple[list[Path], Path]] = []

    def __call__(self, files, schema) -> Validation:
        self.calls.append((list(files), Path(schema)))
        diagnostics = [] if self.ok else [{"file": str(files[0]), "line": 1, "message": "bad"}]
        return Validation(self.ok, {"ok": self.ok, "diagnostics": diagnostics,
                                    "files": [str(f) for f in files]},
                          f"{len(files)} files checked: {'ok' if self.ok else 'errors'}\n",
                          [] if self.ok else [Diagnostic(str(files[0]), 1, None, "error", "fake", "bad")])


@pytest.fixture
def fake_validator():
    """The :class:`FakeValidator` class (call it to get a validator)."""
    return FakeValidator
