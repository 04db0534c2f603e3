"""MkDocs hook: ``<!-- readme: Convert -->`` in a page becomes the README's ``## Convert`` section.

The README stays the one source of the task guides (it is what GitHub and PyPI show);
links into ``docs/`` are rewritten relative to the page that includes the section.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

_PLACEHOLDER = re.compile(r"<!-- readme: (?P<title>[^>]+?) -->")
_README = Path(__file__).resolve().parents[2] / "README.md"


def readme_section(title: str) -> str:
    """The body of the README's ``## title`` section, without its heading."""
    text = _README.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    if match is None:
        raise ValueError(f"README.md has no section '## {title}'")
    return match.group(1)


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    depth = page.file.src_uri.count("/")
    prefix = "../" * depth
    return _PLACEHOLDER.sub(
        lambda m: readme_section(m.group("title").strip()).replace("](docs/", f"]({prefix}"), markdown)
