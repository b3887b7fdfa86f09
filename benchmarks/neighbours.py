"""Nearest neighbours on standardised features: pure maths, standard library only.

`nearest_neighbours` is the open alternative to CIPFA's nearest-neighbour model that the peer
groups use (the formula is written out in benchmarks/README.md). Given a few numeric features per
item, it standardises each feature within the set passed in (z-scores with the population
standard deviation), measures Euclidean distance and returns each item's k nearest others.

Distances are compared exactly, not in floating point: every float is a binary fraction, so
the squared standardised distance of two items is a rational number, and scaling every squared
distance by one positive integer makes them all integers. That is what makes ties real ties
(broken by key) and what makes the result unchanged when a feature is shifted or multiplied by
a positive constant, however the rounding of a float z-score would have fallen.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any, Protocol, TypeVar

__all__ = ["distances", "nearest_neighbours"]


class _Key(Protocol):
    def __lt__(self, other: Any, /) -> bool: ...

    def __hash__(self) -> int: ...


K = TypeVar("K", bound=_Key)

# Items per leaf of the k-d tree: small enough to prune well, big enough that Python's
# per-node overhead does not dominate.
_LEAF_SIZE = 8


class _Space:
    """The items of one set on an exact integer scale.

    For each feature that varies, `coordinates[f][i]` is item i's value times the lowest common
    denominator of that feature's values, and `weights[f]` is a positive integer such that for
    any two items the squared standardised distance is

        sum(weights[f] * (coordinates[f][i] - coordinates[f][j]) ** 2) / divisor

    exactly. With n items and c the feature's integer values, the population variance is
    spread / (n² · denominator²) where spread = n·Σc² − (Σc)², so each feature's term is
    n²·Δc² / spread; bringing the features over one denominator gives weights of
    n² · (product of the other features' spreads) and divisor = product of all spreads.
    """

    def __init__(self, points: Sequence[Sequence[float]]) -> None:
        n = len(points)
        width = len(points[0]) if points else 0
        if any(len(point) != width for point in points):
            raise ValueError("every point needs the same number of features")
        columns: list[list[int]] = []
        spreads: list[int] = []
        for feature in range(width):
            # Fraction() refuses NaN and infinity, which have no place in a distance.
            values = [Fraction(point[feature]) for point in points]
            denominator = math.lcm(*(value.denominator for value in values))
            column = [value.numerator * (denominator // value.denominator) for value in values]
            spread = n * sum(c * c for c in column) - sum(column) ** 2
            if spread:  # a feature that does not vary says nothing about closeness
                columns.append(column)
                spreads.append(spread)
        self.coordinates = columns
        self.weights = [
            n * n * math.prod(spreads[:f] + spreads[f + 1 :]) for f in range(len(spreads))
        ]
        self.divisor = math.prod(spreads)

    def scaled_squared_distance(self, i: int, j: int) -> int:
        return sum(
            weight * (column[i] - column[j]) ** 2
            for weight, column in zip(self.weights, self.coordinates, strict=True)
        )


def distances(points: Mapping[K, Sequence[float]]) -> dict[K, dict[K, float]]:
    """The standardised Euclidean distance between every two items (for reports and tests)."""
    keys = sorted(points)
    space = _Space([points[key] for key in keys])
    return {
        a: {
            # Integer true division rounds correctly however large the integers are.
            b: math.sqrt(space.scaled_squared_distance(i, j) / space.divisor)
            if space.divisor and i != j
            else 0.0
            for j, b in enumerate(keys)
        }
        for i, a in enumerate(keys)
    }


def nearest_neighbours(points: Mapping[K, Sequence[float]], *, k: int = 15) -> dict[K, list[K]]:
    """Each item's k nearest other items, nearest first.

    Each feature is standardised within `points` (minus its mean, over its population standard
    deviation); a feature with the same value everywhere is left out. Distance is Euclidean on
    the standardised features; equal distances are ordered by key. With n items, each gets
    min(k, n - 1) neighbours. Callers pass (log population, deprivation score, log density).
    """
    if k < 0:
        raise ValueError("k must not be negative")
    keys = sorted(points)
    n = len(keys)
    if k == 0 or n < 2:
        return {key: [] for key in keys}
    space = _Space([points[key] for key in keys])
    if not space.coordinates:
        # Nothing varies: every item is at distance 0 from every other, so keys decide.
        return {key: [other for other in keys if other != key][:k] for key in keys}
    tree = _build(space, list(range(n)), depth=0)
    result: dict[K, list[K]] = {}
    for i, key in enumerate(keys):
        # A max-heap of the best candidates so far, as (-distance, -index); indices follow the
        # sorted keys, so comparing indices compares keys.
        best: list[tuple[int, int]] = []
        _search(space, tree, i, min(k, n - 1), best)
        result[key] = [keys[-index] for _, index in sorted(best, reverse=True)]
    return result


# A k-d tree: a leaf is a list of item indices; a node is (feature, split value, low, high),
# where every item in `low` has coordinate <= split and every item in `high` has >= split.
_Tree = list[int] | tuple[int, int, Any, Any]


def _build(space: _Space, indices: list[int], depth: int) -> _Tree:
    if len(indices) <= _LEAF_SIZE:
        return indices
    feature = depth % len(space.coordinates)
    column = space.coordinates[feature]
    indices = sorted(indices, key=column.__getitem__)
    middle = len(indices) // 2
    return (
        feature,
        column[indices[middle]],
        _build(space, indices[:middle], depth + 1),
        _build(space, indices[middle:], depth + 1),
    )


def _search(space: _Space, tree: _Tree, i: int, k: int, best: list[tuple[int, int]]) -> None:
    if isinstance(tree, list):
        for j in tree:
            if j == i:
                continue
            candidate = (-space.scaled_squared_distance(i, j), -j)
            if len(best) < k:
                heapq.heappush(best, candidate)
            elif candidate > best[0]:
                heapq.heapreplace(best, candidate)
        return
    feature, split, low, high = tree
    gap = space.coordinates[feature][i] - split
    near, far = (low, high) if gap < 0 else (high, low)
    _search(space, near, i, k, best)
    # Every item on the far side is at least this far along one feature alone. Visit it
    # unless that already exceeds the k-th best; at equality a smaller key could still win.
    if len(best) < k or space.weights[feature] * gap * gap <= -best[0][0]:
        _search(space, far, i, k, best)
