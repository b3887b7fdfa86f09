"""Each council's rank and percentile in the groups it belongs to: only in published groups."""

from decimal import Decimal

import pytest
from django.urls import reverse

from benchmarks.models import BenchmarkResult, CouncilPosition, PeerGroup, PeerGroupKind
from benchmarks.services import benchmarks_rebuild
from benchmarks.statistics import Position, positions
from councils.tests.factories import CouncilFactory

from .factories import AssessmentRoundFactory, DimensionFactory, scored_assessment


def d(value: str) -> Decimal:
    return Decimal(value)


# Pure ------------------------------------------------------------------------------------------


def test_ranks_share_the_better_place_on_ties_and_percentiles_count_strictly_lower():
    found = positions({1: d("4.0"), 2: d("3.0"), 3: d("3.0"), 4: d("2.0"), 5: d("1.5")})

    # Percentile: strictly lower others / 4 others x 100.
    assert found == {
        1: Position(score=d("4.00"), rank=1, councils=5, percentile=d("100.00")),  # 4 of 4
        2: Position(score=d("3.00"), rank=2, councils=5, percentile=d("50.00")),  # 2 of 4
        3: Position(score=d("3.00"), rank=2, councils=5, percentile=d("50.00")),
        4: Position(score=d("2.00"), rank=4, councils=5, percentile=d("25.00")),  # 1 of 4
        5: Position(score=d("1.50"), rank=5, councils=5, percentile=d("0.00")),
    }


def test_percentiles_round_half_up_to_two_places():
    found = positions({1: d("1.0"), 2: d("2.0"), 3: d("3.0"), 4: d("4.0")})

    # 1 of 3 others = 33.333..., 2 of 3 = 66.666...
    assert [found[c].percentile for c in (1, 2, 3, 4)] == [
        d("0.00"),
        d("33.33"),
        d("66.67"),
        d("100.00"),
    ]
    assert [found[c].rank for c in (1, 2, 3, 4)] == [4, 3, 2, 1]


def test_everyone_tied():
    found = positions({1: d("3.0"), 2: d("3.0"), 3: d("3.0")})

    assert {(p.rank, p.percentile) for p in found.values()} == {(1, d("0.00"))}


def test_a_group_of_one_has_no_others():
    assert positions({7: d("2.5")}) == {
        7: Position(score=d("2.50"), rank=1, councils=1, percentile=d("0.00"))
    }


def test_rejects_scores_outside_one_to_five():
    with pytest.raises(ValueError):
        positions({1: d("0.5")})


# Stored ----------------------------------------------------------------------------------------


def make_group(slug: str, kind: str, councils, owner=None) -> PeerGroup:
    group = PeerGroup.objects.create(slug=slug, name=slug, kind=kind, owner=owner)
    group.members.set(councils)
    return group


@pytest.fixture
def scored(db, settings):
    """Six councils with lead scores 4.0, 3.0, 3.0, 2.0, 1.5, 1.0 (the last has no data score);
    a tier group of all six, a region of five of them (one away from the tier: OVERLAP with
    k = 3), a rurality group of the first three, one of two, and a neighbour group."""
    settings.BENCHMARK_MIN_GROUP = 3
    round_ = AssessmentRoundFactory()
    lead = DimensionFactory(framework=round_.framework, order=1)
    data = DimensionFactory(framework=round_.framework, order=2)
    councils = [CouncilFactory() for _ in range(6)]
    for council, score in zip(councils, ["4.0", "3.0", "3.0", "2.0", "1.5", "1.0"], strict=True):
        data_score = None if score == "1.0" else "3.0"
        scored_assessment(council=council, round=round_, scores={lead: score, data: data_score})
    groups = {
        "tier": make_group("tier-unitary", PeerGroupKind.TIER, councils),
        "region": make_group("region-x", PeerGroupKind.REGION, councils[:5]),
        "rurality": make_group("rurality-urban", PeerGroupKind.RURALITY, councils[:3]),
        "small": make_group("rurality-rural", PeerGroupKind.RURALITY, councils[3:5]),
        "neighbours": make_group(
            "nn-0", PeerGroupKind.NEAREST_NEIGHBOURS, councils[:3], owner=councils[0]
        ),
    }
    benchmarks_rebuild(round_id=round_.pk)
    return round_, lead, data, councils, groups


