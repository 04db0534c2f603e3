"""A FRUS-shaped corpus through the whole pipeline on one machine, and the Dask path beside the local pool.

    python benchmarks/bench_corpus.py [--documents 50000] [--small N] [--dask-files 5000] [--rounds 1]
        [--dask-stages convert,validate,index,export json] [--jobs N]

The corpus is built in a temporary folder: copies of the dev corpus's plain-text files
(../shared/corpus/frus-dev) under new names, 500 per volume folder
(``frus1955-57v007/frus1955-57v007_d3.txt``).  Stages, each a fresh ``teikit`` process
with ``-j`` = all cores: convert (txt -> TEI), validate (profile auto), index, search
(one indexed query), export json.  For each stage: wall time, documents/s, peak memory
(the sum of the resident sets of the process and its workers, sampled every 50 ms, and
the largest single process from ``wait4``) and the disk it wrote; then the projection
to 300,000 documents (time scaled linearly; memory as measured, flat).  The pipeline
runs at two sizes (``--small``, default a quarter) to show memory does not grow with
the number of documents.

Then the Dask path: a ``distributed.LocalCluster`` of 2 single-threaded worker processes
on loopback runs convert, validate, index and export json of ``--dask-files`` documents
with ``--scheduler``, beside the local pool with ``-j 2`` on the same files: the ratio is
the Dask overhead, in wall time and in CPU time (which other jobs on the machine disturb less;
what is counted: see :func:`dask_beside_local`); the first Dask run of each stage, on workers
just started (they import teikit and compile schemas), is shown apart.  ``--documents 0``
runs the Dask comparison alone.  Prints figures and whether the targets (memory flat from the
small size to the large one; Dask at most 1.2x) are met; asserts nothing.
"""
from __future__ import annotations

import argparse
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "corpus" / "frus-dev"
PER_VOLUME = 500              # documents per volume folder: a FRUS volume holds a few hundred
FRUS_DOCUMENTS = 300_000      # the whole of FRUS, for the projection
SAMPLE_SECONDS = 0.05         # how often the memory of a stage's process tree is read
QUERY = '"Prime Minister"'
MEMORY_GROWTH = 1.25          # issue 14: memory flat in the number of documents (the sampling's noise allowed)
DASK_TARGET = 1.2             # issue 14: the Dask path at most this many times the local pool's time
DASK_STAGES = ("convert", "validate", "index", "export json")


def build_corpus(folder: Path, n: int, kind: str = "txt") -> Path:
    """``n`` documents: the dev files of ``kind`` (txt, or xml: their TEI) copied round-robin
    under FRUS-shaped names, in ``folder/kind``."""
    sources = sorted(DEV.glob(f"*.{kind}"))
    texts = [s.read_bytes() for s in sources]
    root = folder / kind
    for i in range(n):
        volume = f"frus1955-57v{i // PER_VOLUME:03d}"
        (root / volume).mkdir(parents=True, exist_ok=True)
        (root / volume / f"{volume}_d{i % PER_VOLUME + 1}.{kind}").write_bytes(texts[i % len(texts)])
    return root


def _tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
        rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += rss.get(current, 0)
        todo += children.get(current, [])
    return total


def run(cmd: list[str], env: dict | None = None) -> tuple[float, float, float, int]:
    """(wall seconds, peak MB of the process tree, peak MB of the largest process, exit status)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=dict(os.environ, **(env or {})))
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(SAMPLE_SECONDS):
            peak[0] = max(peak[0], _tree_rss(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    done.set()
    sampler.join()
    errors = proc.stderr.read().decode(errors="replace").strip().splitlines() if proc.stderr else []
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        print(f"  ! {' '.join(cmd[2:5])} exit {code}: {errors[-1:] if errors else ''}", file=sys.stderr)
    return time.perf_counter() - start, peak[0] / 2**20, usage.ru_maxrss / 1024, code


def cpu_seconds(pid: int | str = "self") -> float:
    """User + system CPU seconds process ``pid`` (every thread of it) has used so far (Linux /proc)."""
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_cpu(cmd: list[str], cluster: list[int | str]) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of the command's process and the processes it waited for plus
    those the processes of ``cluster`` used meanwhile, exit status); no memory sampling."""
    before = sum(map(cpu_seconds, cluster))
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    errors = proc.stderr.read().decode(errors="replace").strip().splitlines() if proc.stderr else []
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    cpu = usage.ru_utime + usage.ru_stime + sum(map(cpu_seconds, cluster)) - before
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        print(f"  ! {' '.join(cmd[2:5])} exit {code}: {errors[-1:] if errors else ''}", file=sys.stderr)
    return wall, cpu, code


