"""side_by_side: each item once, results in order, the first failure (in order) raised."""

from __future__ import annotations

import os

import pytest

from ustpull.parallel import fork_helpers, side_by_side


def _square_and_pid(item: int) -> tuple[int, int]:
    return item * item, os.getpid()


def test_every_item_runs_once_in_order() -> None:
    results = side_by_side(_square_and_pid, list(range(12)))
    assert [value for value, _ in results] == [k * k for k in range(12)]
    if fork_helpers():  # a helper took the first items, this process the last
        assert results[0][1] != os.getpid()
        assert results[-1][1] == os.getpid()


def _fails_on_odd(item: int) -> int:
    if item % 2:
        raise ValueError(f"item {item} failed")
    return item


def test_the_first_failure_in_order_is_raised() -> None:
    with pytest.raises(ValueError, match="item 1 failed"):
        side_by_side(_fails_on_odd, [0, 1, 2, 3, 4, 5])


def test_no_items_and_one_item_run_here() -> None:
    assert side_by_side(_square_and_pid, []) == []
    assert side_by_side(_square_and_pid, [3]) == [(9, os.getpid())]
