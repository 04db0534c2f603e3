"""Worker processes that never outlive the teikit run that started them.

A worker ignores Ctrl-C (the parent alone handles it, then ends the pool), asks
the kernel for SIGKILL when its parent dies (Linux ``PR_SET_PDEATHSIG``), and as a
portable fallback watches its parent id and exits when it changes.  Leaving the
:func:`local_pool` block on an error, Ctrl-C or SIGTERM kills the workers at once
instead of waiting for the work they hold.  A worker that dies (the kernel's
out-of-memory killer, a ``kill``) breaks the pool: the caller waiting for its work
gets ``BrokenProcessPool`` instead of waiting forever (``multiprocessing.Pool``
would start another worker and wait for the lost task's result, and its
``terminate()`` can deadlock on the lock the dead worker held).
"""
from __future__ import annotations

import ctypes
import multiprocessing
import os
import pickle
import signal
import threading
import time
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Callable, Iterator, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

R = TypeVar("R")

PR_SET_PDEATHSIG = 1            # from <linux/prctl.h>
PARENT_CHECK_SECONDS = 0.5      # how soon a worker notices its parent died where prctl is missing


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system tells it)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _die_with_parent(parent: int) -> None:
    try:  # the running program's own symbols hold libc's: no ldconfig run to find it
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError, TypeError):
        pass  # not Linux: the watchdog below does the job

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="teikit-parent-watch", daemon=True).start()
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def call_in_worker(function: Callable[..., R], *args: Any) -> R:
    """``function(*args)``, raising any error in a form that can cross back to the parent.

    The pool pickles a worker's exception to send it home.  Some libraries (Dask's
    ``distributed``, through tblib) make every exception pickle its chain of causes, and
    teikit's errors are raised from lxml's, whose error log cannot be pickled: the worker
    would die instead of reporting the file's error.  The chain is dropped when it cannot
    travel; the error itself (its message, path and line) always does.
    """
    try:
        return function(*args)
    except Exception as error:
        portable(error)
        try:
            pickle.dumps(error)
        except Exception:
            raise RuntimeError(f"{type(error).__name__}: {error}") from None
        raise


E = TypeVar("E", bound=BaseException)


def portable(error: E) -> E:
    """``error`` without its chain of causes when that chain cannot be pickled (see
    :func:`call_in_worker`): for an error a worker returns as a file's result, not raised."""
    try:
        pickle.dumps(error)
    except Exception:
        error.__cause__ = error.__context__ = None
        error.__suppress_context__ = True
    return error


def start_worker(parent: int | None = None) -> None:
    """Call first in a worker process (any pool's initializer): Ctrl-C is left to the parent,
    SIGTERM ends the worker, and the worker ends when ``parent`` (default: its parent) dies."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent(os.getppid() if parent is None else parent)


def _start_pool_worker(parent: int | None, initializer: Callable[..., object] | None,
                       initargs: tuple[Any, ...]) -> None:
    start_worker(parent)
    if initializer is not None:
        initializer(*initargs)


def _start_context(otherwise: str | None) -> multiprocessing.context.BaseContext:
    """Fork where the system can and this process runs no other thread (a fork copies one
    thread only, and a process forked from one running threads, a Dask client's or a web
    server's, can die in the fork); else ``otherwise`` where the system has it, else its default."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context(otherwise if otherwise in methods else None)


@contextmanager
def local_pool(processes: int, initializer: Callable[..., object] | None = None,
               initargs: tuple[Any, ...] = ()) -> Iterator[ProcessPoolExecutor]:
    """A ``concurrent.futures`` pool of workers ending with this process and with this block.

    Workers are forked when this process runs no other thread, so they start at once with
    what it has imported (the pool forks them all before its own thread starts); else they
    come from a fork server, which ends with this process.  Each worker runs
    :func:`start_worker`, then ``initializer(*initargs)`` when one is given."""
    from concurrent.futures import ProcessPoolExecutor  # here: a run on one core never loads it
    context = _start_context("forkserver")
    forked = context.get_start_method() == "fork"
    # a forked worker's parent is this process, named now: were it killed before the worker's
    # first step, the worker would see its new parent (init) and never end with this one
    parent = os.getpid() if forked else None
    pool = ProcessPoolExecutor(processes, mp_context=context,
                               initializer=_start_pool_worker, initargs=(parent, initializer, initargs))
    try:
        if forked:  # the pool forks every worker in its first submit: now, before the caller starts a
            pool.submit(int)  # thread of its own (no need to wait for the answer)
        yield pool
    except BaseException:
        _kill_workers(pool)  # an error, Ctrl-C or SIGTERM: the work they hold is not wanted
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    """SIGKILL ``pool``'s worker processes (``concurrent.futures`` has no public way before 3.14).

    A worker killed halfway through sending a result leaves half a message in the pool's result
    pipe, and the pool's thread, reading it, would wait for the rest forever (the shutdown that
    follows waits for that thread): this process's own end for writing is closed too, so that
    once the workers are gone the thread reads the end of the pipe and stops, as for a dead worker.
    """
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        if process.is_alive():
            process.kill()
    writer = getattr(getattr(pool, "_result_queue", None), "_writer", None)
    if writer is not None:
        writer.close()
