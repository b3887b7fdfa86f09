"""How questions and dimensions carry on from one framework version to the next.

Pure functions over (id, id it replaces) pairs read from `Question.replaces`, so trends, plans
and benchmarks follow the same lineage, and a question or dimension that has none is "no
longer comparable" everywhere.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable


def dimension_lineage(
    links: Iterable[tuple[int, int | None]],
) -> dict[int, int]:
    """{older dimension id: the dimension it became}, from (dimension id, dimension id of the
    question it replaces) pairs of every question. A dimension carries on from an older one
    only when all its questions that replace anything replace questions of that one dimension;
    chains across several versions are followed."""
    sources: dict[int, set[int]] = defaultdict(set)
    for dimension_id, replaced_dimension_id in links:
        if replaced_dimension_id is not None:
            sources[dimension_id].add(replaced_dimension_id)
    return _newest(
        {
            next(iter(older)): dimension_id
            for dimension_id, older in sources.items()
            if len(older) == 1 and next(iter(older)) != dimension_id
        }
    )


def question_lineage(links: Iterable[tuple[int, int | None]]) -> dict[int, int]:
    """{older question id: the newest question that carries it on}, from (question id, id of
    the question it replaces) pairs; chains across several versions are followed."""
    return _newest({older: newer for newer, older in links if older is not None and older != newer})


def _newest(parent: dict[int, int]) -> dict[int, int]:
    """{id: the end of its chain of successors}, from {id: its successor}; a cycle stops
    where it would repeat."""
    resolved: dict[int, int] = {}
    for older in parent:
        current, seen = older, {older}
        while current in parent and parent[current] not in seen:
            current = parent[current]
            seen.add(current)
        resolved[older] = current
    return resolved
