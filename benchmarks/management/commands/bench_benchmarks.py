"""`make bench`: how benchmark computation scales, against a hand-written SQL floor.

Builds a synthetic sector on a throwaway PostgreSQL database: the 382 real councils, then 10x and
100x as many synthetic councils (copies of real ones with their figures jittered), each with
three rounds of signed-off scores. For each size it prints one JSON line: a full recompute of one
round, an incremental recompute after one more sign-off, and the floor — the same statistics
(count, mean, quartiles, 10th and 90th percentiles, minimum, maximum per group and dimension) from
one SQL query with percentile_cont — and the ratio ours/floor. Each figure is the median of
three runs. Figures only, no pass or fail.
"""

from __future__ import annotations

import datetime
import json
import math
import random
import statistics
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import setup_test_environment, teardown_test_environment
from django.utils import timezone

from assessments.framework_import import framework_import
from assessments.models import (
    Assessment,
    AssessmentRound,
    AssessmentStatus,
    Dimension,
    DimensionScore,
    RoundStatus,
)
from benchmarks.models import PeerGroup
from benchmarks.peer_groups import peer_groups_build
from benchmarks.services import benchmarks_rebuild, benchmarks_update_for_council
from councils.models import Council
from councils.services import DEFAULT_CSV_PATH, councils_import

FRAMEWORK_FILE = (
    Path(__file__).resolve().parents[3]
    / "assessments"
    / "framework"
    / "council-digital-maturity-v1.yaml"
)

FLOOR_SQL = """
SELECT m.peergroup_id, s.dimension_id, count(*), avg(s.score),
       percentile_cont(ARRAY[0.1, 0.25, 0.5, 0.75, 0.9]) WITHIN GROUP (ORDER BY s.score),
       min(s.score), max(s.score)
FROM assessments_dimensionscore s
JOIN assessments_assessment a ON a.id = s.assessment_id AND a.status = 'signed_off'
JOIN benchmarks_peergroup_members m ON m.council_id = s.council_id
WHERE s.round_id = %s AND s.score IS NOT NULL
GROUP BY m.peergroup_id, s.dimension_id
"""


