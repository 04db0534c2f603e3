"""Where batch tasks run: the local process pool, or a Dask cluster through a ``distributed.Client``.

A task is one function applied to one batch of files (never one task per file: the
hand-over would cost more than a small file's work).  :func:`run_batches` yields the
results in batch order while keeping a bounded number of batches in flight, so memory
holds a few batches' results whatever the number of files.  On Dask a batch whose worker
dies is run again on another worker by the scheduler (its ``allowed-failures`` setting).
"""
from __future__ import annotations

import os
from collections import deque
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any, Callable, Collection, Iterator, Optional, Sequence, TypeVar

from ..errors import TeikitError
from ..workers import call_in_worker, local_pool

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

T = TypeVar("T")
R = TypeVar("R")

#: files per task on the local pool: the hand-over of a batch costs about one small file's work
LOCAL_BATCH = 8
#: most files per task on Dask: a task costs some 10 ms of CPU whatever it does (measured with
#: tasks that do nothing: 3 ms the client's, 2 the scheduler's, 5 the worker's), so a task should
#: do some 100 ms of work at least: 1024 of the smallest job's files (validate: about 0.15 ms
#: each).  Against 256, 5,000 files on 2 workers (then :data:`BATCHES_PER_WORKER` makes batches
#: of 625): 8 tasks instead of 20, the cluster's and client's CPU for validate 2.01 -> 1.90 s,
#: for index 4.8 -> 4.0 s (medians of 6 and 4 runs).  Fewer files when the run is small
DASK_BATCH = 1024
#: at least this many batches per worker: one slow batch does not leave the other workers idle
BATCHES_PER_WORKER = 4
#: batches in flight per worker: every worker stays busy while few results wait in memory
IN_FLIGHT_PER_WORKER = 3

Progress = Optional[Callable[[int], None]]


