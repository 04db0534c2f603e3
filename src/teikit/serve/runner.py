"""Run the application on uvicorn with one or more worker processes.

Several workers use all cores (one Python process renders one page at a time).  They
are forked from the process that built the catalog, after it was built, so the files
are parsed once and start-up does not grow with the number of workers; all of them
accept connections on one listening socket.  Fork happens before any thread is
started (the background index build starts afterwards, in the parent only).
"""
from __future__ import annotations

import os
import signal
import socket
from types import FrameType
from typing import Callable

import uvicorn
from starlette.types import ASGIApp

MAX_DEFAULT_WORKERS = 8  # beyond this a single corpus server rarely gains; memory grows per worker


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, MAX_DEFAULT_WORKERS)) if hasattr(os, "fork") else 1


def serve(app: ASGIApp, host: str, port: int, workers: int, after_fork: Callable[[], object] | None = None) -> None:
    """Serve ``app`` on ``host:port`` until interrupted; ``after_fork`` runs in the first process only."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, port))
    listener.listen(2048)
    children: list[int] = []
    if workers > 1 and hasattr(os, "fork"):
        for _ in range(workers - 1):
            pid = os.fork()
            if pid == 0:  # a worker: serve until told to stop, never return into the caller
                code = 0
                try:
                    _run(app, listener)
                except BaseException:  # pragma: no cover - reported by uvicorn already
                    code = 1
                finally:
                    os._exit(code)
            children.append(pid)
    # uvicorn re-raises the signal that stopped it once it has shut down; as an exception
    # here (not the default "terminate now") it lets the workers be stopped below
    signal.signal(signal.SIGTERM, _stop)
    try:
        if after_fork is not None:
            after_fork()
        _run(app, listener)
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
        listener.close()


def _stop(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def _run(app: ASGIApp, listener: socket.socket) -> None:
    config = uvicorn.Config(app, log_level="warning", lifespan="off")
    uvicorn.Server(config).run(sockets=[listener])
