"""Converting with the Gutenberg convention in tests."""
from __future__ import annotations

from pathlib import Path

import teikit
from teikit.converter.plaintext import to_text as plain_text

FIXTURES = Path(__file__).parent / "fixtures" / "gutenberg"


def convert_with_warnings(text: str, name: str = "test.txt", convention: str = "gutenberg"):
    result = teikit.convert(text, name=name, convention=convention)
    return result.root, result.warnings


def convert_gutenberg(text: str):
    return convert_with_warnings(text)[0]


def warnings_of(text: str) -> list[str]:
    return [str(w) for w in convert_with_warnings(text)[1]]


def to_text(root) -> str:
    return plain_text(root, convention="gutenberg")


if __name__ == "__main__":          # regenerate the golden files after a deliberate change
    from .test_gutenberg_corpus import serialise
    for path in sorted(FIXTURES.glob("*.txt")):
        path.with_suffix(".xml").write_bytes(serialise(convert_gutenberg(path.read_text(encoding="utf-8"))))
        print("wrote", path.with_suffix(".xml"))
