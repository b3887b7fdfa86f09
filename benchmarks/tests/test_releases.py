"""Releases (benchmarks.releases.release_make) on the database: figures move in steps of at
least k councils, a release is made only when something changes, and every figure ever
released was built from the set of scores recorded for it."""

import random
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from assessments.models import DimensionScore
from assessments.tests.factories import (
    AssessmentRoundFactory,
    DimensionFactory,
    FrameworkFactory,
    scored_assessment,
)
from benchmarks.figures import FIGURES
from benchmarks.models import PeerGroupKind, PublishedSet, Release, ReleasedResult
from benchmarks.release_rule import Published, violations
from benchmarks.releases import release_make
from benchmarks.statistics import summarise
from councils.tests.factories import CouncilFactory

from .factories import make_group

pytestmark = pytest.mark.django_db
K = 3


@pytest.fixture
def round_(settings):
    settings.BENCHMARK_MIN_GROUP = K
    framework = FrameworkFactory()
    DimensionFactory(framework=framework, order=1)
    return AssessmentRoundFactory(framework=framework)


def sign_off(round_, council, score="3.0"):
    dimension = round_.framework.dimensions.get()
    return scored_assessment(council=council, round=round_, scores={dimension: score})


def overall(release):
    return ReleasedResult.objects.get(release=release, dimension=None)


def test_figures_move_only_when_k_more_councils_have_signed_off(round_):
    councils = [CouncilFactory() for _ in range(7)]
    make_group("all", PeerGroupKind.ALL, councils)
    for council, score in zip(councils[:3], ["2.0", "3.0", "4.0"], strict=True):
        sign_off(round_, council, score)

    first = release_make(round_id=round_.pk)
    assert first is not None and first.number == 1
    assert (overall(first).suppressed, overall(first).councils) == (False, 3)
    assert overall(first).median == Decimal("3.00")

    sign_off(round_, councils[3], "5.0")
    assert release_make(round_id=round_.pk) is None  # one more: the figures stay as they were

    sign_off(round_, councils[4], "5.0")
    sign_off(round_, councils[5], "5.0")
    third = release_make(round_id=round_.pk)
    assert third is not None and third.number == 2
    assert overall(third).councils == 6 and overall(third).as_of == third.made_at
    assert list(Release.objects.filter(round=round_, current=True)) == [third]


def test_a_group_keeps_its_figures_and_their_date_while_another_moves(round_):
    councils = [CouncilFactory() for _ in range(9)]
    all_uk = make_group("all", PeerGroupKind.ALL, councils)
    region = make_group("region-x", PeerGroupKind.REGION, councils[:3])
    for council in councils[:6]:
        sign_off(round_, council)
    first = release_make(round_id=round_.pk)
    sign_off(round_, councils[6])
    assert release_make(round_id=round_.pk) is None  # All UK 6 -> 7: kept

    for council in councils[7:]:
        sign_off(round_, council)
    second = release_make(round_id=round_.pk)

    assert second is not None
    moved = ReleasedResult.objects.get(release=second, dimension=None, peer_group=all_uk)
    kept = ReleasedResult.objects.get(release=second, dimension=None, peer_group=region)
    assert (moved.councils, moved.as_of) == (9, second.made_at)
    assert (kept.councils, kept.as_of) == (3, first.made_at)
    assert first.results.get(dimension=None, peer_group=all_uk).councils == 6


def test_a_changed_score_after_reopening_is_not_released_on_its_own(round_):
    councils = [CouncilFactory() for _ in range(5)]
    make_group("all", PeerGroupKind.ALL, councils)
    for council in councils:
        sign_off(round_, council, "3.0")
    first = release_make(round_id=round_.pk)

    DimensionScore.objects.filter(council=councils[0]).update(score=Decimal("4.5"))

    assert release_make(round_id=round_.pk) is None
    assert overall(first).mean == Decimal("3.00")


def test_running_it_again_makes_nothing(round_):
    councils = [CouncilFactory() for _ in range(4)]
    make_group("all", PeerGroupKind.ALL, councils)
    for council in councils:
        sign_off(round_, council)

    assert release_make(round_id=round_.pk) is not None
    assert release_make(round_id=round_.pk) is None
    assert Release.objects.filter(round=round_).count() == 1


def test_only_the_last_two_releases_keep_their_figures(round_):
    councils = [CouncilFactory() for _ in range(12)]
    make_group("all", PeerGroupKind.ALL, councils)
    releases = []
    for batch in (councils[:3], councils[3:6], councils[6:9], councils[9:]):
        for council in batch:
            sign_off(round_, council)
        releases.append(release_make(round_id=round_.pk))

    kept = set(ReleasedResult.objects.filter(round=round_).values_list("release", flat=True))
    assert kept == {releases[2].pk, releases[3].pk}
    # The releases and every set ever published stay: the rule's history is not pruned.
    assert Release.objects.filter(round=round_).count() == 4
    assert PublishedSet.objects.filter(round=round_).count() == 4 * 2  # dimension and overall
    assert overall(releases[3]).councils == 12


def test_a_release_with_nothing_to_show_still_says_why(round_):
    make_group("all", PeerGroupKind.ALL, [CouncilFactory() for _ in range(4)])

    release = release_make(round_id=round_.pk)

    assert release is not None
    assert (overall(release).suppressed, overall(release).suppression_reason) == (
        True,
        "too_small",
    )


# Every figure ever released, over random histories ----------------------------------------

STEPS = st.lists(
    st.sampled_from(["sign_off", "reopen", "change", "regroup", "release"]), max_size=25
)


@hypothesis_settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=STEPS, seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_no_two_figures_ever_released_differ_by_fewer_than_k(round_, steps, seed):
    # Each example starts from the same empty round: its writes are rolled back after it.
    with transaction.atomic():
        released_without_subtraction(round_, steps, random.Random(seed))
        transaction.set_rollback(True)


def released_without_subtraction(round_, steps, rng):
    councils = [CouncilFactory() for _ in range(10)]
    groups = [
        make_group(f"g{i}", rng.choice(list(PeerGroupKind)[:-2]), rng.sample(councils, 6))
        for i in range(3)
    ]
    signed: dict[int, object] = {}
    for step in [*steps, "release"]:
        council = rng.choice(councils)
        if step == "sign_off" and council.pk not in signed:
            signed[council.pk] = sign_off(round_, council, str(Decimal(rng.randint(10, 50)) / 10))
        elif step == "change" and council.pk in signed:
            DimensionScore.objects.filter(council=council, round=round_).update(
                score=Decimal(rng.randint(10, 50)) / 10
            )
        elif step == "reopen" and council.pk in signed:
            signed.pop(council.pk).delete()
        elif step == "regroup":
            rng.choice(groups).members.set(rng.sample(councils, rng.randint(0, 10)))
        elif step == "release":
            release_make(round_id=round_.pk)

    # Every set ever published (older releases' figures are pruned; their sets never are).
    sets = {s.pk: s for s in PublishedSet.objects.filter(round=round_)}
    members_of = {
        pk: frozenset((c, Decimal(score)) for c, score in s.members) for pk, s in sets.items()
    }
    published = [Published(members_of[pk], s.owner_id) for pk, s in sets.items()]
    for row in ReleasedResult.objects.filter(round=round_, suppressed=False):
        members = members_of[row.published_set_id]
        # The figures shown are the figures of exactly the recorded scores.
        expected = summarise(sorted(score for _, score in members), min_group=K)
        assert [getattr(row, name) for name in FIGURES] == [
            getattr(expected, name) for name in FIGURES
        ]
        assert row.councils == len(members)
    assert violations(published, min_group=K) == []
