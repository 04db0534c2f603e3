"""Listening sockets of the worker processes (``teikit.serve.runner``)."""
from __future__ import annotations

import socket
import sys

import pytest

pytest.importorskip("uvicorn")

from teikit.serve.runner import listeners, uvicorn_speedups  # noqa: E402

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SO_REUSEPORT spreading is Linux's")


@linux_only
def test_one_socket_per_worker_on_one_port():
    sockets = listeners("127.0.0.1", 0, 3)
    try:
        assert len({id(s) for s in sockets}) == 3
        assert len({s.getsockname()[1] for s in sockets}) == 1
        port = sockets[0].getsockname()[1]
        socket.create_connection(("127.0.0.1", port), timeout=2).close()  # accepted into one of the queues
    finally:
        for sock in sockets:
            sock.close()


@linux_only
def test_one_worker_listens_without_reuseport():
    (sock,) = listeners("127.0.0.1", 0, 1)
    try:
        assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) == 0
    finally:
        sock.close()


@pytest.mark.parametrize("workers", [1, 2])
def test_a_port_in_use_is_refused_not_shared(workers):
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen(1)
        with pytest.raises(OSError):
            listeners("127.0.0.1", other.getsockname()[1], workers)


@linux_only
def test_a_port_held_by_another_reuseport_server_is_refused():
    first = listeners("127.0.0.1", 0, 2)
    try:
        with pytest.raises(OSError):
            listeners("127.0.0.1", first[0].getsockname()[1], 2)
    finally:
        for sock in first:
            sock.close()


def test_missing_speedups_are_named(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def without_httptools(name, *args, **kwargs):
        if name == "httptools":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_httptools)
    assert "httptools" in uvicorn_speedups()


def test_shared_pages_go_to_memory_where_this_process_may_write(monkeypatch, tmp_path):
    from teikit.serve import runner

    monkeypatch.setattr(runner, "MEMORY_FOLDER", str(tmp_path))
    assert runner.memory_folder() == str(tmp_path)
    monkeypatch.setattr(runner, "MEMORY_FOLDER", str(tmp_path / "missing"))
    assert runner.memory_folder() is None  # then the usual temporary folder
