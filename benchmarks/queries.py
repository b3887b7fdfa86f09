"""Reads that combine stored benchmark results with the pure statistics."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal

from django.db.models.fields.json import KT

from assessments.models import DimensionScore
from assessments.scoring import overall_score

from .models import BenchmarkResult, BenchmarkRun
from .services import snapshot_key, snapshot_text
from .statistics import Position, position_in

# (peer group id, dimension id or None for the overall score)
GroupSubject = tuple[int, int | None]


def council_positions(*, round_id: int, council_id: int) -> dict[GroupSubject, Position]:
    """The council's rank and percentile in every published group it belongs to, for every
    dimension and the overall score: for that council's own eyes only. Three queries.

    Each position comes from the council's own frozen score and the group's stored
    distribution (statistics.position_in), never from other councils' scores. A council that
    is not signed off has no positions. Results not yet brought up to date with the council's
    latest sign-off or reopening give no position rather than a wrong one: the round's
    BenchmarkRun must say they were built from the council's scores as they are now. (Finding
    the score in a distribution is not enough: other councils may have the same score.)
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
    built_at = results_built_from(round_id=round_id, council_id=council_id, scores=dimension_scores)
    if built_at is None:
        return found
    own: dict[int | None, Decimal] = {pk: score for pk, score in dimension_scores.items()}
    overall = overall_score(dimension_scores.values())
    if overall is not None:
        own[None] = overall
    results = (
        BenchmarkResult.objects.filter(round_id=round_id)
        .published()
        .containing(council_id)
        .values_list("peer_group_id", "dimension_id", "distribution", "peer_group__updated_at")
    )
    for group_id, dimension_id, stored, group_changed_at in results:
        score = own.get(dimension_id)
        counts = {Decimal(value): number for value, number in (stored or {}).items()}
        # A group changed since the results were built (peer groups rebuilt, no reconcile
        # yet) may not count the council as it is now: no position rather than a wrong one.
        if group_changed_at > built_at:
            continue
        if score is not None and counts.get(score):
            found[(group_id, dimension_id)] = position_in(counts, score)
    return found


def results_built_from(
    *, round_id: int, council_id: int, scores: Mapping[int, Decimal]
) -> datetime | None:
    """When the round's stored results were built, if they were built from exactly these
    signed-off scores of the council ({dimension id: score}); else None. One query, reading
    only that council's entry in the run's council_scores, whatever the size of the sector.
    A group changed after that time (PeerGroup.updated_at) may not hold the council as the
    results counted it."""
    found = (
        BenchmarkRun.objects.filter(round_id=round_id)
        .annotate(entry=KT(f"council_scores__{snapshot_key(council_id)}"))
        .values_list("entry", "computed_at")
        .first()
    )
    if found is None or found[0] != snapshot_text(scores.items()):
        return None
    return found[1]
