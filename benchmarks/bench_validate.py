"""Benchmark `teikit validate` side by side with jing and xmllint, in one run, ratios printed.

    python benchmarks/bench_validate.py            # 1, 50 and 5,000 files
    python benchmarks/bench_validate.py --quick    # 1, 50 and 500 files
    python benchmarks/bench_validate.py --before /tmp/main/src   # adds rows for another teikit

``--before SRC`` runs a second teikit (its ``src`` folder, e.g. ``git archive main | tar -x -C
/tmp/main``) in the same run, for before/after figures side by side.

Peers: jing and xmllint on PATH (Debian/Ubuntu: ``apt-get install jing libxml2-utils``);
when one is missing the benchmark says so and prints teikit's figures alone.

Corpora, built in a temporary folder from ../shared:

* FRUS TEI: ``teikit convert`` of the FRUS dev corpora's plain-text documents (55 TEI
  files, valid against tei_all), copied to 1, 50 and N files;
* FRUS per-document files: the Office of the Historian's own ``<div type="document">``
  files (../shared/corpus/frus-dev*/*.xml), copied to N files.

teikit's modules are byte-compiled first, as installing a package does (with
PYTHONDONTWRITEBYTECODE set, every run would compile them from source again).

Runs, each a new process (startup and schema compilation included), wall and CPU time; the
tools compared are run in turns (round robin), so a change of the machine's load touches
them alike, and the best round of each is kept:

1. ``teikit validate --tei-all`` against ``jing tei_all.rng`` on 1, 50 and N FRUS TEI files;
   teikit with an empty cache (first run) and with its cache filled (later runs).
2. ``teikit validate`` (the FRUS profile: teikit.xsd with its asserts, integrity and FRUS
   rules; its cache filled) against ``xmllint --schema`` and ``jing`` on the profile's
   XSD 1.0 part (the asserts removed: neither tool reads XSD 1.1), on N per-document files.

Targets (issue 10): (1) <= 0.5x jing's wall at 1 and 50 files, <= 1.0x at 5,000;
(2) <= 3x xmllint's wall and below jing's.  Prints figures and a "target met" / "target NOT
met" line for each; asserts nothing.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
TEI_ALL = SHARED / "tei-schemas" / "tei_all.rng"
XS = "http://www.w3.org/2001/XMLSchema"
TEIKIT = [sys.executable, "-m", "teikit", "validate", "--no-config"]
#: rounds of a measurement (the best is kept): the machine is shared, the minimum is the
#: least disturbed run; fewer for the large corpora, where one round takes many seconds
REPEAT = 3
REPEAT_LARGE = 2
#: issue 10's targets: teikit's wall time / the peer's, at most
TEI_ALL_TARGET_SMALL = 0.5   # 1 and 50 files
TEI_ALL_TARGET_LARGE = 1.0   # the large corpus
PROFILE_TARGET_XMLLINT = 3.0
PROFILE_TARGET_JING = 1.0


def before_env(src: str | None, cache: Path) -> dict[str, str] | None:
    """The environment that runs the ``--before`` teikit, with its own cache."""
    if src is None:
        return None
    return {"PYTHONPATH": str(Path(src).resolve()), "PYTHONDONTWRITEBYTECODE": "1",
            "TEIKIT_CACHE_DIR": str(cache.with_name("cache-before"))}


Figures = tuple[float, float]  # (wall seconds, CPU seconds)
Run = tuple[list[str], dict[str, str] | None]  # a command and its extra environment


def run_once(cmd: list[str], env: dict[str, str] | None = None) -> Figures:
    """(wall seconds, CPU seconds) of one run of a command, output discarded."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
                   env={**os.environ, **(env or {})})
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure_turns(runs: list[Run | None], repeat: int) -> list[Figures | None]:
    """The best (wall, CPU) of each run over ``repeat`` rounds, the runs taking turns in
    each round (None: a tool not installed, not run)."""
    best: list[Figures | None] = [None if r is None else (float("inf"), 0.0) for r in runs]
    for _ in range(repeat):
        for i, r in enumerate(runs):
            if r is not None:
                best[i] = min(best[i], run_once(*r))  # type: ignore[type-var]
    return best


def measure(cmd: list[str], repeat: int = REPEAT, env: dict[str, str] | None = None) -> Figures:
    """The best (wall, CPU) of a command over ``repeat`` runs."""
    return measure_turns([(cmd, env)], repeat)[0]  # type: ignore[return-value]


def verdict(label: str, ours: Figures | None, peer: Figures | None, target: float) -> None:
    """A "target met" / "target NOT met" line: teikit's wall / the peer's against ``target``."""
    if ours is None or peer is None:
        print(f"  target {label}: not measured (peer not installed)")
        return
    ratio = ours[0] / peer[0]
    met = "met" if ratio <= target else "NOT met"
    print(f"  target {label} <= {target}x wall: {ratio:.2f}x -> target {met}")


def row(label: str, figures: tuple[float, float] | None, base: tuple[float, float] | None = None) -> None:
    if figures is None:
        print(f"  {label:<52} (not installed)")
        return
    wall, cpu = figures
    ratio = f"{wall / base[0]:6.2f}x wall, {cpu / base[1]:5.2f}x CPU" if base else ""
    print(f"  {label:<52} {wall:7.2f} s wall {cpu:7.2f} s CPU  {ratio}")


def copies(sources: list[Path], folder: Path, n: int) -> list[str]:
    """``n`` files in ``folder``: the sources over and over (same bytes, distinct names)."""
    folder.mkdir(parents=True)
    files = []
    for i in range(n):
        source = sources[i % len(sources)]
        target = folder / f"{i:05d}_{source.name}"
        shutil.copy(source, target)
        files.append(str(target))
    return files


