"""How batch jobs cut their files into tasks: big enough to pay for a task, enough to keep every worker busy."""
from __future__ import annotations

import pytest

from teikit.batch.engine import (BATCHES_PER_WORKER, DASK_BATCH, IN_FLIGHT_PER_WORKER, LOCAL_BATCH, batches,
                                sharing_in_order)


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



class NeverReady:
    """A worker's future as the caller sees it while it waits: not done, its result there once asked for."""

    def __init__(self, value: object) -> None:
        self.value = value

    def done(self) -> bool:
        return False

    def result(self) -> object:
        return self.value


def test_the_caller_runs_batches_while_the_pool_is_busy_and_results_keep_their_order():
    made = {"pool": 0, "here": 0}
    taken = 0
    most_waiting = 0

    def making(where):
        def make(batch):
            nonlocal most_waiting
            made[where] += 1
            most_waiting = max(most_waiting, sum(made.values()) - taken)
            result = [(where, item) for item in batch]
            return NeverReady(result) if where == "pool" else result
        return make

    progress: list[int] = []
    results = []
    for result in sharing_in_order(making("pool"), making("here"), [[i] for i in range(40)], 1, progress.append):
        results.extend(result)
        taken += 1
    assert [item for _, item in results] == list(range(40))  # batch order, whoever ran each batch
    assert made["here"] and made["pool"] and sum(made.values()) == 40 and sum(progress) == 40
    assert most_waiting <= 2 * IN_FLIGHT_PER_WORKER  # bounded, whatever the number of batches


def test_a_batch_the_caller_runs_raises_its_error_there():
    def run_here(batch):
        raise ValueError(f"bad {batch}")

    with pytest.raises(ValueError, match="bad"):
        list(sharing_in_order(NeverReady, run_here, [[1], [2], [3], [4], [5]], 1, None))
