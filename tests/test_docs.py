"""The documentation site builds with warnings as errors (skipped without the `docs` extra)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("mkdocs", reason="mkdocs is in the docs extra")
pytest.importorskip("mkdocstrings", reason="mkdocstrings is in the docs extra")

ROOT = Path(__file__).resolve().parent.parent


def test_docs_build_strict(tmp_path):
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")],
                         cwd=ROOT, capture_output=True, text=True, timeout=600,
                         env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"})
    assert run.returncode == 0, run.stderr
    query_page = (tmp_path / "site" / "guide" / "query" / "index.html").read_text(encoding="utf-8")
    assert "TeikitKeyError" in query_page          # the guide's own text
    assert "teikit index" in query_page            # the README's Query section, included
    reference = (tmp_path / "site" / "reference" / "query" / "index.html").read_text(encoding="utf-8")
    assert 'id="teikit.query.document.load"' in reference   # generated from the docstrings
