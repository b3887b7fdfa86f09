"""Peer-group statistics, as pure functions over plain data (standard library only, no ORM).

The database gives a list of scores, one per council, each a Decimal from 1 to 5; `summarise`
turns them into the figures a benchmark publishes, applying the suppression rules, and
`positions` gives each council its rank and percentile in a group. All rounding is decimal and
half up to two places (2.345 -> 2.35), never Python's float rounding.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from .figures import LEVELS, GroupFigures
from .publication import TOO_SMALL

MIN_LEVEL = LEVELS[0]
MAX_LEVEL = LEVELS[-1]

_TWO_PLACES = Decimal("0.01")
_WHOLE = Decimal(1)
_TENTH, _QUARTER, _HALF, _THREE_QUARTERS, _NINE_TENTHS = (
    Decimal(f) for f in ("0.1", "0.25", "0.5", "0.75", "0.9")
)
# The lower edge of each level band above the first: 1.5 starts level 2, and so on.
_BAND_EDGES = tuple(Decimal(level) - Decimal("0.5") for level in LEVELS[1:])
# Percentiles and means are exact in this precision for any realistic group size, so the only
# rounding is the final half-up quantize (no double rounding).
_PRECISION = 60


def _round(value: Decimal) -> Decimal:
    return value.quantize(_TWO_PLACES, rounding=ROUND_HALF_UP)


def _check(values: Sequence[Decimal]) -> None:
    for value in values:
        if not isinstance(value, Decimal) or not value.is_finite():
            raise ValueError(f"A score must be a finite Decimal, not {value!r}.")
        if not MIN_LEVEL <= value <= MAX_LEVEL:
            raise ValueError(f"A score must be from {MIN_LEVEL} to {MAX_LEVEL}, not {value}.")


def sorted_scores(values: Sequence[Decimal]) -> list[Decimal]:
    """The values in ascending order, checked as `_check` does but faster for many values:
    once sorted, only the two ends need comparing with 1 and 5 (an infinity sorts to an end,
    and ordering a NaN raises InvalidOperation)."""
    for value in values:
        if not isinstance(value, Decimal):
            raise ValueError(f"A score must be a finite Decimal, not {value!r}.")
    try:
        ordered = sorted(values)
        if ordered and not (MIN_LEVEL <= ordered[0] and ordered[-1] <= MAX_LEVEL):
            _check([ordered[0], ordered[-1]])
    except InvalidOperation:
        _check(values)
        raise  # not reached: _check finds the NaN
    return ordered


def percentile(ordered: Sequence[Decimal], fraction: Decimal) -> Decimal:
    """The `fraction` (0 to 1) percentile of sorted values by linear interpolation, unrounded.

    With n values x[0] <= ... <= x[n-1], the position is h = (n - 1) * fraction and the result
    is x[floor(h)] + (h - floor(h)) * (x[floor(h) + 1] - x[floor(h)]). This is PostgreSQL's
    percentile_cont, numpy's "linear" method and statistics.quantiles(method="inclusive").
    ValueError for no values or a fraction outside 0..1.
    """
    if not ordered:
        raise ValueError("A percentile needs at least one value.")
    if not 0 <= fraction <= 1:
        raise ValueError(f"A percentile fraction must be from 0 to 1, not {fraction}.")
    with localcontext() as context:
        context.prec = _PRECISION
        return _interpolate(ordered, fraction)


def _interpolate(ordered: Sequence[Decimal], fraction: Decimal) -> Decimal:
    """percentile() without its checks or its decimal context: the caller provides both."""
    last = len(ordered) - 1
    position = last * fraction
    below = int(position)  # floor, as position >= 0
    if below == last:
        return ordered[below]
    low = ordered[below]
    return low + (position - below) * (ordered[below + 1] - low)


def level_of(score: Decimal) -> int:
    """The level band a score falls in: the nearest level, halves up (2.5 -> 3, 2.49 -> 2).

    The same bands as assessments.scoring.level_band: 1.0-1.4 -> 1, 1.5-2.4 -> 2, and so on.
    """
    return int(score.quantize(_WHOLE, rounding=ROUND_HALF_UP))


def summarise(values: Sequence[Decimal], *, min_group: int) -> GroupFigures:
    """The published figures for one group's scores (one score per council, 1 to 5).

    Rules:
    - Fewer than `min_group` values: withheld (TOO_SMALL), with nothing but the reason, not
      even the count (see `figures`: it is shown as "fewer than `min_group` councils").
    - From `min_group` values: mean, median, lower and upper quartiles (q1, q3) and the count
      of councils at each level band (1..5, nearest level with halves up).
    - From 2 * `min_group` values only: the 10th and 90th percentiles, minimum and maximum,
      because with fewer they sit too close to a single council's score.
    - Percentiles (median and quartiles included) by linear interpolation between the two
      nearest ordered values, as PostgreSQL's percentile_cont. Every figure is rounded half up
      to two decimal places.

    The result does not depend on the order of `values`. ValueError for a value that is not a
    finite Decimal from 1 to 5, or for `min_group` below 1.
    """
    if min_group < 1:
        raise ValueError(f"min_group must be at least 1, not {min_group}.")
    return summarise_sorted(sorted_scores(values), min_group=min_group)


def summarise_sorted(ordered: Sequence[Decimal], *, min_group: int) -> GroupFigures:
    """`summarise` for values already checked and sorted in ascending order (by
    `sorted_scores`): a rebuild checks each council's score once, not once per group."""
    count = len(ordered)
    if count < min_group:
        return GroupFigures(reason=TOO_SMALL)

    extremes = count >= 2 * min_group
    with localcontext() as context:
        context.prec = _PRECISION
        mean = _round(sum(ordered, Decimal(0)) / count)

        # One decimal context for all five figures, rather than one per percentile() call.
        def at(fraction: Decimal) -> Decimal:
            return _round(_interpolate(ordered, fraction))

        median, q1, q3 = at(_HALF), at(_QUARTER), at(_THREE_QUARTERS)
        p10 = at(_TENTH) if extremes else None
        p90 = at(_NINE_TENTHS) if extremes else None

    # Bands by bisection over the sorted values (level_of for each value, without the loop).
    edges = [0, *(bisect_left(ordered, edge) for edge in _BAND_EDGES), count]
    level_counts = {level: edges[i + 1] - edges[i] for i, level in enumerate(LEVELS)}
    return GroupFigures(
        councils=count,
        mean=mean,
        median=median,
        q1=q1,
        q3=q3,
        p10=p10,
        p90=p90,
        minimum=_round(ordered[0]) if extremes else None,
        maximum=_round(ordered[-1]) if extremes else None,
        level_counts=level_counts,
    )