def connect(address: str) -> Any:
    """A ``distributed.Client`` for the scheduler at ``address`` (``tcp://host:8786``)."""
    try:
        from distributed import Client
    except ImportError:
        raise TeikitError("--scheduler needs Dask: pip install 'teikit[dask]'") from None
    try:
        return Client(address, timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise TeikitError(f"cannot reach the Dask scheduler: {exc}", path=address) from None


def is_dask(client: Any) -> bool:
    return client is not None and type(client).__module__.startswith("distributed")


def worker_count(client: Any, jobs: int | None) -> int:
    if is_dask(client):
        return max(1, sum(client.nthreads().values()))
    return jobs or os.cpu_count() or 1


def batch_size(count: int, client: Any, jobs: int | None = None) -> int:
    """Items per batch for ``count`` items: at least a few batches per worker so the work stays balanced."""
    limit = DASK_BATCH if is_dask(client) else LOCAL_BATCH
    return min(limit, count // (worker_count(client, jobs) * BATCHES_PER_WORKER) or 1)


def batches(items: Sequence[T], client: Any, jobs: int | None = None) -> list[list[T]]:
    """``items`` cut into task-sized batches (:func:`batch_size`)."""
    size = batch_size(len(items), client, jobs)
    return [list(items[i:i + size]) for i in range(0, len(items), size)]


def run_batches(function: Callable[..., R], work: Collection[Sequence[T]], *args: Any, client: Any = None,
                jobs: int | None = None, progress: Progress = None, caller_works: bool = False) -> Iterator[R]:
    """``function(batch, *args)`` for every batch, results in batch order.

    ``client``: a ``distributed.Client`` (its cluster runs the batches), or None for a
    local process pool of ``jobs`` workers (default: all cores; 1 runs here, in this process).
    ``work`` is iterated once, as batches are handed out: it may make each batch then.
    ``progress(n)`` is called as the results of n more items arrive.
    ``caller_works``: for a caller that is itself busy with each result (a single writer), the
    local run has ``jobs`` busy processes in all, not ``jobs + 1``: ``jobs - 1`` workers, and
    this process runs batches too whenever the next result is not ready (:func:`sharing_in_order`).
    """
    if is_dask(client):
        yield from in_order(lambda batch: client.submit(function, batch, *args, pure=False),
                            work, worker_count(client, None), progress)
        return
    workers = min(jobs or os.cpu_count() or 1, len(work))
    if workers <= 1:
        for batch in work:
            result = function(batch, *args)
            if progress:
                progress(len(batch))
            yield result
        return
    if caller_works:
        with local_pool(workers - 1) as pool:
            yield from sharing_in_order(lambda batch: pool.submit(call_in_worker, function, batch, *args),
                                        lambda batch: function(batch, *args), work, workers - 1, progress)
        return
    with local_pool(workers) as pool:
        yield from on_pool(pool, function, work, *args, workers=workers, progress=progress)


def on_pool(pool: ProcessPoolExecutor, function: Callable[..., R], work: Collection[Sequence[T]], *args: Any,
            workers: int, progress: Progress = None) -> Iterator[R]:
    """``function(batch, *args)`` for every batch on a started :func:`~teikit.workers.local_pool`,
    results in batch order (:func:`in_order`); a batch's error comes back as raised there
    (:func:`~teikit.workers.call_in_worker`), a dead worker as :class:`TeikitError`."""
    # the batches left when the caller stops are cancelled by the pool's shutdown, in the pool's
    # own thread: cancelled here, they raced that thread when the workers were killed (CPython
    # before 3.12, gh-107219: it died with a traceback on the user's terminal)
    return in_order(lambda batch: pool.submit(call_in_worker, function, batch, *args), work, workers, progress,
                    cancel_left=False)


def in_order(submit: Callable[[Any], Any], work: Collection[Sequence[T]], workers: int,
             progress: Progress, *, cancel_left: bool = True) -> Iterator[Any]:
    """The results of ``submit(batch)`` for every batch, in batch order, with at most
    :data:`IN_FLIGHT_PER_WORKER` batches a worker submitted and not yet taken; with
    ``cancel_left``, the futures not taken are cancelled when the caller stops early."""
    pending: deque[tuple[Any, int]] = deque()
    queue = iter(work)
    try:
        for batch in queue:
            pending.append((submit(batch), len(batch)))
            if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                yield _take(pending, progress)
        while pending:
            yield _take(pending, progress)
    finally:
        if cancel_left:
            for future, _ in pending:
                future.cancel()


#: most results :func:`sharing_in_order` keeps waiting for their turn, per result the pool may owe:
#: room for the caller's own batches while the pool's next one is not ready (each holds its rows)
_WAITING_PER_IN_FLIGHT = 2


def sharing_in_order(submit: Callable[[Any], Any], run_here: Callable[[Any], Any], work: Collection[Sequence[T]],
                     workers: int, progress: Progress) -> Iterator[Any]:
    """Like :func:`in_order`, but the caller runs batches too: whenever the next result (a
    worker's) is not ready, the next batch is run here instead of waiting, and its result waits
    its turn.  The pool is kept fed first (:data:`IN_FLIGHT_PER_WORKER` batches a worker), so
    its workers never wait for the caller; the caller's share grows with the time it has left
    over from its own use of the results.  At most :data:`_WAITING_PER_IN_FLIGHT` results per
    batch in flight wait here, whatever the number of batches.

    With a caller busy with each result (an index's writer), ``n`` cores then run ``n`` busy
    processes, not ``n + 1``: measured, a third less CPU for the same work than a writer
    competing for the cores with as many workers as cores (caches and time slices shared).
    """
    in_flight = max(1, workers) * IN_FLIGHT_PER_WORKER
    most_waiting = in_flight * _WAITING_PER_IN_FLIGHT
    pending: deque[tuple[Any, Any, int]] = deque()  # (future, or None for a result made here; result; size)
    queue = iter(work)
    in_pool = 0
    left = True  # whether work may hold more batches
    while True:
        while left and in_pool < in_flight:
            batch = next(queue, None)
            if batch is None:
                left = False
            else:
                pending.append((submit(batch), None, len(batch)))
                in_pool += 1
        if not pending:
            return
        future, result, size = pending[0]
        if left and future is not None and not future.done() and len(pending) < most_waiting:
            batch = next(queue, None)
            if batch is None:
                left = False
            else:
                pending.append((None, run_here(batch), len(batch)))
            continue
        pending.popleft()
        if future is not None:
            in_pool -= 1
            result = _result(future, size)
        if progress:
            progress(size)
        yield result


def _take(pending: deque[tuple[Any, int]], progress: Progress) -> Any:
    future, size = pending.popleft()
    result = _result(future, size)
    if progress:
        progress(size)
    return result


def _result(future: Any, size: int) -> Any:
    """The result of ``future`` (a batch of ``size`` files); a dead worker as :class:`TeikitError`."""
    try:
        return future.result()
    except BrokenProcessPool:
        raise TeikitError("a worker process died (out of memory, or killed)", path="teikit") from None
    except Exception as exc:
        if type(exc).__name__ != "KilledWorker":  # distributed's: the batch's workers died too often
            raise
        raise TeikitError(f"Dask workers died running a batch of {size} files, too often to retry it: "
                          f"{exc}", path="teikit") from None
