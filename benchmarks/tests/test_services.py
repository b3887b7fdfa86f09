import random
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.models import AssessmentStatus
from benchmarks.models import BenchmarkResult, PeerGroup, PeerGroupKind
from benchmarks.peer_groups import peer_groups_build
from benchmarks.services import benchmarks_rebuild
from benchmarks.statistics import percentile
from benchmarks.tasks import rebuild_round_benchmarks
from councils.models import Council, CouncilType, Nation, Tier
from councils.tests.factories import CouncilFactory, NetworkFactory

from .factories import AssessmentRoundFactory, DimensionFactory, scored_assessment

pytestmark = pytest.mark.django_db

FIGURES = ("mean", "median", "q1", "q3", "p10", "p90", "minimum", "maximum")


def english(region: str, **kwargs) -> Council:
    return CouncilFactory(nation=Nation.ENGLAND, region=region, **kwargs)


def members(slug: str) -> set[Council]:
    return set(PeerGroup.objects.get(slug=slug).members.all())


@pytest.fixture
def register():
    """Two North East unitaries, a South East county and district, a Welsh and a Scottish
    council; one network with two of them and one with none."""
    hartlepool = english("North East")
    middlesbrough = english("North East")
    kent = english("South East", council_type=CouncilType.COUNTY, tier=Tier.UPPER)
    dover = english("South East", council_type=CouncilType.DISTRICT, tier=Tier.LOWER)
    cardiff = CouncilFactory(
        nation=Nation.WALES, region="Wales", council_type=CouncilType.WELSH_UNITARY
    )
    fife = CouncilFactory(
        nation=Nation.SCOTLAND, region="Scotland", council_type=CouncilType.SCOTTISH_UNITARY
    )
    partnership = NetworkFactory(slug="north-east", members=[hartlepool, middlesbrough])
    empty = NetworkFactory(slug="empty")
    return locals()


# Peer groups ---------------------------------------------------------------------------


def test_peer_groups_build_makes_every_group_with_exact_members(register):
    r = register

    count = peer_groups_build()

    everyone = {r["hartlepool"], r["middlesbrough"], r["kent"], r["dover"], r["cardiff"]}
    everyone.add(r["fife"])
    expected = {
        "all": everyone,
        "nation-england": {r["hartlepool"], r["middlesbrough"], r["kent"], r["dover"]},
        "nation-wales": {r["cardiff"]},
        "nation-scotland": {r["fife"]},
        "type-unitary": {r["hartlepool"], r["middlesbrough"]},
        "type-county": {r["kent"]},
        "type-district": {r["dover"]},
        "type-welsh_unitary": {r["cardiff"]},
        "type-scottish_unitary": {r["fife"]},
        "tier-unitary": {r["hartlepool"], r["middlesbrough"], r["cardiff"], r["fife"]},
        "tier-upper": {r["kent"]},
        "tier-lower": {r["dover"]},
        # Only English regions: elsewhere the register's region is the nation.
        "region-north-east": {r["hartlepool"], r["middlesbrough"]},
        "region-south-east": {r["kent"], r["dover"]},
        "network-north-east": {r["hartlepool"], r["middlesbrough"]},
        "network-empty": set(),
    }
    assert count == len(expected)
    assert set(PeerGroup.objects.values_list("slug", flat=True)) == set(expected)
    for slug, councils in expected.items():
        assert members(slug) == councils, slug
    network_group = PeerGroup.objects.get(slug="network-north-east")
    assert network_group.kind == PeerGroupKind.NETWORK
    assert network_group.network == r["partnership"]
    assert PeerGroup.objects.get(slug="region-south-east").name == "South East region"


def test_peer_groups_build_twice_changes_nothing(register):
    peer_groups_build()
    before = {
        group.slug: (group.pk, group.name, group.updated_at, set(group.members.all()))
        for group in PeerGroup.objects.all()
    }

    count = peer_groups_build()

    after = {
        group.slug: (group.pk, group.name, group.updated_at, set(group.members.all()))
        for group in PeerGroup.objects.all()
    }
    assert count == len(before)
    assert after == before


def test_peer_groups_build_follows_changes_to_the_register(register):
    r = register
    peer_groups_build()
    untouched = PeerGroup.objects.get(slug="nation-scotland").updated_at
    dover = r["dover"]
    dover.region = "North East"
    dover.save()
    r["partnership"].members.remove(r["middlesbrough"])
    r["empty"].delete()

    peer_groups_build()

    assert members("region-north-east") == {r["hartlepool"], r["middlesbrough"], dover}
    assert members("region-south-east") == {r["kent"]}
    assert members("network-north-east") == {r["hartlepool"]}
    assert not PeerGroup.objects.filter(slug="network-empty").exists()
    assert PeerGroup.objects.get(slug="nation-scotland").updated_at == untouched
    assert PeerGroup.objects.get(slug="region-south-east").updated_at > untouched

    kent = r["kent"]
    kent.region = "North East"
    kent.save()
    peer_groups_build()

    # A region with no councils left is no longer a group.
    assert not PeerGroup.objects.filter(slug="region-south-east").exists()


