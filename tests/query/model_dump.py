"""What ``teikit.load`` makes of TEI files, as plain JSON values: to compare two versions of the model.

    python tests/query/model_dump.py [--src OLD/src] --digests OUT.json FILE_OR_FOLDER ...

For every file (folders: their ``*.xml``, recursively): each unit's id, number, kind,
heading, metadata and texts, its pages (key, n, position, text, text with notes, notes),
notes (number, id, type, text, passage, context, pages, citation), paragraphs, refs and
the page of its first elements, and the same for the volume as a whole (or the refusal).
The script writes one SHA-256 per file; tests/query/test_model_digest.py checks that
today's ``teikit.load`` gives the digests stored in tests/query/data/model_digests.json,
written with the model's code before the load work of issue 11 (``--src`` of that
version), so the faster load is shown to make the very same model.
"""
from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

#: elements of a unit whose page (:meth:`teikit.Document.page_of`) is recorded: enough to cover the
#: walk's records and the elements between them, few enough for a large volume
PAGE_OF_ELEMENTS = 2000


def page_record(page: Any) -> dict[str, Any]:
    return {"key": page.key, "n": page.n, "id": page.id, "position": page.position, "inferred": page.inferred,
            "document": page.document_id, "text": page.text, "with_notes": page.text_with_notes,
            "notes": [note.id or note.n for note in page.notes], "cite": page.cite(document=True)}


def unit_record(doc: Any) -> dict[str, Any]:
    elements = [el for _, el in zip(range(PAGE_OF_ELEMENTS), doc.element.iter())]
    return {
        "id": doc.id, "number": doc.number, "kind": doc.kind, "volume": doc.volume, "heading": doc.heading,
        "metadata": dataclasses.asdict(doc.metadata), "text": doc.text(), "text_notes": doc.text(notes=True),
        "pages": [page_record(page) for page in doc.pages],
        "notes": [{"n": note.n, "id": note.id, "type": note.type, "text": note.text, "passage": note.passage,
                   "context": note.context, "page": note.page.key, "pages": [p.key for p in note.pages],
                   "cite": note.cite(), "line": note.element.sourceline} for note in doc.notes],
        "paragraphs": [{"kind": p.kind, "id": p.id, "text": p.text, "page": p.page.key,
                        "line": p.element.sourceline} for p in doc.paragraphs],
        "refs": [{"target": r.target, "text": r.text, "page": r.page.key, "note": r.note.id if r.note else None,
                  "cite": r.cite(), "line": r.element.sourceline} for r in doc.refs],
        "page_of": [page.key if page is not None else None for page in map(doc.page_of, elements)],
    }


def model_record(path: Path) -> dict[str, Any]:
    """Everything :func:`teikit.load` makes of ``path`` (or its refusal), as plain values."""
    import teikit
    try:
        doc = teikit.load(path)
    except teikit.InputError as exc:
        return {"refused": exc.message, "line": exc.line}
    return {"volume": unit_record(doc), "units": [unit_record(unit) for unit in doc.units],
            "documents": [unit.id for unit in doc.documents]}


def digest(path: Path) -> str:
    """The SHA-256 of :func:`model_record` of ``path`` as canonical JSON."""
    text = json.dumps(model_record(path), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, help="the src/ folder of the teikit to use (default: the installed one)")
    parser.add_argument("--base", type=Path, default=Path.cwd(), help="file names are written relative to it")
    parser.add_argument("--digests", type=Path, required=True, help="where to write the digests (JSON)")
    parser.add_argument("paths", nargs="+", type=Path)
    args = parser.parse_args()
    if args.src is not None:
        sys.path.insert(0, str(args.src.resolve()))
    files = sorted(p for path in args.paths for p in ([path] if path.is_file() else path.rglob("*.xml")))
    digests = {p.resolve().relative_to(args.base.resolve()).as_posix(): digest(p) for p in files}
    args.digests.write_text(json.dumps(digests, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
