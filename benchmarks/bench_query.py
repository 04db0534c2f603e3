"""Query and index, side by side with their floors: lxml parse, raw SQLite FTS5.

    python benchmarks/bench_query.py [--mb 20] [--files 5000] [--repeat 200] [--before OLD/src]

Builds a synthetic FRUS volume of about ``--mb`` megabytes (the documents of the
development corpus, ../shared/corpus/frus-dev, replicated into one ``<TEI>``,
every copy renumbered) and a folder of ``--files`` document files, then prints,
each measured in a fresh process (CPU = user + system of the process and of every
process it started, fork-server workers included; peak = the largest resident set
of any one of them), with ``--before SRC`` the same for the teikit under SRC first:

* ``teikit.load`` of the volume vs ``lxml.etree.parse`` of it (CPU and peak memory);
* ``teikit index`` of the folder vs the floor: lxml parse of each file and a raw
  FTS5 insert of its text (one process), at 1/5 and all of the files (memory flat?);
* ``search --index`` vs the same FTS5 query with ``sqlite3`` (mean per query);
* query latencies on the loaded volume.
Targets (issue 11), one "target: ... met/NOT met" line each: load <= 3x CPU and
<= 1.5x memory of the parse; index <= 2x the floor (CPU and wall both shown),
peak <= 150 MB and flat; search <= 2x.
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import random
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from lxml import etree  # noqa: E402

from teikit.xmlio import TEI_NS, XML_ID, parse_xml  # noqa: E402

DEV = ROOT.parent / "shared" / "corpus" / "frus-dev"
_T = f"{{{TEI_NS}}}"
_TARGET = re.compile(r"^#d(\d+)((?:fn\d+)?)$")
QUERIES = ['"Geneva Accords"', "Diem government", "NSC 5405", "Saigon", "zzyzx"]
WARM_UP = 3  # queries of each kind run, and not timed, before the timed ones (both sides)

# -- work done in a fresh process, for clean CPU and memory figures -------------------------
CHILD = r"""
import json, os, resource, sqlite3, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
what, args = sys.argv[2], sys.argv[3:]
from lxml import etree
if what == "load":
    import teikit
    load = teikit.load  # imported before the clock starts (teikit imports its names on first use), as lxml is
