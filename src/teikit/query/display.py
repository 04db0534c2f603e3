"""Notebook display and pandas DataFrames of documents, notes, pages, refs and search hits.

The classes of :mod:`teikit.query` keep only thin ``_repr_html_`` / ``*_frame`` methods
that call the functions here.  pandas is optional (``pip install 'teikit[pandas]'``)
and imported only when a frame is asked for, so ``import teikit`` stays fast.
"""
from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any, Iterable, Protocol, Sequence

from . import drama

if TYPE_CHECKING:  # pragma: no cover - names for type checkers only
    import pandas

    from .corpus import Corpus, Hit
    from .document import Document, Note, Page

TABLE_ROWS = 20         # rows a summary table shows before "... and N more": a screenful
PREVIEW_CHARS = 600     # text shown of a page or note: enough to recognise it

DOCUMENT_COLUMNS = ["id", "number", "volume", "title", "date", "place", "pages", "notes", "refs", "path"]
NOTE_COLUMNS = ["document", "document_number", "n", "id", "type", "page", "pages", "citation", "text",
                "path"]
PAGE_COLUMNS = ["document", "document_number", "page", "id", "inferred", "citation", "notes", "text",
                "path"]
REF_COLUMNS = ["document", "document_number", "page", "note", "target", "internal", "text", "citation",
               "path"]
SPEECH_COLUMNS = ["document", "division", "who", "speaker", "lines", "words", "text", "line", "path"]
CAST_COLUMNS = ["id", "name", "sex", "description", "group", "speeches", "words", "lines", "path"]
HIT_COLUMNS = ["citation", "document_id", "document_number", "volume", "page", "kind", "note", "snippet",
               "path"]


# -- rows ------------------------------------------------------------------------------------

def document_rows(documents: Iterable[Document]) -> list[dict[str, Any]]:
    return [{"id": d.id, "number": d.number, "volume": d.volume, "title": d.title,
             "date": d.metadata.date, "place": d.metadata.place, "pages": len(d.pages),
             "notes": len(d.notes), "refs": len(d.refs), "path": _path(d)} for d in documents]


def note_rows(documents: Iterable[Document]) -> list[dict[str, Any]]:
    return [{"document": d.id, "document_number": d.number, "n": n.n, "id": n.id, "type": n.type,
             "page": n.page.n, "pages": " ".join(p.n or "" for p in n.pages), "citation": n.cite(),
             "text": n.text, "path": _path(d)} for d in documents for n in d.notes]


def page_rows(documents: Iterable[Document]) -> list[dict[str, Any]]:
    return [{"document": d.id, "document_number": d.number, "page": p.n, "id": p.key,
             "inferred": p.inferred, "citation": p.cite(document=True), "notes": len(p.notes),
             "text": p.text, "path": _path(d)} for d in documents for p in d.pages]


def ref_rows(documents: Iterable[Document]) -> list[dict[str, Any]]:
    return [{"document": d.id, "document_number": d.number, "page": r.page.n,
             "note": r.note.n if r.note is not None else None, "target": r.target,
             "internal": r.internal, "text": r.text, "citation": r.cite(), "path": _path(d)}
            for d in documents for r in d.refs]


def speech_rows(documents: Iterable[Document]) -> list[dict[str, Any]]:
    return [{"document": d.id, "division": s.division, "who": " ".join(s.who), "speaker": s.speaker,
             "lines": s.lines, "words": s.words, "text": s.text, "line": s.line, "path": _path(d)}
            for d in documents for s in d.speeches]


def cast_rows(documents: Iterable[Document]) -> list[dict[str, Any]]:
    """A row per role of each file (once, however many documents of it are given), with how
    many speeches, words and verse lines the file's speeches give it."""
    rows: list[dict[str, Any]] = []
    files: set[int] = set()
    for d in documents:
        root = d.element.getroottree().getroot()
        if id(root) in files:
            continue
        files.add(id(root))
        by_id: dict[str, list[drama.Speech]] = {}
        for speech in drama.speeches(root):
            for who in speech.who:
                by_id.setdefault(who, []).append(speech)
        for role in d.cast:
            own = by_id.get(role.id, []) if role.id is not None else []
            rows.append({"id": role.id, "name": role.name, "sex": role.sex, "description": role.description,
                         "group": role.group, "speeches": len(own), "words": sum(s.words for s in own),
                         "lines": sum(s.lines for s in own), "path": _path(d)})
    return rows


def hit_rows(hits: Iterable[Hit]) -> list[dict[str, Any]]:
    return [hit.as_dict() for hit in hits]


def _path(document: Document) -> str | None:
    return str(document.path) if document.path else None


# -- DataFrames ------------------------------------------------------------------------------

