"""Worker pools: forked from this process when it runs no other thread, else from a fork server."""
from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from teikit.workers import local_pool

#: set by a test at run time: a forked worker sees the new value, one from a fork server the imported one
STATE = "as imported"
ROOT = Path(__file__).resolve().parent.parent


def _worker_state() -> tuple[str, int]:
    return STATE, os.getppid()


pytestmark = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(),
                                reason="this system cannot fork")


def test_a_single_threaded_process_forks_its_workers():
    # in a fresh interpreter: this one may run threads other tests left (Dask keeps an offload thread)
    script = textwrap.dedent("""
        import os, threading
        from teikit.workers import local_pool
        import tests.test_workers as here
        assert threading.active_count() == 1
        here.STATE = "set at run time"
        with local_pool(2) as pool:
            print(pool.submit(here._worker_state).result() == ("set at run time", os.getpid()))
        """)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "True", done.stderr


def test_a_process_running_threads_takes_its_workers_from_a_fork_server(monkeypatch):
    monkeypatch.setattr(f"{__name__}.STATE", "set at run time")
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        with local_pool(2) as pool:
            state, parent = pool.submit(_worker_state).result()
    finally:
        stop.set()
        thread.join()
    assert state == "as imported" and parent != os.getpid()


def _read_bad_xml(batch: list[str]) -> None:
    from teikit.xmlio import parse_xml
    parse_xml(batch[0].encode("latin-1"), name="bad.xml")


def test_a_file_error_reaches_the_parent_when_exceptions_pickle_their_causes():
    # Dask's distributed installs tblib at import, so every exception pickles its causes; the
    # cause of teikit's error, lxml's, holds an error log that cannot be pickled.  Without care
    # the worker died and the run said "a worker process died" instead of naming the file.
    pytest.importorskip("tblib")
    script = textwrap.dedent("""
        from teikit.batch.engine import run_batches
        from teikit.errors import InputError
        import tests.test_workers as here
        import tblib.pickling_support
        tblib.pickling_support.install()  # as importing distributed does, after teikit's errors exist
        try:
            list(run_batches(here._read_bad_xml, [['<TEI>caf\\xe9</TEI>'], ['<TEI/>']], jobs=2))
        except InputError as error:
            print(error)
        """)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.startswith("bad.xml:1: not well-formed XML"), done.stdout + done.stderr


def test_a_file_error_returned_by_a_worker_reaches_the_parent_when_exceptions_pickle_their_causes(tmp_path):
    # the same, for the errors a worker returns as a file's result (export: --skip-invalid lists
    # them; without it they stop the export): the pool failed to pickle the batch's results and
    # the run ended with "cannot pickle 'lxml.etree._ListErrorLog' object", naming no file
    pytest.importorskip("tblib")
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    for i in range(20):
        (inputs / f"d{i:02}.xml").write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>'
                                             f'<p>text {i}</p></body></text></TEI>', encoding="utf-8")
    (inputs / "d07.xml").write_text("<TEI xmlns='http://www.tei-c.org/ns/1.0'><text>", encoding="utf-8")  # cut short
    script = textwrap.dedent(f"""
        from teikit.export.inputs import map_inputs
        from teikit.export.text import export_text, render_file
        import tblib.pickling_support
        tblib.pickling_support.install()  # as importing distributed does, after teikit's errors exist
        results, skipped = map_inputs([{str(inputs)!r}], render_file, skip_invalid=True, jobs=2)
        print(len(results), *skipped)
        print(*export_text([{str(inputs)!r}], {str(out)!r}, skip_invalid=True, jobs=2))
        """)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    lines = done.stdout.splitlines()
    assert len(lines) == 2, done.stdout + done.stderr
    assert lines[0].startswith(f"19 {inputs / 'd07.xml'}:1: not well-formed XML"), lines
    assert lines[1].startswith(f"{inputs / 'd07.xml'}:1: not well-formed XML"), lines
    assert sorted(p.name for p in out.iterdir()) == [f"d{i:02}.txt" for i in range(20) if i != 7]


def _sleep(batch: list[float]) -> None:
    import time
    time.sleep(batch[0])


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def test_a_run_ended_by_an_interruption_leaves_no_thread_traceback(monkeypatch):
    # Ctrl-C while waiting for a result: the batches not yet started are cancelled, then the
    # workers are killed; CPython before 3.12 (gh-107219) then set BrokenProcessPool on the
    # cancelled futures in the pool's own thread, which died with a traceback on the terminal.
    from teikit.batch.engine import IN_FLIGHT_PER_WORKER, on_pool
    import teikit.workers
    failures: list[BaseException | None] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: failures.append(args.exc_value))
    kill = teikit.workers._kill_workers

    def kill_and_let_the_pool_see_it(pool):  # the order a loaded machine gave 1 run in 50
        kill(pool)
        deadline = time.monotonic() + 10
        while not pool._broken and time.monotonic() < deadline:
            time.sleep(0.01)
    monkeypatch.setattr(teikit.workers, "_kill_workers", kill_and_let_the_pool_see_it)
    previous = signal.signal(signal.SIGALRM, _interrupt)
    try:
        with pytest.raises(KeyboardInterrupt):
            with local_pool(2) as pool:
                # more batches in flight than the pool's queue holds: some wait, cancellable
                batches = [[30.0]] * (2 * IN_FLIGHT_PER_WORKER + 4)
                signal.setitimer(signal.ITIMER_REAL, 0.5)  # Ctrl-C while waiting for the first
                for _ in on_pool(pool, _sleep, batches, workers=2):
                    pass
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert failures == []


HALF_A_RESULT = textwrap.dedent("""
    import struct, sys, time
    from teikit.workers import local_pool

    def half_a_result():
        # what a worker killed while it sends a large result leaves in the pool's result pipe:
        # a message header announcing 1 MB, then 10 bytes of it
        frame = sys._getframe()
        while "result_queue" not in frame.f_locals:
            frame = frame.f_back
        frame.f_locals["result_queue"]._writer._send(struct.pack("!i", 1 << 20) + b"x" * 10)
        time.sleep(120)

    if __name__ == "__main__":
        if sys.argv[1:] == ["forkserver"]:  # a process running another thread takes workers from a fork server
            import threading
            threading.Thread(target=time.sleep, args=(120,), daemon=True).start()
        try:
            with local_pool(1) as pool:
                pool.submit(half_a_result)
                time.sleep(1)  # the pool's thread is reading the half message
                raise RuntimeError("a file failed")
        except RuntimeError as exc:
            print("ended:", exc)
""")


@pytest.mark.parametrize("start", ["fork", "forkserver"])
def test_workers_ended_while_a_result_is_half_sent_do_not_hang_the_run(tmp_path, start):
    """An error (a bad file, Ctrl-C) ends the workers at once: one may be killed halfway through
    sending a result, and the pool's thread, reading it, waited forever for the rest (seen in
    tests/batch/test_dask.py's local index run of a bad file)."""
    script = tmp_path / "half.py"
    script.write_text(HALF_A_RESULT, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script), start], capture_output=True, text=True, timeout=60,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert "ended: a file failed" in done.stdout, done.stderr
    assert "Traceback" not in done.stderr