class Command(BaseCommand):
    help = "Print benchmark recompute timings at 1x, 10x and 100x the sector (PostgreSQL)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--sizes", default="1,10,100", help="Multiples of the 382 councils.")

    def handle(self, *args: Any, sizes: str, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark needs PostgreSQL: run it through `make bench`.")
        setup_test_environment()
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            councils_import(path=DEFAULT_CSV_PATH)
            framework = framework_import(path=FRAMEWORK_FILE).framework
            dimensions = list(Dimension.objects.filter(framework=framework))
            rounds = [
                AssessmentRound.objects.create(
                    name=f"Bench {year}",
                    slug=f"bench-{year}",
                    framework=framework,
                    opens_on=datetime.date(year, 4, 1),
                    closes_on=datetime.date(year + 1, 3, 31),
                    status=RoundStatus.OPEN,
                )
                for year in (2024, 2025, 2026)
            ]
            made = 0
            for multiple in [int(size) for size in sizes.split(",")]:
                _grow_sector(multiple, made)
                made = multiple
                self.stdout.write(json.dumps(_measure(multiple, rounds, dimensions)))
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
            teardown_test_environment()


def _grow_sector(multiple: int, made: int) -> None:
    """Grow the sector from `made` x to `multiple` x 382 councils, each with scores in every
    round (0 means nothing yet: the real councils are signed off first)."""
    rng = random.Random(f"bench:{multiple}")
    real = list(Council.objects.filter(gss_code__regex=r"^[ENSW][0-9]{8}$").order_by("gss_code"))
    ids = [c.pk for c in real] if made == 0 else []
    fields = [
        f.name for f in Council._meta.concrete_fields if f.name not in ("id", "parent_county")
    ]
    copies = []
    for copy in range(max(made, 1), multiple):
        for index, council in enumerate(real):
            values = {name: getattr(council, name) for name in fields}
            jitter = math.exp(rng.gauss(0, 0.2))
            serial = (copy - 1) * len(real) + index
            values.update(
                gss_code=f"Z{copy:03d}{index:05d}",
                la_code="Z" + _base36(serial, 3),
                short_name=f"{council.short_name} copy {copy}",
                name=f"{council.name} (synthetic copy {copy})",
                population=max(1000, int(council.population * jitter)),
                density_per_km2=Decimal(str(round(float(council.density_per_km2) * jitter, 1))),
                deprivation_score=Decimal(
                    str(round(max(1.0, float(council.deprivation_score) + rng.gauss(0, 3)), 2))
                ),
                notes="Synthetic council for make bench.",
            )
            copies.append(Council(**values))
    Council.objects.bulk_create(copies, batch_size=5000)
    ids += [c.pk for c in copies]
    dimensions = list(Dimension.objects.order_by("order"))
    for round_ in AssessmentRound.objects.order_by("opens_on"):
        _sign_off(round_, ids, dimensions, rng, share=0.85)
    started = time.perf_counter()
    peer_groups_build()
    _grow_sector.peer_groups_seconds = time.perf_counter() - started  # type: ignore[attr-defined]


def _base36(number: int, width: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    for _ in range(width):
        number, digit = divmod(number, 36)
        out = digits[digit] + out
    return out


def _sign_off(
    round_: AssessmentRound,
    council_ids: list[int],
    dimensions: list[Dimension],
    rng: random.Random,
    *,
    share: float,
) -> None:
    now = timezone.now()
    chosen = [pk for pk in council_ids if rng.random() < share]
    with transaction.atomic():
        assessments = Assessment.objects.bulk_create(
            [
                Assessment(
                    council_id=pk,
                    round=round_,
                    status=AssessmentStatus.SIGNED_OFF,
                    submitted_at=now,
                    signed_off_at=now,
                )
                for pk in chosen
            ],
            batch_size=5000,
        )
        scores = []
        for assessment in assessments:
            base = rng.uniform(1.5, 4.0)
            for dimension in dimensions:
                value = min(5.0, max(1.0, base + rng.gauss(0, 0.6)))
                scores.append(
                    DimensionScore(
                        assessment=assessment,
                        dimension=dimension,
                        council_id=assessment.council_id,
                        round=round_,
                        score=Decimal(str(round(value, 1))),
                        band=min(5, max(1, round(value))),
                        coverage=Decimal("1.000"),
                        respondents=3,
                        spread=Decimal("0.50"),
                        frozen_at=now,
                    )
                )
        DimensionScore.objects.bulk_create(scores, batch_size=10000)


REPEATS = 3


def _median_seconds(run: Any, repeats: int = REPEATS) -> float:
    """The median wall time of `repeats` calls (the machine is shared: one call is noisy)."""
    times = []
    for attempt in range(repeats):
        started = time.perf_counter()
        run(attempt)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _measure(multiple: int, rounds: list[AssessmentRound], dimensions: list[Dimension]) -> dict:
    round_ = rounds[-1]
    councils = Council.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics for ours and the floor alike
    benchmarks_rebuild(round_id=round_.pk)  # warm up caches and plans
    full = _median_seconds(lambda _: benchmarks_rebuild(round_id=round_.pk))

    # One more council signs off; only the groups that contain it are recomputed. A different
    # council each time, so that every repeat has one new sign-off to take in.
    unsigned = list(
        Council.objects.exclude(assessments__round=round_).order_by("gss_code")[:REPEATS]
    )
    assert len(unsigned) == REPEATS

    incremental = []
    for attempt, council in enumerate(unsigned):
        _sign_off(round_, [council.pk], dimensions, random.Random(f"one more {attempt}"), share=1.0)
        started = time.perf_counter()
        benchmarks_update_for_council(round_id=round_.pk, council_id=council.pk)
        incremental.append(time.perf_counter() - started)

    with connection.cursor() as cursor:

        def floor_query(_: int) -> None:
            cursor.execute(FLOOR_SQL, [round_.pk])
            floor_rows.append(len(cursor.fetchall()))

        floor_rows: list[int] = []
        floor_query(0)  # warm up
        floor = _median_seconds(floor_query)
    return {
        "multiple": multiple,
        "councils": councils,
        "peer_groups": PeerGroup.objects.count(),
        "signed_off_scores": DimensionScore.objects.filter(round=round_).count(),
        "peer_groups_build_s": round(getattr(_grow_sector, "peer_groups_seconds", 0.0), 3),
        "full_recompute_s": round(full, 3),
        "incremental_s": round(statistics.median(incremental), 3),
        "floor_sql_s": round(floor, 3),
        "floor_rows": floor_rows[-1],
        "ratio_full_to_floor": round(full / floor, 2) if floor else None,
        "repeats": REPEATS,
    }