@dataclass(frozen=True)
class Position:
    """Where one council stands in one group, for one dimension (or the overall score)."""

    score: Decimal
    rank: int
    councils: int
    percentile: Decimal


def distribution(values: Sequence[Decimal]) -> dict[Decimal, int]:
    """How many councils have each score: {score: count}, in ascending order of score.

    Stored with a published group's result, never shown: it is what `position_in` needs to
    place one council in the group without the other councils' scores. ValueError as for
    `summarise`.
    """
    return distribution_sorted(sorted_scores(values))


def distribution_sorted(ordered: Sequence[Decimal]) -> dict[Decimal, int]:
    """`distribution` for values already checked and sorted (see `summarise_sorted`)."""
    counts: dict[Decimal, int] = {}
    start = 0
    # A handful of distinct scores among many values: jump over each run of equal ones.
    while start < len(ordered):
        end = bisect_right(ordered, ordered[start], lo=start)
        counts[ordered[start]] = end - start
        start = end
    return counts


def position_in(counts: Mapping[Decimal, int], score: Decimal) -> Position:
    """Where a council with `score` stands in a group whose scores are `counts` (see
    `distribution`; the council's own score is one of them).

    - rank: 1 for the highest score; councils with the same score share the better rank
      (scores 4, 3, 3, 2 rank 1, 2, 2, 4), that is 1 + the number of strictly higher scores;
    - percentile: the share of the group's *other* councils with a strictly lower score,
      x 100, rounded half up to 2 places (the lowest is 0, the highest 100 unless tied). A
      group of one council has no others: 0;
    - score, rounded to 2 places; councils: the group's size.

    ValueError if `score` is not among the counts, or is not a finite Decimal from 1 to 5.
    """
    _check([score])
    if counts.get(score, 0) < 1:
        raise ValueError(f"The score {score} is not one of the group's.")
    count = lower = higher = 0
    for value, number in counts.items():
        count += number
        if value < score:
            lower += number
        elif value > score:
            higher += number
    with localcontext() as context:
        context.prec = _PRECISION
        share = Decimal(0) if count == 1 else Decimal(100 * lower) / (count - 1)
    return Position(score=_round(score), rank=1 + higher, councils=count, percentile=_round(share))


def positions(scores: Mapping[int, Decimal]) -> dict[int, Position]:
    """Each council's rank and percentile among `scores` ({council id: score}, one group), as
    `position_in` gives them. Publication is decided elsewhere: use this only for a published
    group. ValueError for a score that is not a finite Decimal from 1 to 5."""
    counts = distribution(list(scores.values()))
    return {council: position_in(counts, score) for council, score in scores.items()}


def position_from(distribution: object, score: Decimal | None) -> Position | None:
    """The council's place in a published group, or None if it cannot be given (no score, or
    not in the stored distribution ({"3.4": councils, ...}))."""
    if score is None or not isinstance(distribution, dict):
        return None
    counts = {Decimal(value): int(n) for value, n in distribution.items()}
    if not counts.get(score):
        return None
    return position_in(counts, score)
