"""Time and peak memory of teikit at 1x, 10x and 100x the input, to show they grow linearly.

    python benchmarks/bench_scaling.py [--base 2000] [--scales 1,10,100] [--src DIR]

Workloads (all generated, so any checkout can run them):

* ``validate-dup-ids``: one TEI file with BASE paragraphs that all carry the same
  xml:id, so BASE-1 problems, each with an element path (issue 8: 2k/4k/8k took
  4.5/10.5/52 s), checked against a schema that accepts anything inside <TEI>, so the
  figures are teikit's own (parse, integrity rules, paths, report); peer: ``xmllint
  --schema`` with the same schema;
* ``validate-dup-ids-xsd``: the same with BASE/10 paragraphs against the bundled
  teikit.xsd, where libxml2's XML Schema check reports each duplicate too; peer:
  ``xmllint --schema`` with the profile as XSD 1.0;
* ``convert-big-file``: one plain-text document of BASE/10 paragraphs, each with a page
  marker and a footnote marker glued to a comma, its number also standing in the text
  ("Paragraph N", "session N"), so the marker alignment meets thousands of candidates;
* ``convert-many-files``: BASE/20 small documents in a folder, converted with ``-j 1``
  to a folder (the output guard, the collision check and the writes included).

Every run is a fresh ``python -m teikit`` process; time is wall clock, memory is that
process's peak resident set (``wait4``).  ``--src`` runs another source tree (e.g. a
checkout of main) for a side-by-side.  Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
TEI_NS = "http://www.tei-c.org/ns/1.0"
HEADER = (f'<TEI xmlns="{TEI_NS}"><teiHeader><fileDesc><titleStmt><title>Scaling</title></titleStmt>'
          "<publicationStmt><p>bench</p></publicationStmt><sourceDesc><p>generated</p></sourceDesc>"
          '</fileDesc></teiHeader><text><body><div type="document" xml:id="d1" n="1"><head>1. Scaling</head>')


def measure(cmd: list[str], src: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one run of ``cmd``."""
    env = dict(os.environ, PYTHONPATH=str(src))
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, _, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def dup_ids(folder: Path, n: int) -> list[Path]:
    path = folder / f"dups{n}.xml"
    body = "".join(f'<p xml:id="same">paragraph {i}</p>\n' for i in range(n))
    path.write_text(HEADER + body + "</div></body></text></TEI>\n", encoding="utf-8")
    return [path]


def dup_ids_tenth(folder: Path, n: int) -> list[Path]:
    return dup_ids(folder, n // 10)


def any_tei_xsd(folder: Path) -> Path:
    """A schema accepting any content under <TEI> unchecked (libxml2's RELAX NG "any" pattern is
    itself superlinear in the number of siblings, so it would measure libxml2, not teikit)."""
    path = folder / "any.xsd"
    path.write_text(f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="{TEI_NS}" '
                    'elementFormDefault="qualified"><xs:element name="TEI"><xs:complexType><xs:sequence>'
                    '<xs:any processContents="skip" minOccurs="0" maxOccurs="unbounded"/></xs:sequence>'
                    '<xs:anyAttribute processContents="skip"/></xs:complexType></xs:element></xs:schema>')
    return path


def xsd10(folder: Path) -> Path:
    """The teikit profile without what XSD 1.0 tools refuse (as benchmarks/bench_validate.py does)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_validate import xsd10_projection
    return xsd10_projection(folder)


def big_text(folder: Path, n: int) -> list[Path]:
    n //= 10  # a paragraph costs the converter about ten times what a duplicate id costs validate
    path = folder / f"big{n}.txt"
    paragraphs = "".join(f"Paragraph {i} of the memorandum, about the talks and what "
                         f"followed,{i + 1} [Page {i + 1}] in session {i}.\n\n" for i in range(n))
    notes = "".join(f"  {i + 1}. Note {i + 1} on box {i}.\n" for i in range(n))
    path.write_text("1. Memorandum of Conversation\n\n" + paragraphs + notes, encoding="utf-8")
    return [path]


def many_files(folder: Path, n: int) -> list[Path]:
    n //= 20  # files, each a small document
    sub = folder / f"many{n}"
    sub.mkdir()
    for i in range(n):
        (sub / f"d{i}.txt").write_text(f"{i + 1}. Telegram {i}1\n\nText of telegram {i} [Page {i}] here.\n\n"
                                       f"  1. Source: File {i}.\n", encoding="utf-8")
    return [sub]


TEIKIT = [sys.executable, "-m", "teikit"]
Workload = tuple[str, Callable[[Path, int], list[Path]], Callable[[list[Path], Path], list[str]],
                 Callable[[list[Path]], list[str]] | None]
WORKLOADS: list[Workload] = [
    ("validate-dup-ids", dup_ids,
     lambda ins, out: [*TEIKIT, "validate", "-s", str(any_tei_xsd(out)), *map(str, ins), "-f", "json"],
     lambda ins: ["xmllint", "--noout", "--schema", str(any_tei_xsd(ins[0].parent)), *map(str, ins)]),
    ("validate-dup-ids-xsd", dup_ids_tenth, lambda ins, out: [*TEIKIT, "validate", *map(str, ins), "-f", "json"],
     lambda ins: ["xmllint", "--noout", "--schema", str(xsd10(ins[0].parent)), *map(str, ins)]),
    ("convert-big-file", big_text, lambda ins, out: [*TEIKIT, "convert", *map(str, ins), "-o", str(out / "o.xml"),
                                                     "--force"], None),
    ("convert-many-files", many_files, lambda ins, out: [*TEIKIT, "convert", *map(str, ins), "-o",
                                                         str(out / "o"), "-j", "1", "--force"], None),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", type=int, default=2000, help="problems / paragraphs at 1x")
    parser.add_argument("--scales", default="1,10,100")
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="teikit source tree to run")
    parser.add_argument("--only", help="run only this workload")
    args = parser.parse_args()
    scales = [int(s) for s in args.scales.split(",")]
    xmllint = shutil.which("xmllint")
    print(f"teikit from {args.src}; base {args.base}; wall seconds and peak RSS MB per run")
    print(f"{'workload':20} {'scale':>5} {'input MB':>9} {'teikit s':>9} {'s/1x':>7} "
          f"{'RSS MB':>8} {'peer s':>8} {'teikit/peer':>11}")
    for name, make, command, peer in WORKLOADS:
        if args.only and name != args.only:
            continue
        first = None
        for scale in scales:
            with tempfile.TemporaryDirectory() as tmp:
                folder = Path(tmp)
                inputs = make(folder, args.base * scale)
                size = sum(p.stat().st_size if p.is_file() else sum(f.stat().st_size for f in p.iterdir())
                           for p in inputs) / 1e6
                seconds, rss = measure(command(inputs, folder), args.src)
                first = first or seconds
                peer_s = measure(peer(inputs), args.src)[0] if peer and xmllint else None
                ratio = f"{seconds / peer_s:11.1f}" if peer_s else f"{'-':>11}"
                print(f"{name:20} {scale:>4}x {size:>9.2f} {seconds:>9.2f} {seconds / first:>7.1f} "
                      f"{rss:>8.0f} {peer_s if peer_s else float('nan'):>8.2f} {ratio}", flush=True)


if __name__ == "__main__":
    main()
