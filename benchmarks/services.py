"""Writes for peer groups and benchmark results.

Both services are safe to run any number of times: they compute the whole answer from the
register or the frozen scores and make the database match it.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from assessments.models import AssessmentRound, AssessmentStatus, Dimension, DimensionScore
from assessments.scoring import overall_score

from .models import BenchmarkResult, PeerGroup
from .statistics import Summary, summarise

DEFAULT_MIN_GROUP = 5


def min_group_size() -> int:
    """BENCHMARK_MIN_GROUP: the fewest councils a group needs before anything is published."""
    return int(getattr(settings, "BENCHMARK_MIN_GROUP", DEFAULT_MIN_GROUP))


def _summary_fields(summary: Summary) -> dict[str, object]:
    return {
        "councils": summary.councils,
        "suppressed": summary.suppressed,
        "mean": summary.mean,
        "median": summary.median,
        "q1": summary.q1,
        "q3": summary.q3,
        "p10": summary.p10,
        "p90": summary.p90,
        "minimum": summary.minimum,
        "maximum": summary.maximum,
        "level_counts": (
            None
            if summary.level_counts is None
            else {str(level): count for level, count in summary.level_counts.items()}
        ),
    }


def _signed_off_scores(
    *, round_id: int, dimension_ids: list[int]
) -> dict[int | None, dict[int, Decimal]]:
    """{dimension id, or None for overall: {council id: score}} from one query.

    Only signed-off assessments, and only scores that exist: a dimension with no score is left
    out of the council's overall score and of that dimension's statistics.
    """
    scores: dict[int | None, dict[int, Decimal]] = {pk: {} for pk in dimension_ids}
    by_council: dict[int, list[Decimal]] = defaultdict(list)
    rows = DimensionScore.objects.filter(
        round_id=round_id,
        assessment__status=AssessmentStatus.SIGNED_OFF,
        dimension_id__in=dimension_ids,
    ).values_list("council_id", "dimension_id", "score")
    for council_id, dimension_id, score in rows:
        if score is None:  # no level was given in this dimension
            continue
        scores[dimension_id][council_id] = score
        by_council[council_id].append(score)
    overall: dict[int, Decimal] = {}
    for council_id, council_scores in by_council.items():
        council_overall = overall_score(council_scores)
        if council_overall is not None:
            overall[council_id] = council_overall
    scores[None] = overall
    return scores


def benchmarks_rebuild(*, round_id: int) -> int:
    """Recompute every benchmark result of a round and replace the old ones at once.

    Only signed-off assessments count. For each peer group, and for each dimension of the
    round's framework and the overall score (the mean of a council's dimension scores that
    exist, assessments.scoring.overall_score), the scores of the group's member councils are
    summarised with BENCHMARK_MIN_GROUP suppression (see statistics.summarise). Every group
    gets a row for every dimension and the overall score, suppressed when it has too few.

    The old rows are deleted and the new ones inserted in one transaction, so readers see the
    old set or the new one, never a mix. The query count does not depend on the number of
    groups or councils (apart from the database's insert batch size). Running it twice gives
    the same rows. Returns the number of rows written.
    """
    min_group = min_group_size()
    with transaction.atomic():
        # Lock the round so that rebuilds of one round run one after another, and read the
        # scores only once the lock is held: whichever rebuild writes last has read last,
        # so a rebuild queued by an earlier sign-off cannot overwrite a newer result.
        assessment_round = AssessmentRound.objects.select_for_update().get(pk=round_id)
        dimension_ids = list(
            Dimension.objects.filter(framework_id=assessment_round.framework_id)
            .order_by("order")
            .values_list("pk", flat=True)
        )
        scores = _signed_off_scores(round_id=round_id, dimension_ids=dimension_ids)

        members: dict[int, list[int]] = defaultdict(list)
        for group_id, council_id in PeerGroup.members.through.objects.values_list(
            "peergroup_id", "council_id"
        ):
            members[group_id].append(council_id)
        group_ids = PeerGroup.objects.order_by("pk").values_list("pk", flat=True)

        computed_at = timezone.now()
        results = []
        for group_id in group_ids:
            group_members = members[group_id]
            for subject in [*dimension_ids, None]:
                subject_scores = scores[subject]
                values = [subject_scores[c] for c in group_members if c in subject_scores]
                results.append(
                    BenchmarkResult(
                        round_id=round_id,
                        peer_group_id=group_id,
                        dimension_id=subject,
                        computed_at=computed_at,
                        **_summary_fields(summarise(values, min_group=min_group)),
                    )
                )

        BenchmarkResult.objects.filter(round_id=round_id).delete()
        BenchmarkResult.objects.bulk_create(results)
    return len(results)
