"""Query API on a large volume: load once, then page/note/ref queries in milliseconds.

    python benchmarks/bench_query.py [--mb 20] [--repeat 1000]

Builds a synthetic FRUS volume of about ``--mb`` megabytes in a temporary folder:
the documents of the development corpus (../shared/corpus/frus-dev) replicated
into one ``<TEI>`` with many ``<div type="document">``, every copy renumbered
(unique ``dN``, ``dNfnK`` and ``pg_N`` ids, pages numbered through the volume,
``#dN`` refs rewritten to the copy's documents).  Prints the load time (parse
and walk) and the mean latency of typical queries; the issue's target is a
20 MB volume loaded once and page/note queries answered in milliseconds.
"""
from __future__ import annotations

import argparse
import copy
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from lxml import etree  # noqa: E402

import teikit  # noqa: E402
from teikit.query.document import from_tree  # noqa: E402
from teikit.query.index import build_index, search_index  # noqa: E402
from teikit.xmlio import TEI_NS, XML_ID, parse_xml  # noqa: E402

DEV = ROOT.parent / "shared" / "corpus" / "frus-dev"
_T = f"{{{TEI_NS}}}"
_TARGET = re.compile(r"^#d(\d+)((?:fn\d+)?)$")


def build_volume(target: Path, megabytes: float) -> tuple[int, int]:
    """Write the synthetic volume; return (documents, pages)."""
    sources = [parse_xml(p).getroot() for p in sorted(DEV.glob("*.xml"))]
    one_round = sum(len(etree.tostring(s)) for s in sources)
    rounds = max(1, round(megabytes * 1_000_000 / one_round))
    root = etree.Element(f"{_T}TEI", nsmap={None: TEI_NS})
    root.set(XML_ID, "frus-bench")
    title_stmt = etree.SubElement(etree.SubElement(etree.SubElement(root, f"{_T}teiHeader"),
                                                   f"{_T}fileDesc"), f"{_T}titleStmt")
    etree.SubElement(title_stmt, f"{_T}title").text = "Synthetic benchmark volume"
    body = etree.SubElement(etree.SubElement(root, f"{_T}text"), f"{_T}body")
    number, page = 0, 1
    for r in range(rounds):
        chapter = etree.SubElement(body, f"{_T}div", type="chapter")
        etree.SubElement(chapter, f"{_T}head").text = f"Chapter {r + 1}"
        renumber: dict[str, int] = {}
        copies = []
        for source in sources:
            number += 1
            renumber[source.get(XML_ID)[1:]] = number
            copies.append(copy.deepcopy(source))
        for div in copies:
            new = renumber[div.get(XML_ID)[1:]]
            div.set(XML_ID, f"d{new}")
            div.set("n", str(new))
            for note in div.iter(f"{_T}note"):
                note.set(XML_ID, f"d{new}fn{note.get('n')}")
            for pb in div.iter(f"{_T}pb"):
                page += 1
                pb.set("n", str(page))
                pb.set(XML_ID, f"pg_{page}")
            for ref in div.iter(f"{_T}ref"):
                match = _TARGET.match(ref.get("target", ""))
                if match and match.group(1) in renumber:
                    ref.set("target", f"#d{renumber[match.group(1)]}{match.group(2)}")
            chapter.append(div)
    etree.ElementTree(root).write(str(target), xml_declaration=True, encoding="UTF-8")
    return number, page


def mean_ms(func, items) -> float:
    start = time.perf_counter()
    for item in items:
        func(item)
    return (time.perf_counter() - start) * 1000 / len(items)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20.0, help="size of the volume (default 20)")
    parser.add_argument("--repeat", type=int, default=1000, help="queries of each kind (default 1000)")
    args = parser.parse_args()
    rng = random.Random(0)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "volume.xml"
        docs, pages = build_volume(path, args.mb)
        size = os.path.getsize(path) / 1e6
        print(f"volume: {size:.1f} MB, {docs} documents, {pages} <pb>")

        start = time.perf_counter()
        tree = parse_xml(path)
        parsed = time.perf_counter()
        volume = from_tree(tree, path=path)
        walked = time.perf_counter()
        print(f"load: {walked - start:.2f} s (parse {parsed - start:.2f} s, walk and build "
              f"{walked - parsed:.2f} s); {len(volume.pages)} pages, {len(volume.notes)} notes, "
              f"{len(volume.refs)} refs")

        page_keys = [rng.choice(volume.pages).n for _ in range(args.repeat)]
        notes = [rng.choice(volume.notes) for _ in range(args.repeat)]
        doc_keys = [rng.choice(volume.documents).id for _ in range(args.repeat)]
        elements = [rng.choice(volume.paragraphs).element for _ in range(args.repeat)]
        inner = [el for el in (next(p.element.iterdescendants(), None)
                               for p in rng.sample(volume.paragraphs, args.repeat)) if el is not None]
        figures = {
            "document by id": mean_ms(volume.document, doc_keys),
            "page text by number": mean_ms(lambda n: volume.page(n).text, page_keys),
            "note by id": mean_ms(lambda note: volume.note(note.id), notes),
            "page of a note (citation)": mean_ms(lambda note: note.cite(), notes),
            "page of a paragraph element": mean_ms(volume.page_of, elements),
            "page of an inline element": mean_ms(volume.page_of, inner),
            "notes on a page": mean_ms(lambda n: volume.page(n).notes, page_keys),
            "page text with notes": mean_ms(lambda n: volume.page(n).text_with_notes, page_keys),
        }
        for name, ms in figures.items():
            print(f"  {name:<30} {ms * 1000:8.1f} µs")

        corpus = teikit.Corpus([volume])
        start = time.perf_counter()
        citing = corpus.cited_by(volume.documents[1].id)
        print(f"cited_by (first call builds the table): {(time.perf_counter() - start) * 1000:.0f} ms, "
              f"then {mean_ms(lambda d: corpus.cited_by(d), doc_keys[:100]) * 1000:.1f} µs "
              f"({len(citing)} refs)")
        queries = ['"Geneva Accords"', "Diem government", "NSC 5405", "zzyzx"]
        first = mean_ms(corpus.search, ["Saigon"])
        scan = [mean_ms(corpus.search, [q]) for q in queries]
        print(f"search without index: first query {first:.0f} ms (tokenises the corpus once), then "
              f"{statistics.mean(scan):.0f} ms per query (mean of {len(queries)})")
        index = Path(tmp) / "volume.sqlite"
        start = time.perf_counter()
        rows = build_index(corpus, index)
        print(f"index build: {time.perf_counter() - start:.2f} s ({rows} rows, "
              f"{os.path.getsize(index) / 1e6:.1f} MB)")
        for query in queries:
            ms = mean_ms(lambda q: search_index(index, q), [query] * 5)
            print(f"  search with index {query!r:<20} {ms:7.1f} ms, {len(search_index(index, query))} hits")


if __name__ == "__main__":
    main()
