"""Converter throughput: documents per second on one core, and a parallel batch.

    python benchmarks/bench_convert.py [--rounds N]

Uses the FRUS development corpus (../shared/corpus/frus-dev) and the seeds.
Target (issue 2): at least 300 documents/s per core.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import teikit  # noqa: E402


def texts() -> list[str]:
    paths = sorted((ROOT.parent / "shared" / "corpus" / "frus-dev").glob("*.txt"))
    paths += sorted((ROOT / "seeds").glob("*.txt"))
    return [p.read_text("utf-8") for p in paths]


def single_core(docs: list[str], rounds: int) -> list[float]:
    rates = []
    for _ in range(rounds):
        start = time.perf_counter()
        for text in docs:
            teikit.convert(text).to_bytes()
        rates.append(len(docs) / (time.perf_counter() - start))
    return rates


def batch(docs: list[str], copies: int) -> tuple[int, float]:
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
                        str(Path(tmp, "out")), "-q"], check=True, capture_output=True)
        return n, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--copies", type=int, default=50, help="copies of the corpus in the batch")
    args = parser.parse_args()
    docs = texts()
    chars = sum(len(t) for t in docs)
    teikit.convert(docs[0])                                  # warm up imports
    rates = single_core(docs, args.rounds)
    print(f"corpus: {len(docs)} documents, {chars / len(docs):,.0f} characters on average")
    print(f"single core: median {statistics.median(rates):,.0f} documents/s "
          f"(min {min(rates):,.0f}, max {max(rates):,.0f}) over {args.rounds} rounds")
    n, seconds = batch(docs, args.copies)
    print(f"CLI batch ({os.cpu_count()} cores): {n} files in {seconds:.2f} s "
          f"= {n / seconds:,.0f} documents/s end to end (process start-up included)")


if __name__ == "__main__":
    main()