def disk(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 2**20
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def teikit(*args: str) -> list[str]:
    return [sys.executable, "-m", "teikit", *args]


def stages(work: Path, txt: Path, parallel: tuple[str, ...]) -> list[tuple[str, list[str], Path]]:
    """The pipeline's commands; ``parallel``: ``("-j", N)`` or ``("--scheduler", ADDRESS)``."""
    xml, index, out = work / "xml", work / "index.sqlite", work / "export.json"
    volumes = str(xml / "*")  # index and export read the files of the folders named
    on_cluster = parallel if parallel[0] == "--scheduler" else ()  # export has no -j: one process
    return [
        ("convert", teikit("convert", str(txt), "-o", str(xml), "-q", *parallel), xml),
        ("validate", teikit("validate", str(xml), "--no-config", "-o", str(work / "report.txt"), *parallel),
         work / "report.txt"),
        ("index", teikit("index", volumes, "-o", str(index), *parallel), index),
        ("search", teikit("search", QUERY, "--index", str(index), "--format", "json"), index),
        ("export json", teikit("export", "--format", "json", volumes, "-o", str(out), *on_cluster), out),
    ]


def pipeline(n: int, jobs: str, skip_convert: bool = False) -> dict[str, float]:
    """Run the stages on ``n`` documents, printing each stage's row as it ends (a long run that is
    stopped still shows the stages it finished), then the whole pipeline's figures; return
    each stage's peak memory (MB, the process tree).
    ``skip_convert``: the TEI are the dev corpus's own .xml files copied, and convert is not run."""
    print(f"\n{n:,} documents, -j {jobs}" + (" (TEI copied from the dev corpus; no convert)" if skip_convert
                                               else ""), flush=True)
    print(f"  {'stage':12} {'seconds':>8} {'docs/s':>8} {'peak MB':>8} {'largest':>8} {'disk MB':>8}"
          f" {'300k: hours':>12}", flush=True)
    total = written = 0.0
    peaks: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="teikit-bench-") as tmp:
        work = Path(tmp)
        source = build_corpus(work, n, "xml" if skip_convert else "txt")
        for name, cmd, output in stages(work, source, ("-j", jobs))[1 if skip_convert else 0:]:
            seconds, tree_mb, largest_mb, _ = run(cmd)
            disk_mb = disk(output) if name != "search" else 0.0
            rate = n / seconds
            projected = "" if name == "search" else f"{FRUS_DOCUMENTS / rate / 3600:12.2f}"
            print(f"  {name:12} {seconds:8.1f} {rate:8.0f} {tree_mb:8.0f} {largest_mb:8.0f} {disk_mb:8.1f}"
                  f" {projected}   (load {os.getloadavg()[0]:.1f})", flush=True)
            peaks[name] = tree_mb
            if name != "search":
                total += seconds
                written += disk_mb
    print(f"  whole pipeline: {total:.0f} s, {n / total:.0f} docs/s; projected to {FRUS_DOCUMENTS:,}: "
          f"{FRUS_DOCUMENTS / (n / total) / 3600:.1f} h, disk {written * FRUS_DOCUMENTS / n / 1024:.1f} GB",
          flush=True)
    return peaks


def memory_flat(small: int, small_peaks: dict[str, float], large: int, large_peaks: dict[str, float]) -> None:
    """Whether each stage's peak memory at ``large`` documents stays within MEMORY_GROWTH of ``small``'s."""
    print(f"\nmemory flat ({large:,} beside {small:,} documents; target: peak at most {MEMORY_GROWTH}x):")
    for name, peak in large_peaks.items():
        ratio = peak / small_peaks[name]
        print(f"  {name:12} {small_peaks[name]:6.0f} -> {peak:6.0f} MB  {ratio:5.2f}x   "
              f"target: {'met' if ratio <= MEMORY_GROWTH else 'not met'}")


