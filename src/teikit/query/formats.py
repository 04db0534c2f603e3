"""Rows of results as text, JSON or CSV for the command line.

A result is a list of dicts with the same keys; ``columns`` orders them.  Text
output is one tab-separated line per row (newlines inside values shown as
`` / ``) unless a ``text_line`` formatter is given; JSON is a list of objects;
CSV has a header line.
"""
from __future__ import annotations

import csv
import io
import json
from typing import Any, Callable, Iterable

FORMATS = ("text", "json", "csv")


def render(rows: Iterable[dict[str, Any]], fmt: str, columns: list[str],
           text_line: Callable[[dict[str, Any]], str] | None = None) -> str:
    """The rows in format ``fmt`` (one of :data:`FORMATS`), ending with a newline if not empty."""
    rows = [{key: row.get(key) for key in columns} for row in rows]
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: "" if v is None else v for k, v in row.items()} for row in rows)
        return buffer.getvalue()
    if fmt == "text":
        line = text_line or _tab_line
        return "".join(line(row) + "\n" for row in rows)
    raise ValueError(f"unknown format {fmt!r}")


def _tab_line(row: dict[str, Any]) -> str:
    return "\t".join(one_line(value) for value in row.values())


def one_line(value: Any) -> str:
    """A value on one line: ``None`` as empty, newlines as `` / ``."""
    if value is None:
        return ""
    return " / ".join(str(value).splitlines())
