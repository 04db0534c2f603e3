"""teikit.caching.BoundedCache: what long-lived workers and the server keep stays bounded."""
from __future__ import annotations

import pytest

from teikit.caching import BoundedCache


def test_keeps_the_newest_values_and_drops_the_least_recently_used() -> None:
    made: list[str] = []
    cache: BoundedCache[str, str] = BoundedCache(2)

    def make(key: str) -> str:
        made.append(key)
        return key.upper()

    assert cache.get("a", lambda: make("a")) == "A"
    assert cache.get("b", lambda: make("b")) == "B"
    assert cache.get("a", lambda: make("a")) == "A"  # kept: not made again, and now the newest
    assert cache.get("c", lambda: make("c")) == "C"  # "b" was used least recently: it goes
    assert made == ["a", "b", "c"]
    assert "a" in cache and "c" in cache and "b" not in cache
    assert len(cache) == 2


def test_a_value_that_cannot_be_made_is_not_kept() -> None:
    cache: BoundedCache[str, int] = BoundedCache(4)

    def fail() -> int:
        raise RuntimeError("schema does not compile")

    with pytest.raises(RuntimeError):
        cache.get("bad", fail)
    assert "bad" not in cache
    assert cache.get("bad", lambda: 1) == 1


def test_refuses_a_size_below_one() -> None:
    with pytest.raises(ValueError, match="at least one"):
        BoundedCache(0)
