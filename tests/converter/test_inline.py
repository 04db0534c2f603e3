"""Inline text: white space collapsed as TEI readers expect."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from teikit.converter.inline import WS, collapse_space, single_spaces

# every kind of white space str.split() knows, and printable text around it
SPACES = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


@given(st.text(alphabet=st.sampled_from(list(SPACES) + list("ab’“.1")), max_size=40) | st.text(max_size=40))
def test_collapse_space_is_split_and_join(s):
    assert collapse_space(s) == " ".join(s.split())


@given(st.text(alphabet=st.sampled_from(list(SPACES) + list("ab’“.1")), max_size=40) | st.text(max_size=40))
def test_single_spaces_is_the_regular_expression(s):
    assert single_spaces(s) == WS.sub(" ", s)


def test_collapsed_text_is_returned_as_is():
    s = "Already collapsed “text”, with one space between words."
    assert collapse_space(s) is s
