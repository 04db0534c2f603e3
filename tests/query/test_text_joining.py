"""The walk's text joining: page texts joined by their edges equal the text cleaned whole."""
import random

import pytest

from teikit.query.pages import _BLOCK, _edges, clean_bytes, clean_text, join_clean

PIECES = ["word", "ex", "ample", " ", "  ", "\n", "\t", _BLOCK, " " + _BLOCK, _BLOCK + " ", "a b", " c ",
          "\u00a0", "—", ""]


def reference_clean(parts: list[str]) -> str:
    """The rule as first written: split on block marks, collapse whitespace per line, drop empty lines."""
    lines = (" ".join(line.split()) for line in "".join(parts).split(_BLOCK))
    return "\n".join(line for line in lines if line)


@pytest.mark.parametrize("seed", range(300))
def test_clean_text_and_page_joining_agree_with_the_reference(seed: int) -> None:
    rng = random.Random(seed)
    pages = [[rng.choice(PIECES) for _ in range(rng.randrange(0, 6))] for _ in range(rng.randrange(1, 6))]
    whole = [piece for page in pages for piece in page]
    raws = ["".join(page) for page in pages]
    assert clean_text(whole) == reference_clean(whole)
    assert [clean_text([raw]) for raw in raws] == [reference_clean(page) for page in pages]
    assert join_clean([clean_text([raw]) for raw in raws], [_edges(raw) for raw in raws]) == reference_clean(whole)


#: what clean_bytes must see as str.split() does: every kind of space, long indents, unprintable characters that
#: are not spaces, several-byte characters
BYTE_PIECES = [*PIECES, " " * 17, "\n" + " " * 12, "\r\n\t ", "\x0b\x0c", "\x1c\x1f", "\x85", "\u2003",
               "\u3000", "\u2028", "\u00ad", "\u200b", "\x7f", "é", "\u20ac\u00a0\u20ac", "\U0001d11e"]


@pytest.mark.parametrize("seed", range(500))
def test_clean_bytes_cleans_as_clean_text_does(seed: int) -> None:
    rng = random.Random(seed)
    pieces = [rng.choice(BYTE_PIECES) for _ in range(rng.randrange(0, 12))]
    assert clean_bytes([piece.encode() for piece in pieces]) == reference_clean(pieces)