def frame(rows: list[dict[str, Any]], columns: Sequence[str]) -> pandas.DataFrame:
    """A DataFrame of ``rows`` with ``columns`` in this order (also when there are no rows)."""
    try:
        import pandas
    except ModuleNotFoundError:
        raise ModuleNotFoundError("DataFrames need pandas: pip install 'teikit[pandas]'",
                                  name="pandas") from None
    return pandas.DataFrame(rows, columns=list(columns))


class _WithDocuments(Protocol):
    @property
    def documents(self) -> Sequence[Document]: ...


class Frames:
    """DataFrame methods for a class with ``documents`` (:class:`Document`, :class:`Corpus`)."""

    def to_pandas(self: _WithDocuments) -> pandas.DataFrame:
        """One row per document: id, number, volume, title, date, place, counts, path."""
        return frame(document_rows(self.documents), DOCUMENT_COLUMNS)

    def notes_frame(self: _WithDocuments) -> pandas.DataFrame:
        """One row per note: document, number, id, type, page, citation, text."""
        return frame(note_rows(self.documents), NOTE_COLUMNS)

    def pages_frame(self: _WithDocuments) -> pandas.DataFrame:
        """One row per page: document, page number, id, citation, note count, text."""
        return frame(page_rows(self.documents), PAGE_COLUMNS)

    def refs_frame(self: _WithDocuments) -> pandas.DataFrame:
        """One row per ``<ref>``: document, page, note, target, text, citation."""
        return frame(ref_rows(self.documents), REF_COLUMNS)

    def speeches_frame(self: _WithDocuments) -> pandas.DataFrame:
        """One row per speech of a play: document, act or scene, who, speaker, lines, words, text."""
        return frame(speech_rows(self.documents), SPEECH_COLUMNS)

    def cast_frame(self: _WithDocuments) -> pandas.DataFrame:
        """One row per person of a play's cast, with their speeches, words and verse lines."""
        return frame(cast_rows(self.documents), CAST_COLUMNS)


# -- HTML ------------------------------------------------------------------------------------

def table_html(rows: list[dict[str, Any]], columns: Sequence[str], *, limit: int = TABLE_ROWS) -> str:
    """An HTML table of the first ``limit`` rows, with a line saying how many are left out."""
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{_cell(row.get(c))}</td>" for c in columns) + "</tr>"
                   for row in rows[:limit])
    more = f"<p>… and {len(rows) - limit} more</p>" if len(rows) > limit else ""
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}"


def document_html(document: Document) -> str:
    facts = {"id": document.id, "number": document.number, "volume": document.volume,
             "date": document.metadata.date_text or document.metadata.date,
             "place": document.metadata.place, "file": _path(document),
             "pages": len(document.pages), "notes": len(document.notes), "refs": len(document.refs)}
    title = document.title or document.heading or document.id or "TEI document"
    html = f"<div><strong>{escape(title)}</strong>{_facts(facts)}"
    if document.is_volume:
        html += table_html(document_rows(document.documents), ["id", "number", "title", "date", "pages",
                                                               "notes"])
    return html + "</div>"


def corpus_html(corpus: Corpus) -> str:
    facts = {"files": len(corpus.files), "documents": len(corpus.documents),
             "pages": sum(len(d.pages) for d in corpus.documents),
             "notes": sum(len(d.notes) for d in corpus.documents)}
    return (f"<div><strong>Corpus</strong>{_facts(facts)}"
            + table_html(document_rows(corpus.documents), ["id", "number", "volume", "title", "date",
                                                           "pages", "notes"]) + "</div>")


def corpus_repr(corpus: Corpus) -> str:
    return (f"<Corpus: {len(corpus.documents)} document(s) in {len(corpus.files)} file(s), "
            f"{sum(len(d.notes) for d in corpus.documents)} note(s)>")


def note_html(note: Note) -> str:
    kind = f" [{escape(note.type)}]" if note.type else ""
    return (f"<div><strong>{escape(note.cite())}</strong>{kind}"
            f"<p>{_preview(note.text)}</p></div>")


def page_html(page: Page) -> str:
    return (f"<div><strong>{escape(page.cite(document=True))}</strong> ({escape(page.key)})"
            f"<p style=\"white-space: pre-wrap\">{_preview(page.text)}</p></div>")


def hit_html(hit: Hit) -> str:
    return f"<div><strong>{escape(hit.citation)}</strong>: {escape(hit.snippet)}</div>"


def hits_html(hits: Sequence[Hit]) -> str:
    return (f"<div><strong>{len(hits)} hit(s)</strong>"
            + table_html(hit_rows(hits), ["citation", "kind", "snippet", "path"]) + "</div>")


def _facts(facts: dict[str, Any]) -> str:
    shown = [f"{escape(k)}: {_cell(v)}" for k, v in facts.items() if v not in (None, "")]
    return f"<br><small>{' · '.join(shown)}</small>"


def _preview(text: str) -> str:
    return escape(text if len(text) <= PREVIEW_CHARS else text[:PREVIEW_CHARS] + " …")


def _cell(value: Any) -> str:
    return "" if value is None else escape(str(value))
