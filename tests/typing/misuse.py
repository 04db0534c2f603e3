"""A user script that misuses the API: type checking must flag every line marked "wrong".

Checked by tests/typing/test_mypy.py with ``mypy --strict``; never imported or run.
"""
from __future__ import annotations

import teikit

doc = teikit.load("tei/000_7077ceb38f60db2d.xml")
n: int = doc.number  # wrong: number is str | None
doc.nonexistent_attr  # wrong: no such attribute
report = teikit.validate(["tei"], refs="eror")  # wrong: refs is "error" | "warning" | "off"
result = teikit.convert(b"1. Telegram\n")  # wrong: convert() takes str
ok: str = report.ok  # wrong: ok is bool
hits: list[teikit.Hit] = teikit.Corpus(["tei"]).search(42)  # wrong: the query is str

# right: none of these may be flagged
number: str | None = doc.number
notes: list[teikit.Note] = doc.notes
passed: bool = teikit.validate(["tei"], refs="error").ok
tree_root = teikit.convert("1. Telegram\n").root
