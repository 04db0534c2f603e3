"""Command-line start-up and parallel convert, end to end, side by side.

    python benchmarks/bench_cli.py [--runs N] [--files N]

1. ``teikit --help`` beside ``python -c pass`` (the floor for any Python CLI): median
   wall time of ``--runs`` runs each, interleaved; target (issue 12) ratio <= 2.
2. ``teikit convert -j 1`` beside ``-j 2`` on ``--files`` plain-text files (FRUS corpora of
   every era and the seeds, repeated): median of 3 runs each into a fresh folder, outputs
   made durable as the README states; target speed-up >= 1.7 (needs 2 idle cores: the
   figure is only as good as the machine's quiet).
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(sys.executable).parent / "teikit"  # the installed console script, as a user runs it
TEIKIT = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-c", "from teikit.cli import main; main()"]


# Children run as on an installed package, with Python's bytecode cache: without it (the
# variable is set in some sandboxes and CI images) every start compiles teikit's modules
# again, a cost `python -c pass` does not pay and no installed copy pays either.
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    return time.perf_counter() - start


def startup(runs: int) -> None:
    baseline, helps = [], []
    wall([*TEIKIT, "--help"])  # warm-up: writes the bytecode cache, as installing does
    for _ in range(runs):  # interleaved, so that load on the machine hits both alike
        baseline.append(wall([sys.executable, "-c", "pass"]))
        helps.append(wall([*TEIKIT, "--help"]))
    base, help_ = statistics.median(baseline), statistics.median(helps)
    print(f"python -c pass        {base * 1000:7.1f} ms (median of {runs})")
    print(f"teikit --help         {help_ * 1000:7.1f} ms")
    print(f"ratio                 {help_ / base:7.2f}x  (target <= 2)")


def make_inputs(folder: Path, count: int) -> None:
    sources = sorted((ROOT.parent / "shared" / "corpus").glob("frus-dev*/*.txt"))
    sources += sorted((ROOT / "seeds").glob("*.txt"))
    for i in range(count):
        shutil.copy(sources[i % len(sources)], folder / f"{i:05d}.txt")


def convert(runs: int, count: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-cli-", dir=ROOT.parent) as scratch:
        inputs = Path(scratch) / "in"
        inputs.mkdir()
        make_inputs(inputs, count)
        times: dict[int, list[float]] = {1: [], 2: []}
        for run in range(runs):
            for jobs in (1, 2):
                out = Path(scratch) / f"out-{jobs}-{run}"
                times[jobs].append(wall([*TEIKIT, "convert", str(inputs), "-o", str(out), "-j", str(jobs),
                                         "-q"]))
                shutil.rmtree(out)
        one, two = statistics.median(times[1]), statistics.median(times[2])
        print(f"convert -j 1, {count} files  {one:6.2f} s  ({count / one:6.0f} files/s)")
        print(f"convert -j 2, {count} files  {two:6.2f} s  ({count / two:6.0f} files/s)")
        print(f"speed-up                  {one / two:6.2f}x  (target >= 1.7; {os.cpu_count()} cores here, "
              f"load average {os.getloadavg()[0]:.1f} at the end)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10, help="start-up runs of each command")
    parser.add_argument("--files", type=int, default=2000, help="files converted")
    args = parser.parse_args()
    startup(args.runs)
    convert(3, args.files)


if __name__ == "__main__":
    main()