def frus_tei(tmp: Path) -> list[Path]:
    """The converter's TEI for every plain-text FRUS dev document."""
    out = tmp / "converted"
    for corpus in sorted((SHARED / "corpus").glob("frus-dev*")):
        subprocess.run([sys.executable, "-m", "teikit", "convert", str(corpus), "-o", str(out / corpus.name)],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return sorted(out.rglob("*.xml"))


def byte_compile(package: Path) -> None:
    """Byte-compile a teikit's modules into their __pycache__ folders (what pip does on install)."""
    import compileall

    compileall.compile_dir(str(package), quiet=1)


def xsd10_part(folder: Path) -> Path:
    """The profile's schema without what XSD 1.0 tools refuse (xs:assert, xpathDefaultNamespace)."""
    from lxml import etree

    sys.path.insert(0, str(ROOT / "src"))
    from teikit.validation.schemas import bundled_schema_path

    tree = etree.parse(str(bundled_schema_path()))
    for elem in list(tree.getroot().iter(f"{{{XS}}}assert")):
        elem.getparent().remove(elem)
    tree.getroot().attrib.pop("xpathDefaultNamespace", None)
    target = folder / "teikit10.xsd"
    tree.write(str(target), xml_declaration=True, encoding="UTF-8")
    shutil.copy(bundled_schema_path().parent / "xml.xsd", folder / "xml.xsd")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="500 files instead of 5,000")
    parser.add_argument("--before", metavar="SRC", help="also time the teikit in this src folder")
    args = parser.parse_args()
    big = 500 if args.quick else 5000
    jing, xmllint = shutil.which("jing"), shutil.which("xmllint")
    for name, found in (("jing", jing), ("xmllint", xmllint)):
        if not found:
            print(f"note: {name} is not installed (apt-get install jing libxml2-utils): its rows are skipped")
    print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.1f}; best of {REPEAT} rounds ({REPEAT_LARGE} for the large corpora)\n")

    byte_compile(ROOT / "src" / "teikit")
    if args.before:
        byte_compile(Path(args.before) / "teikit")
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        cache = tmp / "cache"
        tei = frus_tei(tmp)
        before = before_env(args.before, cache)
        print(f"1. tei_all.rng: jing vs teikit validate --tei-all ({len(tei)} distinct FRUS TEI files)")
        for n in (1, 50, big):
            files = copies(tei, tmp / f"tei{n}", n)
            ours_cmd = [*TEIKIT, "--tei-all", str(TEI_ALL), *files]
            env = {"TEIKIT_CACHE_DIR": str(cache)}
            print(f" {n} file{'s' * (n > 1)}:")
            shutil.rmtree(cache, ignore_errors=True)
            cold = measure(ours_cmd, 1, env)  # fills the cache
            if before:
                measure(ours_cmd, 1, before)  # fills its cache
            peer, ours, theirs = measure_turns(
                [([jing, str(TEI_ALL), *files], None) if jing else None, (ours_cmd, env),
                 (ours_cmd, before) if before else None], REPEAT_LARGE if n == big else REPEAT)
            row("jing tei_all.rng", peer)
            row("teikit --tei-all, empty cache", cold, peer)
            row("teikit --tei-all, cache filled", ours, peer)
            if theirs:
                row("before: teikit --tei-all, cache filled", theirs, peer)
            verdict(f"tei_all at {n} file{'s' * (n > 1)}", ours, peer,
                    TEI_ALL_TARGET_LARGE if n == big else TEI_ALL_TARGET_SMALL)

        sources = sorted(p for p in (SHARED / "corpus").glob("frus-dev*/*.xml"))
        files = copies(sources, tmp / "profile", big)
        schema = xsd10_part(tmp)
        print(f"\n2. FRUS profile, {big} per-document files ({len(sources)} distinct):")
        env = {"TEIKIT_CACHE_DIR": str(cache)}
        measure([*TEIKIT, files[0]], 1, env)  # the profile's assertion plan, cached once per schema
        if before:
            measure([*TEIKIT, files[0]], 1, before)
        ours_cmd = [*TEIKIT, "--refs", "off", *files]
        # the default run also resolves every reference across the 5,000 files and prints a
        # warning for each one that points outside them (the copies cite documents not copied)
        default_cmd = [*TEIKIT, *files]
        base, peer, ours, default, theirs = measure_turns(
            [([xmllint, "--noout", "--schema", str(schema), *files], None) if xmllint else None,
             ([jing, str(schema), *files], None) if jing else None, (ours_cmd, env), (default_cmd, env),
             (ours_cmd, before) if before else None], REPEAT_LARGE)
        row("xmllint --schema teikit10.xsd (structure only)", base)
        row("jing teikit10.xsd (structure only)", peer, base)
        row("teikit validate --refs off (structure, asserts, rules)", ours, base)
        row("teikit validate (the same + references, warnings)", default, base)
        if peer:
            row("  the same, against jing", ours, peer)
        if theirs:
            row("before: teikit validate --refs off", theirs, base)
        verdict(f"profile at {big} files vs xmllint", ours, base, PROFILE_TARGET_XMLLINT)
        verdict(f"profile at {big} files vs jing", ours, peer, PROFILE_TARGET_JING)
        verdict(f"profile with references at {big} files vs xmllint", default, base, PROFILE_TARGET_XMLLINT)
    print(f"\nratios: teikit / peer (lower is better); load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
