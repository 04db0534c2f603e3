"""How batch jobs cut their files into tasks: big enough to pay for a task, enough to keep every worker busy."""
from __future__ import annotations

from teikit.batch.engine import BATCHES_PER_WORKER, DASK_BATCH, LOCAL_BATCH, batches


class FakeClient:
    """What the engine asks of a ``distributed.Client``: its workers' threads."""

    __module__ = "distributed.client"

    def __init__(self, workers: int) -> None:
        self.workers = workers

    def nthreads(self) -> dict[str, int]:
        return {f"tcp://127.0.0.1:{9000 + i}": 1 for i in range(self.workers)}


def test_a_large_run_on_dask_gets_tasks_of_the_largest_size():
    items = list(range(2 * BATCHES_PER_WORKER * DASK_BATCH + 7))  # enough for every worker's batches
    cut = batches(items, FakeClient(2))
    assert [len(b) for b in cut[:-1]] == [DASK_BATCH] * (len(cut) - 1)
    assert [item for batch in cut for item in batch] == items


def test_a_small_run_still_gives_every_worker_several_tasks():
    for client, jobs in ((FakeClient(4), None), (None, 4)):
        cut = batches(list(range(100)), client, jobs)
        assert len(cut) >= 4 * BATCHES_PER_WORKER
        assert max(map(len, cut)) <= (DASK_BATCH if client else LOCAL_BATCH)