startup = resource.getrusage(resource.RUSAGE_SELF)
start_cpu, start = time.process_time(), time.perf_counter()
if what == "parse":
    etree.parse(args[0], etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
elif what == "load":
    load(args[0])
elif what == "index":
    from teikit.query.index import build_index
    build_index([args[0]], args[1])
elif what == "index-floor":  # parse each file, insert its text: no pages, no notes, one process
    db = sqlite3.connect(args[1])
    db.execute("CREATE VIRTUAL TABLE t USING fts5(path UNINDEXED, text, "
               "tokenize = 'unicode61 remove_diacritics 2')")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    for path in sorted(Path(args[0]).glob("*.xml")):
        root = etree.parse(str(path), parser).getroot()
        db.execute("INSERT INTO t VALUES (?, ?)", (str(path), " ".join(root.itertext())))
    db.commit()
    db.close()
else:  # a module (teikit's command line) or, with "runpy-file", a script, with its arguments
    import runpy
    sys.argv = [what, *args]
    try:
        if what == "runpy-file":
            sys.argv = args
            runpy.run_path(args[0], run_name="__main__")
        else:
            runpy.run_module(what, run_name="__main__")
    except SystemExit as exit:
        if exit.code:
            raise
children = resource.getrusage(resource.RUSAGE_CHILDREN)
# ru_maxrss survives fork and exec (it would show the bench's own size): VmHWM is this process's
own_kb = int(next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM")))
print(json.dumps({"cpu": time.process_time() - start_cpu + children.ru_utime + children.ru_stime,
                  "wall": time.perf_counter() - start,
                  "peak_mb": max(own_kb, children.ru_maxrss) / 1024,
                  "startup_cpu": startup.ru_utime + startup.ru_stime}))
"""
PR_SET_CHILD_SUBREAPER = 36  # <linux/prctl.h>: orphaned descendants are reparented to this process
SAMPLE_SECONDS = 0.05  # how often the memory of worker processes is read while they run


def _become_subreaper() -> bool:
    """Adopt the orphans of measured processes (a fork server's workers), so that their CPU is counted."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


SUBREAPER = _become_subreaper()


def _descendants(pid: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    ppid = int(stat.read().rpartition(")")[2].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            parents.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _peak_mb(pids: list[int]) -> float:
    peak = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as status:
                peak = max(peak, next(int(line.split()[1]) for line in status if line.startswith("VmHWM")))
        except (OSError, StopIteration, ValueError):
            continue
    return peak / 1024


def measure(what: str, *args: object, src: Path = ROOT / "src") -> dict[str, float]:
    """CPU seconds, wall seconds and peak MB of ``what`` run in a fresh Python process.

    CPU counts every process the run started, workers of a fork server included (they are
    not the run's children: they are adopted here, and waited for, to count them); peak is
    the largest of the run's own and of any descendant's, read while they live.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    process = subprocess.Popen([sys.executable, "-c", CHILD, str(src), what, *map(str, args)],
                               stdout=subprocess.PIPE, text=True)
    descendant_peak = 0.0
    while process.poll() is None:
        descendant_peak = max(descendant_peak, _peak_mb(_descendants(process.pid)))
        time.sleep(SAMPLE_SECONDS)
    out = process.stdout.read() if process.stdout else ""
    if process.returncode:
        raise SystemExit(f"{what} failed (exit {process.returncode})")
    figures = json.loads(out.strip().splitlines()[-1])
    if SUBREAPER:
        while True:  # the orphans (a fork server, its workers) end once the run is gone
            try:
                os.waitpid(-1, 0)
            except ChildProcessError:
                break
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        tree_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        figures["cpu"] = tree_cpu - figures["startup_cpu"]
    figures["peak_mb"] = max(figures["peak_mb"], descendant_peak)
    return figures


def side_by_side(label: str, ours: dict[str, float], floor: dict[str, float], floor_name: str) -> dict[str, float]:
    """Print one line of figures; return the ratios (cpu, wall, memory)."""
    print(f"{label}: teikit {ours['cpu']:.2f} s CPU / {ours['wall']:.2f} s wall / {ours['peak_mb']:.0f} MB peak; "
          f"{floor_name} {floor['cpu']:.2f} s / {floor['wall']:.2f} s / {floor['peak_mb']:.0f} MB; "
          f"ratio CPU {ours['cpu'] / floor['cpu']:.1f}x, wall {ours['wall'] / floor['wall']:.1f}x, "
          f"memory {ours['peak_mb'] / floor['peak_mb']:.2f}x")
    return {key: ours[key] / floor[key] for key in ("cpu", "wall", "peak_mb")}


def verdict(name: str, value: float, limit: float, unit: str = "x") -> None:
    print(f"target: {name} <= {limit:g}{unit}: {value:.2f}{unit}, {'met' if value <= limit else 'NOT met'}")


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


def document_files(folder: Path, count: int) -> Path:
    """``count`` document files: the development corpus copied over and over (``copyN_name.xml``)."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = sorted(DEV.glob("*.xml"))
    for i in range(count):
        source = sources[i % len(sources)]
        shutil.copyfile(source, folder / f"copy{i // len(sources)}_{source.name}")
    return folder


def mean_ms(func, items) -> float:
    start = time.perf_counter()
    for item in items:
        func(item)
    return (time.perf_counter() - start) * 1000 / len(items)


def bench_load(volume: Path, before: Path | None) -> None:
    label = f"load {os.path.getsize(volume) / 1e6:.1f} MB volume"
    floor = measure("parse", volume)
    if before is not None:
        side_by_side(f"{label} (before: {before})", measure("load", volume, src=before), floor, "lxml parse")
    ratios = side_by_side(label, measure("load", volume), floor, "lxml parse")
    verdict("load CPU / lxml parse CPU", ratios["cpu"], 3)
    verdict("load peak / lxml parse peak", ratios["peak_mb"], 1.5)


def bench_lookups(volume: Path, repeat: int) -> None:
    """Lookups on the loaded volume (run last: loading it makes this process large)."""
    from teikit.query.document import load
    rng = random.Random(0)
    doc = load(volume)
    doc.page(doc.pages[0].key), doc.get(""), doc.page_of(doc.element)  # the lookup tables are built on first use
    page_keys = [rng.choice(doc.pages).key for _ in range(repeat)]
    notes = [rng.choice(doc.notes) for _ in range(repeat)]
    elements = [rng.choice(doc.paragraphs).element for _ in range(repeat)]
    figures = {
        "page text by key": mean_ms(lambda k: doc.page(k).text, page_keys),
        "note by id": mean_ms(lambda note: doc.note(note.id), notes),
        "page of a paragraph element": mean_ms(doc.page_of, elements),
        "page text with notes": mean_ms(lambda k: doc.page(k).text_with_notes, page_keys),
    }
    for name, ms in figures.items():
        print(f"  {name:<30} {ms * 1000:8.1f} µs")


def bench_index(tmp: Path, files: int, before: Path | None) -> Path:
    folder = document_files(tmp / "files", files)
    index = tmp / "files.sqlite"
    peaks = []
    for count in sorted({max(1, files // 5), files}):
        subset = folder if count == files else document_files(tmp / f"files{count}", count)
        floor = measure("index-floor", subset, tmp / f"floor{count}.sqlite")
        if before is not None:
            side_by_side(f"index {count} files (before: {before})", measure("index", subset, tmp / "before.sqlite",
                                                                          src=before), floor, "parse + raw FTS5 insert")
        ours = measure("index", subset, index)
        ratios = side_by_side(f"index {count} files", ours, floor, "parse + raw FTS5 insert")
        peaks.append(ours["peak_mb"])
    verdict(f"index {files} files CPU (all processes) / floor CPU", ratios["cpu"], 2)
    verdict(f"index {files} files wall / floor wall (one process)", ratios["wall"], 2)
    verdict("index peak memory", max(peaks), 150, " MB")
    return index


def bench_search(index: Path, repeat: int) -> None:
    from teikit.query.index import SNIPPET_WORDS, search_index
    from teikit.query.search import Query
    sql = ("SELECT document_id, document_number, volume, page, kind, note, path, "
           f"snippet(units, 7, '', '', '…', {SNIPPET_WORDS}) FROM units WHERE units MATCH ? ORDER BY rowid")

    def raw(query: str) -> list:
        with sqlite3.connect(f"file:{index}?mode=ro", uri=True) as db:
            return db.execute(sql, [Query.parse(query).fts5()]).fetchall()

    worst = 0.0
    for query in QUERIES:
        mean_ms(lambda q: search_index(index, q), [query] * WARM_UP), mean_ms(raw, [query] * WARM_UP)
        ours = mean_ms(lambda q: search_index(index, q), [query] * repeat)
        floor = mean_ms(raw, [query] * repeat)
        print(f"search --index {query!r:<20} teikit {ours:7.2f} ms, sqlite3 {floor:7.2f} ms, "
              f"ratio {ours / floor:.2f}x ({len(raw(query))} hits)")
        worst = max(worst, ours / floor)
    verdict("search --index / sqlite3 (worst query)", worst, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20.0, help="size of the volume (default 20)")
    parser.add_argument("--files", type=int, default=5000, help="files to index (default 5000)")
    parser.add_argument("--repeat", type=int, default=200, help="queries of each kind (default 200)")
    parser.add_argument("--before", metavar="SRC", type=Path,
                        help="also measure load and index with the teikit package under SRC "
                             "(e.g. an older checkout's src/), side by side")
    parser.add_argument("--build", metavar="PATH", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:  # in a process of its own, so that the bench stays small for the peaks measured
        docs, pages = build_volume(Path(args.build), args.mb)
        print(f"volume: {os.path.getsize(args.build) / 1e6:.1f} MB, {docs} documents, {pages} <pb>")
        return
    print(f"cores: {os.cpu_count()}")
    with tempfile.TemporaryDirectory() as tmp:
        volume = Path(tmp) / "volume.xml"
        subprocess.run([sys.executable, __file__, "--build", str(volume), "--mb", str(args.mb)], check=True)
        bench_load(volume, args.before)
        index = bench_index(Path(tmp), args.files, args.before)
        bench_search(index, args.repeat)
        bench_lookups(volume, args.repeat)


if __name__ == "__main__":
    main()
