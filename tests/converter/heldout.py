"""Held-out FRUS documents: render gold TEI documents to plain text, as the dev corpora were made.

``build(xml_files, folder)`` writes ``<stem>.txt`` / ``<stem>.xml`` pairs and a
``manifest.json`` that ``../shared/eval/score.py`` reads, using the renderer of
``../shared/eval/render.py``; the converter never saw these documents.

    python -m tests.converter.heldout OUT_DIR VOLUME.xml [...]
"""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

from lxml import etree

from teikit.xmlio import TEI_NS, XML_ID, safe_parser


def _renderer(shared: Path):
    spec = importlib.util.spec_from_file_location("frus_render", shared / "eval" / "render.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build(xml_files: list[Path], folder: Path, shared: Path, limit: int | None = None) -> int:
    """Render every document div of ``xml_files`` into ``folder``; returns how many."""
    render = _renderer(shared)
    folder.mkdir(parents=True, exist_ok=True)
    documents = []
    for xml_file in xml_files:
        root = etree.parse(str(xml_file), safe_parser()).getroot()
        for div in root.iter(f"{{{TEI_NS}}}div"):
            if div.get("type") != "document" or limit is not None and len(documents) >= limit:
                continue
            text, info = render.render_div(div)
            if not text.strip():
                continue
            stem = f"{xml_file.stem}_{div.get(XML_ID)}"
            (folder / f"{stem}.txt").write_text(text, "utf-8")
            (folder / f"{stem}.xml").write_bytes(etree.tostring(div, encoding="UTF-8"))
            head = div.find(f"{{{TEI_NS}}}head")
            documents.append({
                "file": stem, "doc": div.get("n") or "",
                "title": " ".join(render.norm("".join(
                    t for t in _text_without_notes(head))).split()) if head is not None else "",
                "notes": [{"n": n["n"], "offset": n["offset"], "text": n["text"]}
                          for n in info["notes"]],
                "pbs": [{"n": p["n"], "offset": p["offset"], "in_note": p["in_note"]}
                        for p in info["pbs"]],
                "refs": [{"target": r["target"], "text": r["text"]} for r in info["refs"]],
                "notes_block_offset": info["notes_offset"],
            })
    (folder / "manifest.json").write_text(json.dumps({"documents": documents}), "utf-8")
    return len(documents)


def _text_without_notes(el):
    if el.text:
        yield el.text
    for child in el:
        if etree.QName(child).localname != "note":
            yield from _text_without_notes(child)
        if child.tail:
            yield child.tail


if __name__ == "__main__":
    out, *volumes = sys.argv[1:]
    here = Path(__file__).resolve()
    count = build([Path(v) for v in volumes], Path(out), here.parents[3] / "shared")
    print(f"{count} documents in {out}")
