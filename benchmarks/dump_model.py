"""Dump what ``teikit.load`` makes of TEI files as JSON: to compare two versions of the model.

    python benchmarks/dump_model.py [--src OLD/src] FILE_OR_FOLDER ... > model.json

For every file (folders: their ``*.xml``, recursively): each unit's id, number, kind,
heading, metadata and text, its pages (key, n, position, text, text with notes, notes),
notes (number, id, type, text, passage, context, pages, citation), paragraphs and refs,
and the same for the volume as a whole.  Two dumps made with two versions of
teikit (``--src``) are equal when both load every file alike.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def page_record(page: Any) -> dict[str, Any]:
    return {"key": page.key, "n": page.n, "id": page.id, "position": page.position, "inferred": page.inferred,
            "document": page.document_id, "text": page.text, "with_notes": page.text_with_notes,
            "notes": [note.id or note.n for note in page.notes], "cite": page.cite(document=True)}


def unit_record(doc: Any) -> dict[str, Any]:
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
        "page_of": [doc.page_of(el).key for el in doc.element.iter() if doc.page_of(el) is not None][:2000],
    }


def dump(path: Path) -> dict[str, Any]:
    import teikit
    try:
        doc = teikit.load(path)
    except teikit.InputError as exc:
        return {"refused": str(exc)}
    return {"volume": unit_record(doc), "units": [unit_record(unit) for unit in doc.units],
            "documents": [unit.id for unit in doc.documents]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="the teikit package's src/ to use")
    parser.add_argument("paths", nargs="+", type=Path)
    args = parser.parse_args()
    sys.path.insert(0, str(args.src))
    files = sorted(p for path in args.paths for p in ([path] if path.is_file() else path.rglob("*.xml")))
    json.dump({str(path): dump(path) for path in files}, sys.stdout, ensure_ascii=False, indent=0, sort_keys=True)


if __name__ == "__main__":
    main()
