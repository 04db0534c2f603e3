"""One bounded cache for what a long-lived process compiles or renders again and again.

A worker of a cluster validates corpus after corpus, ``teikit serve`` renders page after
page: what they keep must not grow with the number of schemas, runs or URLs they have
seen.  :class:`BoundedCache` keeps the newest ``size`` values by key and drops the least
recently used first.  Threads may share one: its bookkeeping is locked, while a value is made
outside the lock (two threads missing the same key at once both make it; one is kept).
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable, Generic, Hashable, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BoundedCache(Generic[K, V]):
    """The newest ``size`` values by key (least recently used out first).

    >>> squares = BoundedCache[int, int](2)
    >>> squares.get(3, lambda: 9), squares.get(4, lambda: 16), squares.get(5, lambda: 25)
    (9, 16, 25)
    >>> 3 in squares, len(squares)
    (False, 2)
    """

    def __init__(self, size: int):
        if size < 1:
            raise ValueError(f"a cache keeps at least one value, not {size}")
        self.size = size
        self._values: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K, make: Callable[[], V]) -> V:
        """The value kept for ``key``, else ``make()``'s, kept (nothing is kept when it raises)."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = make()
        with self._lock:
            self._values[key] = value
            if len(self._values) > self.size:
                self._values.popitem(last=False)
        return value

    def __contains__(self, key: object) -> bool:
        return key in self._values

    def __len__(self) -> int:
        return len(self._values)
