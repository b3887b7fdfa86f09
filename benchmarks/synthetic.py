"""A synthetic sector on a throwaway PostgreSQL database, for the `make bench` commands.

The 382 real councils, then as many synthetic copies as asked (real councils with their figures
jittered), each with signed-off scores in three rounds, and the peer groups built over them.
Not used by the portal itself or its tests.
"""

from __future__ import annotations

import datetime
import math
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

from django.core.management.base import CommandError
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
from councils.models import Council
from councils.register import DEFAULT_CSV_PATH, councils_import

from .peer_groups import peer_groups_build

FRAMEWORK_FILE = (
    Path(__file__).resolve().parents[1]
    / "assessments"
    / "framework"
    / "council-digital-maturity-v1.yaml"
)


@contextmanager
def throwaway_database() -> Iterator[None]:
    """A fresh test database on the configured PostgreSQL server, destroyed afterwards."""
    if connection.vendor != "postgresql":
        raise CommandError("The benchmark needs PostgreSQL: run it through `make bench`.")
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


def bench_rounds() -> list[AssessmentRound]:
    """The real register, the framework, and three open rounds (2024, 2025, 2026), oldest
    first."""
    councils_import(path=DEFAULT_CSV_PATH)
    framework = framework_import(path=FRAMEWORK_FILE).framework
    return [
        AssessmentRound.objects.create(
            name_en=f"Bench {year}",
            slug=f"bench-{year}",
            framework=framework,
            opens_on=datetime.date(year, 4, 1),
            closes_on=datetime.date(year + 1, 3, 31),
            status=RoundStatus.OPEN,
        )
        for year in (2024, 2025, 2026)
    ]


def grow_sector(multiple: int, made: int) -> None:
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
                la_code="Z" + base36(serial, 3),
                short_name_en=f"{council.short_name_en} copy {copy}",
                name_en=f"{council.name_en} (synthetic copy {copy})",
                short_name_cy="",  # unique where set; copies go by their English name
                name_cy="",
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
        sign_off(round_, ids, dimensions, rng, share=0.85)
    started = time.perf_counter()
    peer_groups_build()
    grow_sector.peer_groups_seconds = time.perf_counter() - started  # type: ignore[attr-defined]


def base36(number: int, width: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    for _ in range(width):
        number, digit = divmod(number, 36)
        out = digits[digit] + out
    return out


def sign_off(
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
