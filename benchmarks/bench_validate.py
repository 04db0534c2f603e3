"""Benchmark `teikit validate` against xmllint and jing on the same files and schema.

    python benchmarks/bench_validate.py [--copies 25] [--tei-all]

Corpus: the FRUS dev corpus (../shared/corpus/frus-dev/*.xml) plus tei/*.xml, copied
``--copies`` times into a temporary folder (25 copies: 550 files).  Schema: the teikit
profile as XSD 1.0 (its xs:asserts removed, which xmllint and jing cannot read) so that
all three tools check the same grammar; teikit's own run also evaluates the asserts.
``--tei-all`` adds the official tei_all.rng, jing vs teikit, end to end.

Targets (issue 3): per-document validation within 1.2x of xmllint; 500+ files end to
end within 2x of jing.  Prints figures; asserts nothing.
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from lxml import etree  # noqa: E402

from teikit.validation.runner import check_one  # noqa: E402
from teikit.validation.schemas import XmlschemaValidator, bundled_schema_path, load_validator  # noqa: E402
from teikit.xmlio import safe_parser  # noqa: E402

SHARED = ROOT.parent / "shared"
XS = "http://www.w3.org/2001/XMLSchema"
TEIKIT = [sys.executable, "-m", "teikit"]


def wall(cmd: list[str], repeat: int = 3) -> float:
    """Best wall time of ``repeat`` runs of a command (output discarded)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        best = min(best, time.perf_counter() - start)
    return best


def best_of(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def xsd10_projection(folder: Path) -> Path:
    """The teikit profile without what XSD 1.0 tools refuse (xs:assert, xpathDefaultNamespace)."""
    tree = etree.parse(str(bundled_schema_path()), safe_parser())
    for elem in list(tree.getroot().iter(f"{{{XS}}}assert")):
        elem.getparent().remove(elem)
    tree.getroot().attrib.pop("xpathDefaultNamespace", None)
    target = folder / "teikit10.xsd"
    tree.write(str(target), xml_declaration=True, encoding="UTF-8")
    shutil.copy(bundled_schema_path().parent / "xml.xsd", folder / "xml.xsd")
    return target


def build_corpus(folder: Path, copies: int) -> list[Path]:
    sources = sorted((SHARED / "corpus" / "frus-dev").glob("*.xml")) + sorted((ROOT / "tei").glob("*.xml"))
    files = []
    for i in range(copies):
        sub = folder / "corpus" / f"copy{i:03d}"
        sub.mkdir(parents=True)
        for src in sources:
            shutil.copy(src, sub / src.name)
            files.append(sub / src.name)
    return files


def row(label: str, seconds: float, n: int, base: float | None = None) -> None:
    ratio = f"{seconds / base:5.2f}x" if base else "     "
    print(f"  {label:<58} {seconds * 1000:9.1f} ms  {seconds / n * 1000:7.3f} ms/file  {ratio}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=25)
    parser.add_argument("--tei-all", action="store_true", help="also compare on tei_all.rng (slow to compile)")
    args = parser.parse_args()
    have_jing, have_xmllint = shutil.which("jing"), shutil.which("xmllint")

    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        os.environ["TEIKIT_CACHE_DIR"] = str(tmpdir / "cache")
        schema = xsd10_projection(tmpdir)
        files = build_corpus(tmpdir, args.copies)
        n = len(files)
        names = [str(f) for f in files]
        print(f"{n} files, {sum(f.stat().st_size for f in files) / 1e6:.1f} MB; cores: {os.cpu_count()}")
        print(f"schema: teikit profile as XSD 1.0 ({schema.name}); teikit also runs the XSD 1.1 asserts\n")

        print("Per document, one process, serial (schema compiled once, not counted):")
        base = None
        if have_xmllint:
            one = wall(["xmllint", "--noout", "--schema", str(schema), names[0]])
            total = wall(["xmllint", "--noout", "--schema", str(schema), *names])
            base = total - one
            row("xmllint --schema (total minus a 1-file run)", base, n - 1)
            base = base / (n - 1) * n
        structure = load_validator(schema)
        profile = load_validator(bundled_schema_path())
        row("teikit: parse + XSD structure (lxml)", best_of(lambda: [check_one(f, [structure], False) for f in names]), n, base)
        row("teikit: + XSD 1.1 asserts (elementpath)", best_of(lambda: [check_one(f, [profile], False) for f in names]), n, base)
        row("teikit: + integrity rules (= teikit validate default)",
            best_of(lambda: [check_one(f, [profile], True) for f in names]), n, base)
        full = XmlschemaValidator(bundled_schema_path(), "teikit.xsd")
        sample = names[:42]
        t = best_of(lambda: [full.check(etree.parse(f, safe_parser()), f) for f in sample], 1)
        row("for reference: xmlschema XSD 1.1, whole schema (42 files)", t, len(sample), base and base / n * len(sample))

        print(f"\nEnd to end, {n} files, new process each (startup and schema compile included):")
        folder = str(tmpdir / "corpus")
        jing_time = None
        if have_jing:
            jing_time = wall(["jing", str(schema), *names])
            row("jing (XSD via Xerces)", jing_time, n)
        if have_xmllint:
            row("xmllint --schema", wall(["xmllint", "--noout", "--schema", str(schema), *names]), n, jing_time)
        row("teikit validate --schema teikit10.xsd --no-integrity",
            wall([*TEIKIT, "validate", "--schema", str(schema), "--no-integrity", folder]), n, jing_time)
        row("teikit validate (profile + asserts + integrity, refs off)",
            wall([*TEIKIT, "validate", "--refs", "off", folder]), n, jing_time)
        row("teikit validate ... -j 1 (serial)", wall([*TEIKIT, "validate", "--refs", "off", "-j", "1", folder]), n,
            jing_time)

        if args.tei_all:
            rng = SHARED / "tei-schemas" / "tei_all.rng"
            tei_files = [str(f) for f in files if "frus-dev" not in str(f) and f.name[0].isdigit()]
            print(f"\ntei_all.rng, end to end, {len(tei_files)} TEI files (teikit output, copies):")
            jing_rng = wall(["jing", str(rng), *tei_files], 1) if have_jing else None
            if jing_rng:
                row("jing tei_all.rng", jing_rng, len(tei_files))
            row("teikit validate --schema tei_all.rng --no-integrity",
                wall([*TEIKIT, "validate", "--schema", str(rng), "--no-integrity", *tei_files], 1),
                len(tei_files), jing_rng)
        print("\nratios: per document vs xmllint, end to end vs jing (lower is better); best of 3 runs")


if __name__ == "__main__":
    main()
