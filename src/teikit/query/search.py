"""Full-text matching shared by the index-free search and the SQLite FTS5 index.

A query is a list of terms and ``"quoted phrases"``; a text matches when it holds
every term and phrase as whole words.  Words are runs of letters and digits,
compared case- and accent-insensitively, which is what SQLite's ``unicode61``
tokenizer does, so searching with and without an index finds the same pages.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_TOKEN = re.compile(r"[^\W_]+")
_QUERY_PART = re.compile(r'"([^"]*)"|(\S+)')
# combining diacritical marks (the ones SQLite's remove_diacritics takes off Latin letters)
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Lower case without accents: ``"Bảo Đại"`` -> ``"bao đai"``."""
    if text.isascii():
        return text.lower()
    return _MARKS.sub("", unicodedata.normalize("NFKD", text.casefold()))


def tokens(text: str) -> list[str]:
    """The words of ``text``, folded."""
    return _TOKEN.findall(fold(text))


@dataclass(frozen=True)
class Query:
    """A parsed query: each phrase is a tuple of words (a single term is a 1-word phrase)."""

    text: str
    phrases: tuple[tuple[str, ...], ...]

    @classmethod
    def parse(cls, text: str) -> "Query":
        phrases = []
        for match in _QUERY_PART.finditer(text):
            words = tuple(tokens(match.group(1) if match.group(1) is not None else match.group(2)))
            if words:
                phrases.append(words)
        return cls(text, tuple(phrases))

    def __bool__(self) -> bool:
        return bool(self.phrases)

    def fts5(self) -> str:
        """The query as an FTS5 expression: every phrase quoted, all required (AND)."""
        return " AND ".join('"' + " ".join(words) + '"' for words in self.phrases)

    def matches(self, text: str) -> bool:
        """Whether ``text`` holds every phrase of the query as consecutive words."""
        return self.matches_tokens(tokens(text))

    def matches_tokens(self, words: list[str]) -> bool:
        if not self.phrases:
            return False
        joined = " " + " ".join(words) + " "
        return all(" " + " ".join(phrase) + " " in joined for phrase in self.phrases)

    def snippet(self, text: str, width: int = 80) -> str:
        """About ``width`` characters of ``text`` around the first word of the query."""
        flat = " ".join(text.split())
        if not self.phrases:
            return flat[:width]
        # position in the folded text; folding keeps lengths except for rare ligatures
        found = re.search(r"(?<![^\W_])" + re.escape(self.phrases[0][0]) + r"(?![^\W_])", fold(flat))
        start = min(found.start(), len(flat) - 1) if found else None
        if start is None or len(flat) <= width:
            return flat[:width] + ("…" if len(flat) > width else "")
        begin = max(0, start - width // 3)
        end = min(len(flat), begin + width)
        return ("…" if begin else "") + flat[begin:end] + ("…" if end < len(flat) else "")