def test_peer_groups_build_with_no_councils_makes_no_groups():
    assert peer_groups_build() == 0
    assert not PeerGroup.objects.exists()


# Benchmark results ---------------------------------------------------------------------


@pytest.fixture
def min_group_2(settings):
    settings.BENCHMARK_MIN_GROUP = 2


@pytest.fixture
def sector(min_group_2):
    """A round with two dimensions and five North East councils, all in one network."""
    round_ = AssessmentRoundFactory()
    lead = DimensionFactory(framework=round_.framework, order=1)
    data = DimensionFactory(framework=round_.framework, order=2)
    councils = [english("North East") for _ in range(5)]
    NetworkFactory(slug="partnership", members=councils[:3])
    peer_groups_build()
    return round_, lead, data, councils


def result(round_, slug: str, dimension=None) -> BenchmarkResult:
    return BenchmarkResult.objects.get(round=round_, peer_group__slug=slug, dimension=dimension)


def snapshot(round_) -> list[tuple]:
    return list(
        BenchmarkResult.objects.filter(round=round_)
        .order_by("peer_group_id", "dimension_id")
        .values_list("peer_group_id", "dimension_id", "councils", "suppressed", *FIGURES)
    )


def test_rebuild_counts_only_signed_off_assessments(sector):
    round_, lead, data, councils = sector
    a, b, c, d, e = councils
    scored_assessment(council=a, round=round_, scores={lead: "1.0", data: "2.0"})
    scored_assessment(council=b, round=round_, scores={lead: "2.0", data: "3.0"})
    scored_assessment(council=c, round=round_, scores={lead: "4.0", data: None})
    # Submitted but not signed off, and reopened after sign-off: neither counts.
    scored_assessment(
        council=d,
        round=round_,
        scores={lead: "5.0", data: "5.0"},
        status=AssessmentStatus.SUBMITTED,
    )
    scored_assessment(
        council=e,
        round=round_,
        scores={lead: "5.0", data: "5.0"},
        status=AssessmentStatus.IN_PROGRESS,
    )

    rows = benchmarks_rebuild(round_id=round_.pk)

    groups = PeerGroup.objects.count()
    assert rows == groups * 3  # two dimensions and the overall score
    assert BenchmarkResult.objects.filter(round=round_).count() == rows

    by_lead = result(round_, "region-north-east", lead)
    assert (by_lead.councils, by_lead.suppressed) == (3, False)
    assert by_lead.mean == Decimal("2.33")  # (1 + 2 + 4) / 3
    assert by_lead.median == Decimal("2.00")
    assert by_lead.q1 == Decimal("1.50")
    assert by_lead.q3 == Decimal("3.00")
    # Three councils is fewer than twice the minimum of two: no extremes.
    assert (by_lead.minimum, by_lead.maximum, by_lead.p10, by_lead.p90) == (None,) * 4
    assert by_lead.level_counts == {"1": 1, "2": 1, "3": 0, "4": 1, "5": 0}

    # Council c has no data score, so only a and b count there.
    by_data = result(round_, "region-north-east", data)
    assert by_data.councils == 2
    assert by_data.mean == Decimal("2.50")

    # Overall scores are the mean of the dimension scores that exist: 1.5, 2.5 and 4.0.
    overall = result(round_, "all")
    assert overall.councils == 3
    assert overall.mean == Decimal("2.67")
    assert overall.median == Decimal("2.50")
    assert overall.level_counts == {"1": 0, "2": 1, "3": 1, "4": 1, "5": 0}


def test_small_group_is_suppressed_but_keeps_its_count(sector):
    round_, lead, data, councils = sector
    NetworkFactory(slug="not-yet", members=[councils[4]])
    peer_groups_build()
    scored_assessment(council=councils[0], round=round_, scores={lead: "3.0", data: "3.0"})
    scored_assessment(council=councils[3], round=round_, scores={lead: "4.0", data: "4.0"})

    benchmarks_rebuild(round_id=round_.pk)

    # The partnership (the first three councils) has one signed-off council; the minimum is 2.
    small = result(round_, "network-partnership", lead)
    assert (small.councils, small.suppressed) == (1, True)
    assert all(getattr(small, name) is None for name in FIGURES)
    assert small.level_counts is None
    assert not result(round_, "all", lead).suppressed
    # A group with no signed-off council still gets its rows, suppressed.
    empty = result(round_, "network-not-yet")
    assert (empty.councils, empty.suppressed) == (0, True)