def dask_beside_local(n: int, rounds: int, names: tuple[str, ...] = DASK_STAGES) -> None:
    """Each stage of ``names`` with ``-j 2`` and with ``--scheduler`` on the same files, ``rounds``
    times (the order alternating).  Counted for Dask: the whole ``teikit ... --scheduler`` process
    (start-up, ``import distributed``, its client connecting to the running cluster, the work,
    closing); not counted: starting the cluster, once, before (as a user's cluster is already
    running).  Counted for the local pool: the whole ``teikit ... -j 2`` process.  Wall time,
    and CPU time, which a machine shared with other jobs disturbs less: for the local pool its
    process and workers', for Dask the client's and what the cluster (scheduler, nannies,
    workers) used meanwhile.

    The cluster's workers are restarted before each stage, so the stage's first Dask run is
    their first (they import teikit and compile the schemas it needs: a long-lived cluster does
    that once) and is shown apart; the Dask figures are the fastest of the later runs (of all
    runs with ``--rounds 1``), the local ones the fastest of all.  Stages left out of ``names``
    whose output a later stage reads (convert's TEI) are run once, untimed."""
    from distributed import Client, LocalCluster
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                           dashboard_address=None, silence_logs=logging.ERROR)  # not each restart's warning
    client = Client(cluster)
    try:
        with tempfile.TemporaryDirectory(prefix="teikit-bench-") as tmp:
            txt = build_corpus(Path(tmp), n)
            local_work, dask_work = Path(tmp) / "local", Path(tmp) / "dask"
            local_work.mkdir()
            dask_work.mkdir()
            local = stages(local_work, txt, ("-j", "2"))
            remote = stages(dask_work, txt, ("--scheduler", cluster.scheduler_address))
            print(f"\nDask (LocalCluster, 2 worker processes) beside the local pool (-j 2), {n:,} documents, "
                  f"{rounds} round(s); dask: the fastest run after the first, the first (workers just "
                  f"started) apart; CPU: dask's client and cluster")
            print(f"  {'stage':12} {'local s':>8} {'dask s':>7} {'ratio':>6}   {'':18} {'local CPU':>9} "
                  f"{'dask CPU':>8} {'ratio':>6}   {'first s':>7} {'ratio':>6} {'CPU':>6}")
            for (name, local_cmd, local_out), (_, dask_cmd, dask_out) in zip(local, remote):
                if name == "search":
                    continue
                if name not in names:
                    if name == "convert":  # the TEI the other stages read
                        for cmd in (local_cmd, dask_cmd):
                            run(cmd)
                    continue
                client.restart()  # the stage's first Dask run is the workers' first
                processes: dict[str, list[int | str]] = {"local": [], "dask": ["self", *client.run(os.getpid).values()]}
                times: dict[str, list[tuple[float, float]]] = {"local": [], "dask": []}
                failed = False
                for round_ in range(rounds):
                    pair = [("local", local_cmd, local_out), ("dask", dask_cmd, dask_out)]
                    for side, cmd, output in pair if round_ % 2 == 0 else pair[::-1]:
                        remove(output)  # every round writes its output anew
                        seconds, cpu, code = run_cpu(cmd, processes[side])
                        times[side].append((seconds, cpu))
                        failed |= code not in (0, 1)
                if failed:  # a command that did not do the job: no figure
                    print(f"  {name:12} failed (see above)")
                    continue
                later = times["dask"][1:] or times["dask"]
                (local_s, local_cpu), (dask_s, dask_cpu) = [
                    (min(wall for wall, _ in runs), min(cpu for _, cpu in runs)) for runs in (times["local"], later)]
                first_s, first_cpu = times["dask"][0]
                verdict = "met" if dask_s / local_s <= DASK_TARGET else "not met"
                print(f"  {name:12} {local_s:8.2f} {dask_s:7.2f} {dask_s / local_s:6.2f}   "
                      f"target <= {DASK_TARGET}x: {verdict:7} {local_cpu:9.2f} {dask_cpu:8.2f} "
                      f"{dask_cpu / local_cpu:6.2f}   {first_s:7.2f} {first_s / local_s:6.2f} "
                      f"{first_cpu / local_cpu:6.2f}   (load {os.getloadavg()[0]:.1f})", flush=True)
            if "export json" in names:
                exports = [work / "export.json" for work in (local_work, dask_work)]
                same = all(e.is_file() for e in exports) and exports[0].read_bytes() == exports[1].read_bytes()
                print(f"  export json byte for byte the same: {same}")
    finally:
        client.close()
        cluster.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=50_000, help="0 leaves the pipeline out")
    parser.add_argument("--small", type=int, help="the second, smaller size (default: a quarter; 0: none)")
    parser.add_argument("--dask-files", type=int, default=5_000, help="0 leaves the Dask comparison out")
    parser.add_argument("--rounds", type=int, default=1, help="Dask comparison: runs of each side, best kept")
    parser.add_argument("--dask-stages", default=",".join(DASK_STAGES),
                        help=f"Dask comparison: these stages only (comma-separated, of {', '.join(DASK_STAGES)})")
    parser.add_argument("--jobs", default=str(os.cpu_count() or 1))
    parser.add_argument("--skip-convert", action="store_true",
                        help="pipeline: copy the dev corpus's TEI instead of converting (a machine too slow "
                             "to convert them all in the time it has)")
    args = parser.parse_args()
    if not DEV.is_dir():
        sys.exit(f"{DEV}: the dev corpus is not beside the checkout")
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average before: "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}, {os.cpu_count()} cores", flush=True)
    small = max(1, args.documents // 4) if args.small is None else args.small
    sizes = [size for size in (small, args.documents) if size and args.documents]
    peaks = [pipeline(n, args.jobs, args.skip_convert) for n in sizes]
    if len(sizes) == 2:
        memory_flat(sizes[0], peaks[0], sizes[1], peaks[1])
    if args.dask_files:
        chosen = tuple(stage.strip() for stage in args.dask_stages.split(","))
        if not set(chosen) <= set(DASK_STAGES):
            sys.exit(f"--dask-stages: choose among {', '.join(DASK_STAGES)}")
        dask_beside_local(args.dask_files, max(1, args.rounds), chosen)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