def position_rows(round_, group, dimension):
    return {
        p.council: (p.score, p.rank, p.councils, p.percentile)
        for p in CouncilPosition.objects.filter(round=round_, peer_group=group, dimension=dimension)
    }


def test_positions_in_a_published_group_hand_computed(scored):
    round_, lead, data, councils, groups = scored
    a, b, c, e, f, g = councils

    assert position_rows(round_, groups["tier"], lead) == {
        a: (d("4.00"), 1, 6, d("100.00")),  # 5 of 5 others lower
        b: (d("3.00"), 2, 6, d("60.00")),  # 3 of 5
        c: (d("3.00"), 2, 6, d("60.00")),
        e: (d("2.00"), 4, 6, d("40.00")),  # 2 of 5
        f: (d("1.50"), 5, 6, d("20.00")),  # 1 of 5
        g: (d("1.00"), 6, 6, d("0.00")),
    }
    # Only councils with a score count: g has no data score, so five councils, all tied.
    assert position_rows(round_, groups["tier"], data) == {
        council: (d("3.00"), 1, 5, d("0.00")) for council in (a, b, c, e, f)
    }
    # Overall scores: means of the dimension scores each council has, to one place.
    overall = position_rows(round_, groups["tier"], None)
    assert overall[a] == (d("3.50"), 1, 6, d("100.00"))
    assert overall[g] == (d("1.00"), 6, 6, d("0.00"))


def test_positions_exactly_for_published_groups_per_dimension(scored):
    round_, lead, data, councils, groups = scored

    def reason(group: str, dimension) -> str:
        return BenchmarkResult.objects.get(
            round=round_, peer_group=groups[group], dimension=dimension
        ).suppression_reason

    # The lead scores: the region is one council short of the tier; two councils are too few.
    assert [reason(g, lead) for g in groups] == ["", "overlap", "", "too_small", ""]
    # Council g has no data score, so there the region equals the tier (published) and the
    # first three are two councils away from both.
    assert [reason(g, data) for g in groups] == ["", "", "overlap", "too_small", "overlap"]
    assert [reason(g, None) for g in groups] == ["", "overlap", "", "too_small", ""]

    for result in BenchmarkResult.objects.filter(round=round_):
        stored = CouncilPosition.objects.filter(
            round=round_, peer_group=result.peer_group, dimension=result.dimension
        )
        assert stored.count() == (0 if result.suppressed else result.councils), result
        assert result.suppressed == bool(result.suppression_reason)


def test_rebuild_replaces_positions(scored):
    round_, lead, data, councils, groups = scored
    before = set(CouncilPosition.objects.values_list("pk", flat=True))
    count = len(before)

    benchmarks_rebuild(round_id=round_.pk)

    after = set(CouncilPosition.objects.values_list("pk", flat=True))
    assert len(after) == count
    assert not before & after


def test_staff_can_see_positions_and_runs_in_the_admin(client, personas, scored):
    client.force_login(personas.staff)

    for model in ("councilposition", "benchmarkrun"):
        changelist = client.get(reverse(f"admin:benchmarks_{model}_changelist"))
        assert changelist.status_code == 200, model
        obj = changelist.context["cl"].result_list[0]
        detail = client.get(reverse(f"admin:benchmarks_{model}_change", args=[obj.pk]))
        assert detail.status_code == 200
        assert not detail.context["has_change_permission"]
        assert client.get(reverse(f"admin:benchmarks_{model}_add")).status_code == 403