def test_rebuild_twice_gives_identical_results(sector):
    round_, lead, data, councils = sector
    for council, score in zip(councils, ["1.2", "2.7", "3.3", "4.8", "2.1"], strict=True):
        scored_assessment(council=council, round=round_, scores={lead: score, data: "3.0"})

    first_rows = benchmarks_rebuild(round_id=round_.pk)
    first = snapshot(round_)
    second_rows = benchmarks_rebuild(round_id=round_.pk)

    assert second_rows == first_rows
    assert snapshot(round_) == first
    assert rebuild_round_benchmarks.delay(round_.pk).get() == first_rows
    assert snapshot(round_) == first


def test_rebuild_replaces_old_results_and_leaves_other_rounds_alone(sector):
    round_, lead, data, councils = sector
    a, b, c, *_ = councils
    other_round = AssessmentRoundFactory(framework=round_.framework)
    scored_assessment(council=a, round=other_round, scores={lead: "5.0", data: "5.0"})
    scored_assessment(council=b, round=other_round, scores={lead: "5.0", data: "5.0"})
    benchmarks_rebuild(round_id=other_round.pk)
    other_before = snapshot(other_round)
    scored_assessment(council=a, round=round_, scores={lead: "1.0", data: "1.0"})
    scored_assessment(council=b, round=round_, scores={lead: "2.0", data: "2.0"})
    rows = benchmarks_rebuild(round_id=round_.pk)
    assert result(round_, "all", lead).mean == Decimal("1.50")
    old_ids = set(BenchmarkResult.objects.filter(round=round_).values_list("pk", flat=True))

    # Another council signs off.
    scored_assessment(council=c, round=round_, scores={lead: "3.0", data: "3.0"})
    assert benchmarks_rebuild(round_id=round_.pk) == rows

    new = BenchmarkResult.objects.filter(round=round_)
    assert new.count() == rows
    assert not old_ids & set(new.values_list("pk", flat=True))
    assert result(round_, "all", lead).mean == Decimal("2.00")
    assert result(round_, "all", lead).councils == 3
    assert snapshot(other_round) == other_before


def test_rebuild_is_all_or_nothing(sector, monkeypatch):
    round_, lead, data, councils = sector
    for council in councils:
        scored_assessment(council=council, round=round_, scores={lead: "2.0", data: "2.0"})
    benchmarks_rebuild(round_id=round_.pk)
    before = snapshot(round_)
    scored_assessment(council=CouncilFactory(), round=round_, scores={lead: "5.0", data: "5.0"})

    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(BenchmarkResult.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        benchmarks_rebuild(round_id=round_.pk)

    assert snapshot(round_) == before


def test_rebuild_query_count_does_not_grow_with_groups(sector):
    round_, lead, data, councils = sector
    for council in councils:
        scored_assessment(council=council, round=round_, scores={lead: "2.0", data: "3.0"})

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            benchmarks_rebuild(round_id=round_.pk)
        return len(captured.captured_queries)

    few = queries()
    for n in range(8):
        NetworkFactory(members=councils[n % 5 :])
    peer_groups_build()
    many = queries()

    assert PeerGroup.objects.count() >= 14
    # Lock the round, dimensions, scores, memberships, groups, delete, insert (+ savepoints).
    assert many == few <= 9


def test_one_result_per_round_group_and_dimension(sector):
    round_, lead, *_ = sector
    group = PeerGroup.objects.get(slug="all")
    fields = {"councils": 0, "suppressed": True, "computed_at": timezone.now()}
    BenchmarkResult.objects.create(round=round_, peer_group=group, dimension=None, **fields)
    BenchmarkResult.objects.create(round=round_, peer_group=group, dimension=lead, **fields)

    for dimension in (None, lead):
        with pytest.raises(IntegrityError), transaction.atomic():
            BenchmarkResult.objects.create(
                round=round_, peer_group=group, dimension=dimension, **fields
            )


def test_suppressed_result_cannot_carry_figures(sector):
    round_, *_ = sector
    group = PeerGroup.objects.get(slug="all")

    with pytest.raises(IntegrityError), transaction.atomic():
        BenchmarkResult.objects.create(
            round=round_,
            peer_group=group,
            councils=1,
            suppressed=True,
            mean=Decimal("3.00"),
            computed_at=timezone.now(),
        )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="percentile_cont is PostgreSQL's")
@pytest.mark.parametrize("size", [1, 2, 3, 4, 7, 10, 11, 38])
def test_percentiles_agree_with_postgresql_percentile_cont(size):
    rng = random.Random(size)
    values = sorted(Decimal(rng.randint(10, 50)) / 10 for _ in range(size))
    fractions = [Decimal(f) for f in ("0.1", "0.25", "0.5", "0.75", "0.9")]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT percentile_cont(%s::float8[]) WITHIN GROUP (ORDER BY v) "
            "FROM unnest(%s::numeric[]) AS v",
            [[float(f) for f in fractions], values],
        )
        (expected,) = cursor.fetchone()

    ours = [percentile(values, fraction) for fraction in fractions]
    assert ours == pytest.approx([Decimal(str(e)) for e in expected], abs=Decimal("1e-9"))
