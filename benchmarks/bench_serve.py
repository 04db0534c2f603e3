"""``teikit serve`` under load: start-up time and p95 latencies, side by side with peers.

    python benchmarks/bench_serve.py [--documents 2000] [--clients 20] [--requests 2000]

Builds a corpus of ``--documents`` files in a temporary folder: copies of the FRUS
dev documents (../shared/corpus/frus-dev) under new volume ids (``frusbench-v007_d186.xml``
-> resource ``frusbench-v007/d186``), and its FTS5 index with ``teikit index``.  Then, each
time in a fresh process on a free loopback port:

* start-up: from starting ``teikit serve DIR --index INDEX`` to its first answer,
  beside the time lxml alone takes to parse the same files (the floor for any server
  that reads them) -- the issue's target is <= 3 s for 2,000 documents;
* navigation/document requests (DTS collection, navigation and document endpoints
  and the HTML document pages, random documents) from ``--clients`` concurrent
  keep-alive clients: p50/p95 latency, target p95 <= 50 ms; beside the same HTML pages
  exported with ``export --format site`` and served by Python's ``http.server``;
* search (the reading site's search page, random words): p95 target <= 200 ms;
  beside the bare FTS5 query on the same index with sqlite3.

Request counts are bounded (``--requests`` navigation/document, a fifth of that for
search) and so is time (``--max-seconds`` per phase).  Loopback only.

On a machine shared with other work latencies mostly measure the queue for the CPUs,
so each phase also prints the server's own CPU time per request (Linux: the server
process and its workers, from /proc), and a last phase splits a cold document page
into what it costs in this process: reading the outlines it needs (the document's
and its neighbours', whose titles the prev/next links show) and rendering.
"""
from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "corpus" / "frus-dev"
PY = sys.executable
SEARCH_WORDS = ["Diem", "Vietnam", "French", "Ambassador", "Geneva", "elections", "\"Bao Dai\"",
                "Secretary", "army", "sects", "Saigon", "Kissinger", "Thieu", "agreement"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_corpus(folder: Path, documents: int) -> list[Path]:
    sources = sorted(DEV.glob("*.xml"))
    if not sources:
        sys.exit(f"no dev corpus at {DEV}")
    made = []
    for k in range(documents):
        source = sources[k % len(sources)]
        volume, _, doc = source.stem.rpartition("_")
        target = folder / f"frusbench-v{k // len(sources):03d}{volume[-4:].replace('-', '')}_{doc}.xml"
        shutil.copyfile(source, target)
        made.append(target)
    return made


def wait_until_up(port: int, process: subprocess.Popen, timeout: float = 120) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if process.poll() is not None:
            sys.exit(f"server exited: {process.stderr.read().decode()}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/dts")
            if conn.getresponse().status == 200:
                return time.perf_counter()
        except OSError:
            time.sleep(0.02)
    sys.exit("server did not start")


def load(port: int, urls: list[str], clients: int, max_seconds: float) -> tuple[list[float], int]:
    """Latencies (s) of ``urls`` fetched by ``clients`` keep-alive clients; and the error count."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    queue = iter(urls)
    deadline = time.perf_counter() + max_seconds

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        while time.perf_counter() < deadline:
            with lock:
                url = next(queue, None)
            if url is None:
                break
            t0 = time.perf_counter()
            conn.request("GET", url)
            response = conn.getresponse()
            response.read()
            mine.append(time.perf_counter() - t0)
            if response.status >= 400:
                errors[0] += 1
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors[0]


def server_cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of process ``pid`` and its children so far (Linux), else None."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        ticks = 0
        for each in [str(pid), *children]:
            fields = Path(f"/proc/{each}/stat").read_text().rpartition(")")[2].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    except (OSError, ValueError, IndexError):
        return None
    return ticks / os.sysconf("SC_CLK_TCK")


def load_measured(port: int, pid: int, urls: list[str], clients: int, max_seconds: float):
    """:func:`load`, and the server's CPU milliseconds per request (None where not measurable)."""
    before = server_cpu_seconds(pid)
    values, errors = load(port, urls, clients, max_seconds)
    after = server_cpu_seconds(pid)
    cpu = None if before is None or after is None else (after - before) * 1000 / len(values)
    return values, errors, cpu


def render_split(folder: Path, ids: list[str], count: int, rng: random.Random) -> None:
    """A cold document page in this process: what it reads of documents vs rendering (ms per page).

    A FRUS document file's page reads the outline (title, date, place) of the document and of
    its neighbours (the prev/next links show their titles) without building any query model;
    a model is printed beside for scale (what each of the three cost before outlines).
    CPU time of this process, so that other work on the machine does not count.
    """
    from teikit.publish.catalog import Catalog
    from teikit.publish.render import Site
    catalog = Catalog([folder])
    site = Site(catalog, searchable=True)
    chosen = [catalog.resource(i) for i in rng.sample(ids, count)]
    t0 = time.process_time()
    for resource in chosen:  # its own outline and its neighbours', as the page's first request reads them
        for each in (resource, resource.previous, resource.next):
            if each is not None:
                each.label
    outlines = time.process_time() - t0
    t0 = time.process_time()
    for resource in chosen:
        site.document(resource)
    render = time.process_time() - t0
    t0 = time.process_time()
    for resource in chosen:
        resource.document  # not needed by the page: for scale only
    model = time.process_time() - t0
    total = outlines + render
    print(f"{'cold document page, split (in-process CPU)':<44} {count:>5} pages  outlines (own + neighbours') "
          f"{outlines / count * 1000:.2f} ms + render {render / count * 1000:.2f} ms "
          f"= {total / count * 1000:.2f} ms per page (render {render / total:.0%}); "
          f"one query model, not built: {model / count * 1000:.2f} ms", flush=True)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def report(name: str, values: list[float], errors: int, target_ms: float | None = None) -> float:
    ms95 = p95(values) * 1000
    line = (f"{name:<44} {len(values):>5} req  p50 {statistics.median(values) * 1000:7.1f} ms  "
            f"p95 {ms95:7.1f} ms  errors {errors}")
    if target_ms is not None:
        line += f"  (target p95 <= {target_ms:g} ms: {'met' if ms95 <= target_ms else 'NOT met'})"
    print(line, flush=True)
    return ms95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--max-seconds", type=float, default=60)
    args = parser.parse_args()
    rng = random.Random(13)

    with tempfile.TemporaryDirectory(prefix="teikit-bench-serve-") as scratch:
        folder = Path(scratch) / "corpus"
        folder.mkdir()
        files = make_corpus(folder, args.documents)
        index = Path(scratch) / "index.sqlite"
        t0 = time.perf_counter()
        subprocess.run([PY, "-m", "teikit", "index", str(folder), "-o", str(index)], check=True,
                       capture_output=True)
        print(f"corpus: {len(files)} documents ({sum(f.stat().st_size for f in files) / 1e6:.1f} MB); "
              f"teikit index: {time.perf_counter() - t0:.1f} s", flush=True)

        # start-up, side by side with parsing the same files with lxml in a fresh process
        parse = ("import sys,time;from lxml import etree;from pathlib import Path;t=time.perf_counter();"
                 "[etree.parse(str(p)) for p in sorted(Path(sys.argv[1]).glob('*.xml'))];"
                 "print(time.perf_counter()-t)")
        t0 = time.perf_counter()
        subprocess.run([PY, "-c", parse, str(folder)], check=True, capture_output=True)
        lxml_seconds = time.perf_counter() - t0
        port = free_port()
        t0 = time.perf_counter()
        server = subprocess.Popen([PY, "-m", "teikit", "serve", str(folder), "--index", str(index),
                                   "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            startup = wait_until_up(port, server) - t0
            print(f"{'start-up to first answer (process start incl.)':<44} {startup:6.2f} s   "
                  f"(target <= 3 s: {'met' if startup <= 3 else 'NOT met'}); lxml parse of the same "
                  f"files in a fresh process {lxml_seconds:.2f} s; ratio {startup / lxml_seconds:.1f}x",
                  flush=True)

            ids = [f"{f.stem.rpartition('_')[0]}/{f.stem.rpartition('_')[2]}" for f in files]
            nav_urls = []
            for _ in range(args.requests):
                rid = rng.choice(ids)
                q = quote(rid, safe="/")
                nav_urls.append(rng.choice([
                    f"/api/dts/collection?id={q}",
                    f"/api/dts/navigation?resource={q}&down=-1",
                    f"/api/dts/navigation?resource={q}&down=1",
                    f"/api/dts/document?resource={q}",
                    f"/{q}.html",
                ]))
            html_urls = [f"/{quote(rng.choice(ids), safe='/')}.html" for _ in range(args.requests)]
            search_urls = [f"/search.html?q={quote(rng.choice(SEARCH_WORDS))}" for _ in range(args.requests // 5)]

            cpu: dict[str, float | None] = {}
            values, errors, cpu["mixed"] = load_measured(port, server.pid, nav_urls, args.clients, args.max_seconds)
            nav95 = report("teikit serve: navigation/document (mixed)", values, errors, 50)
            values, errors, cpu["html"] = load_measured(port, server.pid, html_urls, args.clients, args.max_seconds)
            html95 = report("teikit serve: HTML document pages", values, errors, 50)
            values, errors, cpu["search"] = load_measured(port, server.pid, search_urls, args.clients,
                                                          args.max_seconds)
            search95 = report("teikit serve: search page", values, errors, 200)
            if None not in cpu.values():
                print(f"{'server CPU per request (all processes)':<44} mixed {cpu['mixed']:.1f} ms, "
                      f"HTML pages {cpu['html']:.1f} ms, search {cpu['search']:.1f} ms", flush=True)
        finally:
            server.terminate()
            server.wait()

        # peers: the same pages as static files from http.server; the bare FTS5 query
        site = Path(scratch) / "site"
        subprocess.run([PY, "-m", "teikit", "export", "--format", "site", str(folder), "-o", str(site)],
                       check=True, capture_output=True)
        port = free_port()
        static = subprocess.Popen([PY, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                                   "--directory", str(site)], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        try:
            start = time.perf_counter()
            while time.perf_counter() - start < 30:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.05)
            values, errors, peer_cpu = load_measured(port, static.pid, html_urls, args.clients, args.max_seconds)
            peer95 = report("peer: same pages, static, python http.server", values, errors)
            if peer_cpu is not None:
                print(f"{'peer server CPU per request':<44} HTML pages {peer_cpu:.1f} ms", flush=True)
        finally:
            static.terminate()
            static.wait()
        connection = sqlite3.connect(index)
        fts = []
        for url in search_urls:
            words = re.sub(r"^/search.html\?q=", "", url)
            term = words.replace("%22", "\"").replace("%20", " ")
            t0 = time.perf_counter()
            connection.execute("SELECT rowid, text FROM units WHERE units MATCH ? LIMIT 21",
                               [term if term.startswith("\"") else f"\"{term}\""]).fetchall()
            fts.append(time.perf_counter() - t0)
        connection.close()
        fts95 = report("peer: bare sqlite3 FTS5 query, same index", fts, 0)
        render_split(folder, ids, min(200, len(ids)), rng)
        cpu_ratio = (f"; server CPU per HTML page teikit/http.server {cpu['html'] / peer_cpu:.1f}x"
                     if cpu["html"] and peer_cpu else "")
        print(f"ratios (p95): HTML pages teikit/http.server {html95 / peer95:.1f}x; "
              f"search teikit page/bare FTS5 {search95 / fts95:.0f}x; mixed DTS p95 {nav95:.1f} ms{cpu_ratio}",
              flush=True)
    loadavg = " ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    print(f"machine: {os.cpu_count()} CPU(s), load average {loadavg} (other work shares the CPUs); "
          f"clients {args.clients}; loopback; cold caches (a page is rendered on its first request)",
          flush=True)


if __name__ == "__main__":
    main()
