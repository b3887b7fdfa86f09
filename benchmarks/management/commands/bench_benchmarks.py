"""`make bench`: how benchmark computation scales, against a hand-written SQL floor.

Builds a synthetic sector on a throwaway PostgreSQL database: the 382 real councils, then 10x and
100x as many synthetic councils (copies of real ones with their figures jittered), each with
three rounds of signed-off scores. For each size it prints one JSON line: a full recompute of one
round, an incremental recompute after one more sign-off, and the floor — the same statistics
(count, mean, quartiles, 10th and 90th percentiles, minimum, maximum per group and dimension) from
one SQL query with percentile_cont — and the ratio ours/floor. Each figure is the median of
three runs. Then a line (`"measure": "peer_groups"`): building every peer group from empty
tables at that size, and how much that grew since the last size beside linear and n log n
growth. Then a line (`"measure": "release"`): the time to make the round's first
release (every group published, kept or withheld by `release_rule`), the time of the next
release job after one more sign-off (which reads and decides everything again, and usually
finds nothing to change), and the release's size in rows and bytes. Figures only, no pass or
fail.
"""

from __future__ import annotations

import json
import math
import random
import statistics
import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from assessments.models import AssessmentRound, Dimension, DimensionScore
from benchmarks.models import PeerGroup, PublishedSet, Release, ReleasedResult
from benchmarks.peer_groups import peer_groups_build
from benchmarks.releases import release_make
from benchmarks.services import benchmarks_rebuild, benchmarks_update_for_council
from benchmarks.synthetic import bench_rounds, grow_sector, sign_off, throwaway_database
from councils.models import Council

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
        with throwaway_database():
            rounds = bench_rounds()
            dimensions = list(Dimension.objects.for_framework(rounds[-1].framework_id))
            made = 0
            previous: dict | None = None
            for multiple in [int(size) for size in sizes.split(",")]:
                grow_sector(multiple, made)
                made = multiple
                measured = _measure(multiple, rounds, dimensions)
                self.stdout.write(json.dumps(measured))
                self.stdout.write(json.dumps(_measure_peer_groups(measured, previous)))
                previous = measured
                self.stdout.write(json.dumps(_measure_release(multiple, rounds[-1], dimensions)))


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
        sign_off(round_, [council.pk], dimensions, random.Random(f"one more {attempt}"), share=1.0)
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
        "peer_groups_build_s": round(getattr(grow_sector, "peer_groups_seconds", 0.0), 3),
        "full_recompute_s": round(full, 3),
        "incremental_s": round(statistics.median(incremental), 3),
        "floor_sql_s": round(floor, 3),
        "floor_rows": floor_rows[-1],
        "ratio_full_to_floor": round(full / floor, 2) if floor else None,
        "repeats": REPEATS,
    }


def _peer_groups_from_empty(_: int) -> None:
    """Every peer group built into empty tables, foreign keys checked as rows go in (not at
    a commit that never comes): the whole cost, then rolled back."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE benchmarks_peergroup CASCADE")
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        peer_groups_build()
        transaction.set_rollback(True)


def _measure_peer_groups(measured: dict, previous: dict | None) -> dict:
    """How building peer groups grows with the sector: the time from empty at this size, and
    its growth since the last size beside what linear and n log n growth would be."""
    seconds = _median_seconds(_peer_groups_from_empty)
    measured["peer_groups_from_empty_s"] = seconds
    line = {
        "measure": "peer_groups",
        "multiple": measured["multiple"],
        "councils": measured["councils"],
        "peer_groups": measured["peer_groups"],
        "from_empty_s": round(seconds, 3),
        "update_while_growing_s": measured["peer_groups_build_s"],
        "repeats": REPEATS,
    }
    if previous is not None:
        n, p = measured["councils"], previous["councils"]
        line["growth"] = {
            "since_councils": p,
            "time": round(seconds / previous["peer_groups_from_empty_s"], 1),
            "linear": round(n / p, 1),
            "n_log_n": round(n * math.log(n) / (p * math.log(p)), 1),
        }
    return line


def _measure_release(multiple: int, round_: AssessmentRound, dimensions: list[Dimension]) -> dict:
    def first_release(_: int) -> None:
        Release.objects.filter(round=round_).delete()  # its rows and recorded sets with it
        release_make(round_id=round_.pk)

    first_release(0)  # warm up
    first = _median_seconds(first_release)
    release = Release.objects.get(round=round_, current=True)

    later = []
    unsigned = Council.objects.exclude(assessments__round=round_).order_by("gss_code")
    for attempt, council in enumerate(unsigned[:REPEATS]):
        sign_off(round_, [council.pk], dimensions, random.Random(f"release {attempt}"), share=1.0)
        benchmarks_update_for_council(round_id=round_.pk, council_id=council.pk)
        started = time.perf_counter()
        release_make(round_id=round_.pk)
        later.append(time.perf_counter() - started)

    rows = ReleasedResult.objects.filter(release=release).count()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_total_relation_size('benchmarks_releasedresult'),"
            " pg_total_relation_size('benchmarks_publishedset')"
        )
        result_bytes, set_bytes = cursor.fetchone()
    return {
        "measure": "release",
        "multiple": multiple,
        "councils": Council.objects.count(),
        "first_release_s": round(first, 3),
        "next_release_s": round(statistics.median(later), 3),
        "released_rows": rows,
        "published_sets": PublishedSet.objects.filter(round=round_).count(),
        "releases": Release.objects.filter(round=round_).count(),
        "table_bytes": {"releasedresult": result_bytes, "publishedset": set_bytes},
        "repeats": REPEATS,
    }
