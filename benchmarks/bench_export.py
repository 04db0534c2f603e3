"""Each export format side by side with its floor, on the same files, in one run.

    python benchmarks/bench_export.py [--files 500] [--before SRC]

Inputs: ``--files`` document files (the development corpus, ../shared/corpus/frus-dev,
copied over and over).  Each command runs in a fresh process (CPU = user + system of
it and its workers; peak = the largest resident set of any one of them):

* ``teikit export --format corpus``  vs  lxml: parse every file, one ``teiCorpus``, serialise;
* ``--format html|json``             vs  lxml: parse every file, take its text, write it (one file);
* ``--format text``                  vs  the same, one ``.txt`` per input in a folder, flushed to disk
  with one ``syncfs``: the output teikit must write (a file per input, durable before exit 0),
  so that the floor does the same file-system work (500 file creations cost more than the parsing);
* ``--format bagit``                 vs  ``bagit.make_bag`` on a copy of the same files
  (sha256 + sha512, all cores).  (teikit also validates the files and checks the bag.)

teikit's worker processes come from a fork server, whose children are not children of
the measured process: the fork server is stopped (and so waited for) before the figures
are taken, so the workers' CPU is counted.  Each pair runs ``--rounds`` times (the
fastest round of each is kept, the same rule for both).
With ``--before SRC`` (the ``src`` folder of another checkout) that code's run is timed too,
in the same round as this one's (rounds interleave: before, this, floor), for a before/after.
Target (issue 11): each format <= 3x its floor, in wall time (what a user waits;
teikit may use every core, as may bagit.make_bag); the CPU ratio is printed beside it.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_query import document_files, measure, side_by_side  # noqa: E402

TARGET = 3.0  # issue 11: each export format <= 3x its floor

#: teikit's command line, then its fork server stopped so its workers' CPU is counted
TEIKIT = r"""
import multiprocessing.forkserver, runpy, sys
if __name__ == "__main__":  # not again in a worker, which imports this script as its main module
    sys.argv = ["teikit", *sys.argv[1:]]
    try:
        runpy.run_module("teikit", run_name="__main__")
    except SystemExit as exit:
        if exit.code:
            raise
    finally:
        multiprocessing.forkserver._forkserver._stop()  # waits for it: its reaped workers count as ours
"""

FLOORS = r"""
import sys
from pathlib import Path
from lxml import etree
what, folder, out = sys.argv[1:4]
parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
files = sorted(Path(folder).glob("*.xml"))
if what == "corpus":
    root = etree.Element("{http://www.tei-c.org/ns/1.0}teiCorpus")
    for path in files:
        root.append(etree.parse(str(path), parser).getroot())
    Path(out).write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
elif what == "bagit":
    import bagit, os
    shutil = __import__("shutil")
    shutil.copytree(folder, out)
    bagit.make_bag(out, checksums=["sha256", "sha512"], processes=os.cpu_count() or 1)
elif what == "text":  # the same output as teikit's: one file per input in a folder, on disk
    import ctypes, os
    Path(out).mkdir()
    for path in files:
        text = " ".join(etree.parse(str(path), parser).getroot().itertext())
        (Path(out) / (path.stem + ".txt")).write_text(text, encoding="utf-8")
    folder_fd = os.open(out, os.O_RDONLY)
    try:
        if ctypes.CDLL(None, use_errno=True).syncfs(folder_fd) != 0:
            os.sync()
    finally:
        os.close(folder_fd)
else:
    with open(out, "w", encoding="utf-8") as handle:
        for path in files:
            handle.write(" ".join(etree.parse(str(path), parser).getroot().itertext()))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=500, help="input files (default 500)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per command; the fastest is kept")
    parser.add_argument("--formats", default="corpus,html,json,text,bagit", help="comma-separated")
    parser.add_argument("--before", type=Path, help="the src folder of another checkout, timed beside this one")
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        folder = document_files(tmp / "in", args.files)
        size = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
        print(f"inputs: {args.files} files, {size:.1f} MB")
        floor_script, teikit_script = tmp / "floor.py", tmp / "teikit_cli.py"
        floor_script.write_text(FLOORS, encoding="utf-8")
        teikit_script.write_text(TEIKIT, encoding="utf-8")
        verdicts = []
        for fmt in args.formats.split(","):
            out, floor_out = tmp / f"out-{fmt}", tmp / f"floor-{fmt}"
            rounds: list[tuple[dict[str, float], dict[str, float], dict[str, float]]] = []
            command = ("runpy-file", teikit_script, "export", "--format", fmt, folder, "-o", out)
            for _ in range(args.rounds):
                before = measure(*command, src=args.before) if args.before else {}
                _remove(out)
                ours = measure(*command)
                floor = measure("runpy-file", floor_script, fmt, folder, floor_out)
                rounds.append((ours, floor, before))
                for leftover in (out, floor_out):
                    _remove(leftover)
            ours = min((r[0] for r in rounds), key=lambda m: m["wall"])
            floor = min((r[1] for r in rounds), key=lambda m: m["wall"])
            name = "bagit.make_bag" if fmt == "bagit" else "lxml parse + write"
            if args.before:
                side_by_side(f"export --format {fmt} (before: {args.before})",
                             min((r[2] for r in rounds), key=lambda m: m["wall"]), floor, name)
            side_by_side(f"export --format {fmt}", ours, floor, name)
            ratio = ours["wall"] / floor["wall"]
            verdicts.append(f"target export --format {fmt} <= {TARGET:g}x {name} (wall): "
                            f"{ratio:.1f}x {'met' if ratio <= TARGET else 'NOT met'}")
        print(*verdicts, sep="\n")
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def _remove(path: Path) -> None:
    shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
