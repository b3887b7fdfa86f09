"""Councils that have climbed a barrier: only those that offered, never their scores."""

import datetime

import pytest

from assessments.tests.factories import AssessmentRoundFactory, scored_assessment, small_framework
from benchmarks.climbers import climbers_for, qualifies
from benchmarks.models import PeerGroup, PeerGroupKind
from councils.tests.factories import CouncilFactory
from plans.models import SharingOffer


@pytest.mark.parametrize(
    ("bands", "expected"),
    [
        ([3, 2], True),
        ([4], True),
        ([5, 5], True),
        ([3, 3], False),
        ([2, 3], False),
        ([3], False),
        ([None, 1], False),
        ([3, None], False),
        ([], False),
    ],
)
def test_qualifies(bands, expected):
    assert qualifies(bands) is expected


@pytest.mark.django_db
def test_only_opted_in_councils_that_climbed_are_listed_neighbours_first(
    django_assert_max_num_queries,
):
    framework = small_framework(dimensions=1, questions=1)
    dimension = framework.dimensions.get()
    earlier = AssessmentRoundFactory(framework=framework, opens_on=datetime.date(2025, 4, 1))
    latest = AssessmentRoundFactory(framework=framework, opens_on=datetime.date(2026, 4, 1))
    me = CouncilFactory(name="Viewer", region="North East")
    rows = {
        "Zed (neighbour, climbed)": ("2.0", "3.0", True, "Elsewhere"),
        "Alpha (same region, climbed)": ("1.0", "2.0", True, "North East"),
        "Beta (climbed, no offer)": ("1.0", "3.0", False, "North East"),
        "Gamma (offered, flat)": ("3.0", "3.0", True, "North East"),
        "Delta (level 4)": (None, "4.0", True, "London"),
    }
    neighbours = PeerGroup.objects.create(
        slug="viewer-nn",
        name="Viewer's neighbours",
        kind=PeerGroupKind.NEAREST_NEIGHBOURS,
        owner=me,
    )
    for name, (before, now, offered, region) in rows.items():
        council = CouncilFactory(name=name, region=region)
        if before is not None:
            scored_assessment(council=council, round=earlier, scores={dimension: before})
        scored_assessment(council=council, round=latest, scores={dimension: now})
        if offered:
            SharingOffer.objects.create(
                council=council,
                dimension_code=dimension.code,
                contact_name=f"Contact {name}",
                contact_email="team@council.example",
            )
        if name.startswith("Zed"):
            neighbours.members.add(council)

    with django_assert_max_num_queries(3):
        found = climbers_for(me, [dimension.code])

    assert [c.council_name for c in found[dimension.code]] == [
        "Zed (neighbour, climbed)",
        "Alpha (same region, climbed)",
        "Delta (level 4)",
    ]
    assert "score" not in repr(found[dimension.code][0]).lower()
