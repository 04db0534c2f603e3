"""Property: convert -> validate -> query -> export -> verify on any text never crashes, every
output is well-formed, and no input changes (hashes before and after)."""
from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from teikit.xmlio import safe_parser

from .helpers import teikit

LINE = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60),
    st.from_regex(r"\d{1,3}\. [A-Z][a-z]+( [a-z]+){0,5}\d?", fullmatch=True),           # heading
    st.from_regex(r"\[Page [0-9ivx½²<>&\"' –-]{1,6}\]", fullmatch=True),                    # page marker
    st.from_regex(r"  \d{1,2}\. Source: [A-Za-z ,.;]{0,30}", fullmatch=True),              # footnote
    st.sampled_from(["", "&amp; <p> ]]> <!-- x", "See Document 58.", "\x0c", "  • item"]),
)
DOCUMENT = st.lists(LINE, min_size=1, max_size=25).map("\n".join)


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(DOCUMENT, min_size=1, max_size=3))
def test_the_whole_pipeline_on_any_text(texts):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "in").mkdir()
        for i, text in enumerate(texts):
            (root / "in" / f"doc{i}.txt").write_text(text, encoding="utf-8")
        inputs = _hashes(root / "in")

        converted = teikit("convert", root / "in", "-o", root / "tei")
        assert converted.exit_code in (0, 1), converted.stderr
        outputs = sorted((root / "tei").glob("*.xml")) if (root / "tei").exists() else []
        for xml in outputs:
            etree.parse(str(xml), safe_parser())                        # well-formed, always
        assert _hashes(root / "in") == inputs
        if not outputs:
            return
        tei = _hashes(root / "tei")

        assert teikit("validate", root / "tei").exit_code in (0, 1)
        assert teikit("pages", root / "tei").exit_code in (0, 2)
        assert teikit("search", "the", root / "tei").exit_code in (0, 2)
        corpus = teikit("export", "--format", "corpus", root / "tei", "-o", root / "corpus.xml")
        if corpus.exit_code == 0:
            etree.parse(str(root / "corpus.xml"), safe_parser())
        else:
            assert corpus.exit_code == 2 and not (root / "corpus.xml").exists()
        bag = teikit("export", "--format", "bagit", root / "tei", "-o", root / "bag")
        if bag.exit_code == 0:
            assert teikit("verify", root / "bag").exit_code in (0, 1)
        else:
            assert bag.exit_code == 2 and not (root / "bag").exists()
        assert _hashes(root / "tei") == tei and _hashes(root / "in") == inputs
        assert not [p for p in root.rglob(".teikit-tmp*")]
