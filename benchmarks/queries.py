"""Reads that combine released benchmark figures with the pure statistics."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from assessments.models import DimensionScore
from assessments.scoring import overall_score

from .models import PublishedSet, ReleasedResult
from .statistics import Position, position_from

# (peer group id, dimension id or None for the overall score)
GroupSubject = tuple[int, int | None]


def council_positions(*, round_id: int, council_id: int) -> dict[GroupSubject, Position]:
    """The council's rank and percentile in every group it belongs to whose figures the
    round's current release shows, for every dimension and the overall score: for that
    council's own eyes only. Three queries.

    Each position comes from the council's own frozen score and the released distribution
    (statistics.position_in), never from other councils' scores, and only where the release
    counted the council with the score it has now: a council signed off (or changed) since
    the release is placed once a release includes it. (Finding the score in a distribution is
    not enough: other councils may have the same score.)
    """
    dimension_scores: dict[int, Decimal] = {
        dimension_id: score
        for dimension_id, score in DimensionScore.objects.signed_off()
        .filter(
            round_id=round_id,
            council_id=council_id,
            score__isnull=False,
        )
        .values_list("dimension_id", "score")
        if score is not None
    }
    found: dict[GroupSubject, Position] = {}
    if not dimension_scores:
        return found
    own: dict[int | None, Decimal] = {pk: score for pk, score in dimension_scores.items()}
    overall = overall_score(dimension_scores.values())
    if overall is not None:
        own[None] = overall
    results = list(
        ReleasedResult.objects.current()
        .filter(round_id=round_id)
        .published()
        .containing(council_id)
        .values_list("peer_group_id", "dimension_id", "distribution", "published_set_id")
    )
    counted = counted_scores(council_id, {set_id for *_, set_id in results})
    for group_id, dimension_id, stored, set_id in results:
        score = own.get(dimension_id)
        if score is not None and counted.get(set_id) == score:
            position = position_from(stored, score)
            if position is not None:
                found[(group_id, dimension_id)] = position
    return found


def counted_scores(council_id: int, set_ids: Iterable[int | None]) -> dict[int, Decimal]:
    """{published set id: the council's score as that set counted it}, for the sets among
    these that count the council. One query."""
    found: dict[int, Decimal] = {}
    for pk, members in PublishedSet.objects.filter(
        pk__in=[pk for pk in set_ids if pk is not None]
    ).values_list("pk", "members"):
        for council, score in members:
            if council == council_id:
                found[pk] = Decimal(score)
                break
    return found
