"""Properties that hold for any input: no crash, well-formed output, no character lost."""
from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

import teikit
from teikit.converter.plaintext import to_text
from teikit.xmlio import safe_parser

WS = re.compile(r"\s+")


def squeeze(s: str) -> str:
    return WS.sub("", s)


def convert_or_input_error(text: str):
    try:
        return teikit.convert(text, name="prop.txt")
    except teikit.InputError as exc:
        assert exc.path == "prop.txt" and exc.line is not None and exc.line >= 1
        return None
    except ValueError as exc:  # a one-line text naming a file ("/proc/self/status", "a.txt"): documented
        assert "\n" not in text.strip() and "not a file name" in str(exc)
        return None


def check(text: str) -> None:
    result = convert_or_input_error(text)
    if result is None:
        return
    data = result.to_bytes()
    etree.fromstring(data, safe_parser())           # well-formed
    # every character comes back: markers, page markers, labels and bullets included
    assert squeeze(to_text(result.root)) == squeeze(text.replace("\r", ""))


# ------------------------------------------------------------ strategies
# words XML can hold: no surrogates or controls, and not U+FFFE/U+FFFF (noncharacters XML 1.0 forbids;
# the converter refuses them with the line, which test_any_text covers)
word = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"),
                                      exclude_characters="\ufffe\uffff"),
               min_size=1, max_size=12)
glued_number = st.builds(lambda w, n: f"{w}{n}", word, st.integers(0, 12))
token = st.one_of(word, word, glued_number, st.integers(0, 3000).map(str),
                  st.sampled_from(["[Page 12]", "(Haig)1", "F–5’s", "#2", "•", "  • ", "\t",
                                   "Document 58", "footnote 2, Document 58", "1.", "2. "]))
line = st.lists(token, min_size=1, max_size=12).map(" ".join)
block = st.lists(line, min_size=1, max_size=3).map("\n".join)
note_line = st.builds(lambda i, t: f"  {i}. {t}", st.integers(1, 6), line)


@st.composite
def documents(draw):
    head = draw(st.sampled_from(["", "12. ", "7A. "])) + draw(line)
    body = draw(st.lists(block, min_size=0, max_size=6))
    notes = draw(st.lists(note_line, min_size=0, max_size=5))
    text = head + "\n\n" + "\n\n".join(body)
    if notes:
        text += "\n\n" + "\n".join(notes)
    return text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_any_text(text):
    check(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_document_shaped_text(text):
    check(text)


@settings(max_examples=100, deadline=None)
@given(st.lists(line, min_size=1, max_size=4), st.integers(1, 4))
def test_generated_notes_are_all_encoded(sentences, count):
    body = " ".join(f"{s} point{i}." for i, s in enumerate(sentences))
    markers = "".join(f" Claim.{k}" for k in range(1, count + 1))
    notes = "\n".join(f"  {k}. Note number {k}." for k in range(1, count + 1))
    text = f"5. Heading\n\n{body}{markers}\n\n{notes}"
    result = teikit.convert(text)
    got = [n.get("n") for n in result.root.iter("{http://www.tei-c.org/ns/1.0}note")]
    assert got == [str(k) for k in range(1, count + 1)]


# ------------------------------------------------------------ canonical round trip
# Canonical input: one block per paragraph, single spaces, blank lines between
# blocks, the notes at the end as the convention writes them.  For such input
# to_text(convert(x)) gives back x byte for byte.
plain_word = st.from_regex(r"[A-Za-z]{1,8}", fullmatch=True)
sentence = st.lists(plain_word, min_size=2, max_size=8).map(lambda w: " ".join(w) + ".")
paragraph = st.lists(sentence, min_size=1, max_size=3).map(" ".join)


@st.composite
def canonical(draw, marker, note_line, heading, page):
    paragraphs = draw(st.lists(paragraph, min_size=1, max_size=5))
    count = draw(st.integers(0, len(paragraphs)))
    blocks, page_number = [], draw(st.integers(2, 900))
    for i, text in enumerate(paragraphs):
        blocks.append(text + (marker(str(i + 1)) if i < count else ""))
        if draw(st.booleans()):
            blocks.append(page(str(page_number)))
            page_number += 1
    notes = [note_line(str(k), draw(sentence)) for k in range(1, count + 1)]
    text = heading(draw(st.integers(1, 999)), draw(sentence)) + "\n\n" + "\n\n".join(blocks)
    return text + ("\n\n" + "\n".join(notes) if notes else "")


FRUS_CANONICAL = canonical(str, lambda n, t: f"  {n}. {t}", lambda n, t: f"{n}. {t}",
                           lambda n: f"[Page {n}]")
MARKDOWN_CANONICAL = canonical(lambda n: f"[^{n}]", lambda n, t: f"[^{n}]: {t}",
                               lambda n, t: f"# {t}", lambda n: f"[Page {n}]")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(FRUS_CANONICAL)
def test_frus_canonical_round_trip(text):
    result = teikit.convert(text, name="prop.txt", convention="frus")
    assert to_text(result.root) == text


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MARKDOWN_CANONICAL)
def test_markdown_canonical_round_trip(text):
    result = teikit.convert(text, name="prop.txt", convention="markdown")
    assert result.warnings == []
    assert to_text(result.root) == text
