"""Converter throughput: documents per second on one core, and a parallel batch.

    python benchmarks/bench_convert.py [--rounds N] [--passes P] [--src OTHER_CHECKOUT/src]

Uses the FRUS corpora of every era (../shared/corpus/frus-dev*) and the seeds.
Target (issue 9): at least 1,000 FRUS documents/s in-process on one core.  Beside
the converter it times lxml parsing the converter's own output (the floor for
any tool that reads the same documents), in the same run, as a ratio.  Rates
are given by wall clock and by the process's CPU time (the CPU figure is the
one-core rate when other processes share the machine).  Both sides get the same
treatment: one untimed warm-up round, then rounds of ``--passes`` passes over the
corpus each (enough work per round that timer resolution and one garbage
collection do not decide it), converter and parser rounds interleaved so a change
in the machine's load hits both alike.  A last figure takes each document's fastest of
``--repeats`` runs, for both sides: other load only slows a run down, so on a shared
machine it is the closest to a quiet core.
"""
from __future__ import annotations

import argparse
import importlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
TARGET = 1_000      # FRUS documents/s, in process, one core (issue 9)


def texts() -> list[str]:
    paths = sorted((ROOT.parent / "shared" / "corpus").glob("frus-dev*/*.txt"))
    paths += sorted((ROOT / "seeds").glob("*.txt"))
    return [p.read_text("utf-8") for p in paths]


Rates = tuple[list[float], list[float]]     # per round: items/s by wall clock, by CPU time


def one_round(work, items: list, passes: int, rates: Rates) -> None:
    """Time ``passes`` passes of ``work`` over ``items``; append the rates to ``rates``."""
    start, start_cpu = time.perf_counter(), time.process_time()
    for _ in range(passes):
        for item in items:
            work(item)
    done = passes * len(items)
    rates[0].append(done / (time.perf_counter() - start))
    rates[1].append(done / (time.process_time() - start_cpu))


def side_by_side(jobs: list[tuple[object, list]], rounds: int, passes: int) -> list[Rates]:
    """Rates of each (work, items) job: a warm-up round each (not kept), then ``rounds``
    rounds in which the jobs take turns."""
    results: list[Rates] = [([], []) for _ in jobs]
    for _ in range(rounds + 1):
        for (work, items), rates in zip(jobs, results):
            one_round(work, items, passes, rates)
    return [(wall[1:], cpu[1:]) for wall, cpu in results]       # the warm-up round dropped


def best_per_item(work, items: list, repeats: int) -> float:
    """Items per second from each item's fastest of ``repeats`` runs: what one core does when
    nothing else runs (other load only ever slows a run down, so the minimum sheds it)."""
    total = 0.0
    for item in items:
        fastest = float("inf")
        for _ in range(repeats):
            start = time.perf_counter()
            work(item)
            fastest = min(fastest, time.perf_counter() - start)
        total += fastest
    return len(items) / total


def show(label: str, wall: list[float], cpu: list[float]) -> None:
    print(f"{label}: median {statistics.median(wall):,.0f} documents/s wall clock, "
          f"{statistics.median(cpu):,.0f} by CPU time (best {max(cpu):,.0f})")


def batch(docs: list[str], copies: int, teikit_src: Path) -> tuple[int, float]:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp, "in")
        src.mkdir()
        n = 0
        for c in range(copies):
            for i, text in enumerate(docs):
                (src / f"c{c:03d}_{i:03d}.txt").write_text(text, "utf-8")
                n += 1
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "teikit", "convert", str(src), "-o",
                        str(Path(tmp, "out")), "-q"], check=True, capture_output=True,
                       env=dict(os.environ, PYTHONPATH=str(teikit_src)))
        return n, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--passes", type=int, default=5, help="passes over the corpus per round")
    parser.add_argument("--repeats", type=int, default=15, help="runs per document for the fastest-run figure")
    parser.add_argument("--copies", type=int, default=50, help="copies of the corpus in the batch (0: no batch)")
    parser.add_argument("--src", type=Path, default=ROOT / "src",
                        help="teikit source tree to time (e.g. a checkout of main, for a side-by-side)")
    args = parser.parse_args()
    sys.path.insert(0, str(args.src))
    teikit = importlib.import_module("teikit")
    print(f"teikit from {Path(teikit.__file__).parent}")
    docs = texts()
    chars = sum(len(t) for t in docs)
    print(f"corpus: {len(docs)} documents, {chars / len(docs):,.0f} characters on average; "
          f"{args.rounds} rounds of {args.passes} passes (after one warm-up round), one core, "
          "in process")
    outputs = [teikit.convert(t).to_bytes() for t in docs]
    (convert_wall, convert_cpu), (parse_wall, parse_cpu) = side_by_side(
        [(lambda t: teikit.convert(t).to_bytes(), docs), (etree.fromstring, outputs)],
        args.rounds, args.passes)
    show("teikit convert", convert_wall, convert_cpu)
    show("lxml parse of the same documents' TEI", parse_wall, parse_cpu)
    print(f"ratio: converting costs {statistics.median(parse_cpu) / statistics.median(convert_cpu):.1f}x "
          "parsing the result (CPU time)")
    best_convert = best_per_item(lambda t: teikit.convert(t).to_bytes(), docs, args.repeats)
    best_parse = best_per_item(etree.fromstring, outputs, args.repeats)
    print(f"each document's fastest of {args.repeats} runs (robust to other load): convert "
          f"{best_convert:,.0f} documents/s, lxml parse {best_parse:,.0f}, ratio "
          f"{best_parse / best_convert:.1f}x")
    rate = statistics.median(convert_cpu)
    print(f"target >= {TARGET:,} documents/s (median by CPU time): "
          f"{'met' if rate >= TARGET else 'NOT met'} ({rate:,.0f}; load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())})")
    if args.copies < 1:
        return
    n, seconds = batch(docs, args.copies, args.src)
    print(f"CLI batch ({os.cpu_count()} cores): {n} files in {seconds:.2f} s "
          f"= {n / seconds:,.0f} documents/s end to end (process start-up included)")


if __name__ == "__main__":
    main()
