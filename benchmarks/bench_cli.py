"""Command-line start-up and parallel convert, end to end, side by side.

    python benchmarks/bench_cli.py [--runs N] [--files N]

1. ``teikit --help`` beside ``python -c pass`` (the floor for any Python CLI): median
   wall time of ``--runs`` runs each, interleaved; target (issue 12) ratio <= 2.
2. ``teikit convert -j 1`` beside ``-j 2`` on ``--files`` plain-text files (FRUS corpora of
   every era and the seeds, repeated): median of ``--convert-runs`` runs each into a fresh
   folder (none deleted before the last run: see :func:`convert`), interleaved, after one
   warm-up round, outputs made durable as the README states;
   wall time and CPU time of the process tree; target speed-up >= 1.7 (needs 2 idle cores:
   the figure is only as good as the machine's quiet).  ``--before SRC`` adds the same rows
   for the teikit in another ``src`` folder (``git archive main src | tar -x -C /tmp/main``).
"""
from __future__ import annotations

import argparse
import os
import resource
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
TARGET_SPEEDUP = 1.7  # issue 12: -j 2 at least this much faster than -j 1 on 2 cores


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


PROBE_FILES = 200  # empty files created to see what creating a file costs here, before the timings


def file_creation_us(folder: Path) -> float:
    """Microseconds to create one empty file in ``folder`` (kept: deleting them would slow the
    next creations).  ~20 on a quiet file system; ext4 without a journal scans past every inode
    freed in the last minutes (~1,000 after a few thousand deletions): then the convert figures
    measure that scan, serialised across the workers, more than teikit."""
    folder.mkdir()
    start = time.perf_counter()
    for i in range(PROBE_FILES):
        os.close(os.open(folder / f"p{i}", os.O_WRONLY | os.O_CREAT | os.O_EXCL))
    return (time.perf_counter() - start) / PROBE_FILES * 1e6


def timed(command: list[str], env: dict[str, str] | None) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the whole process tree: the teikit parent and its workers)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={**os.environ, **(env or {})})
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def convert(runs: int, count: int, before_src: str | None) -> None:
    """-j 1 and -j 2 (and the same for the ``--before`` teikit), interleaved round by round so
    that the machine's load hits every variant alike; one warm-up round is not counted."""
    variants = {"": None}
    if before_src:
        variants["before: "] = {"PYTHONPATH": str(Path(before_src).resolve())}  # its bytecode cached in warm-up
    load_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-cli-", dir=ROOT.parent) as scratch:
        inputs = Path(scratch) / "in"
        inputs.mkdir()
        make_inputs(inputs, count)
        creation = file_creation_us(Path(scratch) / "probe")
        figures: dict[tuple[str, int], list[tuple[float, float]]] = {}
        for run in range(runs + 1):
            for name, env in variants.items():
                for jobs in (1, 2):
                    # a fresh folder each run, all deleted after the last timing: on ext4 without a
                    # journal (this machine's disk) a file created within minutes of many deletions
                    # costs ~1 ms of kernel time, its inode found by scanning every recently freed
                    # one, and these scans serialise the workers; deleting the previous output
                    # here made every timed run pay for the one before it
                    out = Path(scratch) / f"out-{run}-{name.strip(': ')}-{jobs}"
                    measured = timed([*TEIKIT, "convert", str(inputs), "-o", str(out), "-j", str(jobs), "-q"], env)
                    # the run's writes flushed now, untimed: else the next run's disk flush
                    # (teikit's syncfs) writes them out and each run pays for the one before it
                    os.sync()
                    if run:  # round 0 warms the page cache and the byte-code caches
                        figures.setdefault((name, jobs), []).append(measured)
    for name in variants:
        wall = {jobs: statistics.median(w for w, _ in figures[name, jobs]) for jobs in (1, 2)}
        for jobs in (1, 2):
            cpu = statistics.median(c for _, c in figures[name, jobs])
            print(f"{name}convert -j {jobs}, {count} files  {wall[jobs]:6.2f} s  ({count / wall[jobs]:5.0f} files/s, "
                  f"CPU {cpu:5.2f} s)")
        speedup = wall[1] / wall[2]
        verdict = "met" if speedup >= TARGET_SPEEDUP else "not met"
        print(f"{name}speed-up -j 2 / -j 1      {speedup:6.2f}x  target >= {TARGET_SPEEDUP}: {verdict}")
    print(f"median of {runs} runs each after a warm-up round; {os.cpu_count()} cores here; load average "
          f"{load_start:.1f} at the start, {os.getloadavg()[0]:.1f} at the end (the speed-up needs 2 idle cores)")
    print(f"creating a file here took {creation:.0f} us before the timings (quiet file system ~20 us; "
          "~1,000 us minutes after mass deletions, e.g. the previous run's cleanup: then wait ~6 min)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10, help="start-up runs of each command")
    parser.add_argument("--files", type=int, default=2000, help="files converted")
    parser.add_argument("--convert-runs", type=int, default=3, help="timed convert runs of each variant")
    parser.add_argument("--before", metavar="SRC",
                        help="also time the convert of the teikit in this src folder (e.g. git archive main)")
    args = parser.parse_args()
    startup(args.runs)
    convert(args.convert_runs, args.files, args.before)


if __name__ == "__main__":
    main()
