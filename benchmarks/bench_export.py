"""Each export format side by side with its floor, on the same files, in one run.

    python benchmarks/bench_export.py [--files 500]

Inputs: ``--files`` document files (the development corpus, ../shared/corpus/frus-dev,
copied over and over).  Each command runs in a fresh process (CPU = user + system of
it and its workers; peak = the largest resident set of any one of them):

* ``teikit export --format corpus``  vs  lxml: parse every file, one ``teiCorpus``, serialise;
* ``--format html|json|text``        vs  lxml: parse every file, take its text, write it;
* ``--format bagit``                 vs  ``bagit.make_bag`` on a copy of the same files
  (sha256 + sha512, all cores).  (teikit also validates the files and checks the bag.)
Target (issue 11): each format <= 3x its floor.
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
else:
    with open(out, "w", encoding="utf-8") as handle:
        for path in files:
            handle.write(" ".join(etree.parse(str(path), parser).getroot().itertext()))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=500, help="input files (default 500)")
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        folder = document_files(tmp / "in", args.files)
        size = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
        print(f"inputs: {args.files} files, {size:.1f} MB")
        floor_script = tmp / "floor.py"
        floor_script.write_text(FLOORS, encoding="utf-8")
        sys.path.insert(0, str(tmp))
        for fmt in ("corpus", "html", "json", "text", "bagit"):
            out = tmp / f"out-{fmt}"
            ours = measure("teikit", "export", "--format", fmt, folder, "-o", out)
            floor_out = tmp / f"floor-{fmt}"
            floor = measure("runpy-file", floor_script, fmt, folder, floor_out)
            name = "bagit.make_bag" if fmt == "bagit" else "lxml parse + write"
            side_by_side(f"export --format {fmt}", ours, floor, name)
            for leftover in (out, floor_out):
                shutil.rmtree(leftover, ignore_errors=True) if leftover.is_dir() else leftover.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
