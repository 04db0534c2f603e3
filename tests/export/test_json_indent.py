"""teikit's indented JSON encoder writes exactly what ``json.dumps(..., ensure_ascii=False, indent=1)`` does."""
from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from teikit.export.json_indent import dumps

_SCALARS = (st.none() | st.booleans() | st.integers() | st.text()
            | st.floats(allow_nan=True, allow_infinity=True))
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: (st.lists(inner, max_size=4) | st.tuples(inner, inner)
                   | st.dictionaries(st.text(max_size=5), inner, max_size=4)
                   | st.dictionaries(st.integers() | st.none() | st.booleans(), inner, max_size=3)),
    max_leaves=30)


def _standard(value: object, level: int) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1).replace("\n", "\n" + " " * level)


@settings(max_examples=400, deadline=None)
@given(_VALUES, st.integers(min_value=0, max_value=4))
def test_the_text_is_the_standard_librarys(value, level):
    assert dumps(value, level) == _standard(value, level)


def test_strings_that_json_escapes_and_empty_containers():
    value = {"q\"uote": ["\\", "\n\t\x00\x1f", "\u2028 é 😀", "</script>"], "empty": [{}, [], ""],
             "n": [None, True, False, 0, -12, 10**30, 1.5], "t": (1, "a")}
    assert dumps(value) == _standard(value, 0)
    assert dumps(value, 2) == _standard(value, 2)
