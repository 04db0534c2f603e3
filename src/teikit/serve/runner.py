"""Run the application on uvicorn with one or more worker processes.

Several workers use all cores (one Python process renders one page at a time).  They
are forked from the process that built the catalog, after it was built, so the files
are parsed once and start-up does not grow with the number of workers.  Fork happens
before any thread is started (the background index build starts afterwards, in the
parent only).

Each worker listens on a socket of its own, all bound to the one port with
``SO_REUSEPORT`` (Linux): the kernel spreads new connections over the workers by a
hash of each connection (measured, 20 keep-alive clients on two workers: 12/8, 13/7,
11/9).  With one shared socket, whichever idle worker wakes first accepts a whole
burst of new connections (18/2, 19/1, 12/8), and a keep-alive connection stays with
the worker that accepted it, so one core queued while the other idled.  Where
``SO_REUSEPORT`` is missing the workers share one socket.
"""
from __future__ import annotations

import gc
import os
import signal
import socket
import sys
from types import FrameType
from typing import Callable

import uvicorn
from starlette.types import ASGIApp

#: a file system held in memory (Linux), for the pages the workers share: writing a page there costs
#: a tenth of the system time of a disk-backed temporary folder, which journals every file made
MEMORY_FOLDER = "/dev/shm"
MAX_DEFAULT_WORKERS = 8  # beyond this a single corpus server rarely gains; memory grows per worker
BACKLOG = 2048  # connections the kernel queues per listening socket before refusing


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, MAX_DEFAULT_WORKERS)) if hasattr(os, "fork") else 1


def memory_folder() -> str | None:
    """:data:`MEMORY_FOLDER` when this process may write there, else ``None`` (the usual temporary folder)."""
    return MEMORY_FOLDER if os.path.isdir(MEMORY_FOLDER) and os.access(MEMORY_FOLDER, os.W_OK | os.X_OK) else None


def uvicorn_speedups() -> list[str]:
    """The optional packages uvicorn would run faster with that are not installed."""
    missing = []
    for name in ("httptools", "uvloop"):
        if name == "uvloop" and sys.platform == "win32":
            continue
        try:
            __import__(name)
        except ImportError:
            missing.append(name)
    return missing


def listeners(host: str, port: int, count: int) -> list[socket.socket]:
    """``count`` listening sockets on ``host:port`` (one shared socket without ``SO_REUSEPORT``).

    The port is first bound without ``SO_REUSEPORT``, so a port another server holds is
    refused (:class:`OSError`) as before, never silently shared with it; port 0 picks
    one free port for all.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    reuse_port = count > 1 and sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")
    probe = _bound(family, host, port, reuse_port=False)
    if not reuse_port:
        probe.listen(BACKLOG)
        return [probe] * count
    port = probe.getsockname()[1]
    probe.close()
    sockets: list[socket.socket] = []
    try:
        for _ in range(count):
            sockets.append(_bound(family, host, port, reuse_port=True))
            sockets[-1].listen(BACKLOG)
    except BaseException:
        for sock in sockets:
            sock.close()
        raise
    return sockets


def _bound(family: int, host: str, port: int, reuse_port: bool) -> socket.socket:
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if reuse_port:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
    except BaseException:
        sock.close()
        raise
    return sock


def serve(app: ASGIApp, host: str, port: int, workers: int, after_fork: Callable[[], object] | None = None) -> None:
    """Serve ``app`` on ``host:port`` until interrupted; ``after_fork`` runs in the first process only."""
    workers = workers if hasattr(os, "fork") else 1
    sockets = listeners(host, port, workers)
    # what start-up made (the catalog: every parsed file) lives until the end: left out of the
    # cycle collector's scans, which would walk all of it again and again in every process and,
    # writing to each object, copy a forked worker's shared memory page by page
    gc.freeze()
    mine = sockets[0]
    children: list[int] = []
    for k in range(1, workers):
        pid = os.fork()
        if pid == 0:  # a worker: serve until told to stop, never return into the caller
            code = 0
            try:
                _close_all_but(sockets, sockets[k])
                _run(app, sockets[k])
            except BaseException:  # pragma: no cover - reported by uvicorn already
                code = 1
            finally:
                os._exit(code)
        children.append(pid)
    # a worker's socket stays open only in that worker: if it dies, the kernel stops
    # sending it connections instead of queueing them where nobody accepts
    _close_all_but(sockets, mine)
    # uvicorn re-raises the signal that stopped it once it has shut down; as an exception
    # here (not the default "terminate now") it lets the workers be stopped below
    signal.signal(signal.SIGTERM, _stop)
    try:
        if after_fork is not None:
            after_fork()
        _run(app, mine)
    finally:
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for pid in children:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
        mine.close()


def _close_all_but(sockets: list[socket.socket], kept: socket.socket) -> None:
    for sock in sockets:
        if sock is not kept:
            sock.close()


def _stop(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def _run(app: ASGIApp, listener: socket.socket) -> None:
    # no access log: at log level warning its lines are dropped anyway, after being made for every request
    config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
    uvicorn.Server(config).run(sockets=[listener])
