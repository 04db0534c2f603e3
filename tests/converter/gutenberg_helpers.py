"""Converting with the Gutenberg convention in tests."""
from __future__ import annotations

from pathlib import Path

from teikit.converter import ConversionWarning
from teikit.converter.gutenberg import book_text, read_book
from teikit.converter.source import from_text

FIXTURES = Path(__file__).parent / "fixtures" / "gutenberg"


def convert_with_warnings(text: str, name: str = "test.txt"):
    source = from_text(text, name)
    warnings: list[ConversionWarning] = []
    root = read_book(source.text, lambda message, offset: warnings.append(
        ConversionWarning(message, name, source.line_of(offset))), name)
    return root, sorted(warnings, key=lambda w: w.line or 0)


def convert_gutenberg(text: str):
    return convert_with_warnings(text)[0]


def warnings_of(text: str) -> list[str]:
    return [str(w) for w in convert_with_warnings(text)[1]]


def to_text(root) -> str:
    return book_text(root)


if __name__ == "__main__":          # regenerate the golden files after a deliberate change
    from .test_gutenberg_corpus import serialise
    for path in sorted(FIXTURES.glob("*.txt")):
        path.with_suffix(".xml").write_bytes(serialise(convert_gutenberg(path.read_text(encoding="utf-8"))))
        print("wrote", path.with_suffix(".xml"))
