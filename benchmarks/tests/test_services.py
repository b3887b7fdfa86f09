import random
import re
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.models import Assessment, AssessmentStatus, DimensionScore
from assessments.scoring import overall_score
from assessments.tests.factories import (
    AssessmentRoundFactory,
    DimensionFactory,
    FrameworkFactory,
    scored_assessment,
    submitted_assessment,
)
from benchmarks import services
from benchmarks.figures import FIGURES
from benchmarks.models import BenchmarkResult, BenchmarkRun, PeerGroup, PeerGroupKind
from benchmarks.peer_groups import peer_groups_build
from benchmarks.queries import council_positions
from benchmarks.releases import release_make
from benchmarks.services import benchmarks_rebuild, benchmarks_update_for_council
from benchmarks.statistics import Position, distribution, percentile
from benchmarks.tasks import (
    make_releases,
    rebuild_round_benchmarks,
    update_benchmarks_for_council,
)
from councils.models import Council, CouncilType, Nation, Tier
from councils.tests.factories import CouncilFactory, NetworkFactory

from .factories import make_group

pytestmark = pytest.mark.django_db


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
    # The size-, deprivation-, rurality- and neighbour-based kinds are tested in
    # test_peer_groups.py; here, the register's own categories and the networks.
    register_kinds = [
        PeerGroupKind.ALL,
        PeerGroupKind.NATION,
        PeerGroupKind.COUNCIL_TYPE,
        PeerGroupKind.TIER,
        PeerGroupKind.REGION,
        PeerGroupKind.NETWORK,
    ]
    built = PeerGroup.objects.filter(kind__in=register_kinds)
    assert count == PeerGroup.objects.count() >= len(expected)
    assert set(built.values_list("slug", flat=True)) == set(expected)
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
    round_ = AssessmentRoundFactory(framework=FrameworkFactory())
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
        .values_list(
            "peer_group_id", "dimension_id", "councils", "suppressed", *FIGURES, "distribution"
        )
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
    # How many councils have each score, for placing each of them (never shown).
    assert by_lead.distribution == {"1.0": 1, "2.0": 1, "4.0": 1}

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
    assert overall.distribution == {"1.5": 1, "2.5": 1, "4.0": 1}


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
    assert small.distribution is None
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
    before = snapshot(round_), run_state(round_)
    newcomer = CouncilFactory()
    PeerGroup.objects.get(slug="all").members.add(newcomer)
    scored_assessment(council=newcomer, round=round_, scores={lead: "5.0", data: "5.0"})

    def fail_after_writing(*args, **kwargs):
        # The new results are already in when recording the run fails.
        assert result(round_, "all", lead).councils == 6
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "_record_run", fail_after_writing)
    with pytest.raises(RuntimeError):
        benchmarks_rebuild(round_id=round_.pk)

    assert (snapshot(round_), run_state(round_)) == before


def split_queries(run) -> tuple[int, int]:
    """(queries other than INSERTs, INSERTs) that run() makes."""
    with CaptureQueriesContext(connection) as captured:
        run()
    # Django logs an executemany() as "<n> times: INSERT ...".
    inserts = sum(
        re.sub(r"^\d+ times: ", "", q["sql"].lstrip()).upper().startswith("INSERT")
        for q in captured
    )
    return len(captured) - inserts, inserts


def insert_batches() -> int:
    """How many INSERTs the current results need: one statement (one executemany; on
    PostgreSQL a COPY, which Django's query log does not see)."""
    if connection.vendor == "postgresql":
        return 0
    return 1 if BenchmarkResult.objects.exists() else 0


def run_state(round_) -> tuple:
    """What the round's BenchmarkRun says the results were built from, and when."""
    return (
        BenchmarkRun.objects.filter(round=round_)
        .values_list("basis", "council_scores", "computed_at")
        .get()
    )


def test_rebuild_query_count_does_not_grow_with_groups(sector):
    round_, lead, data, councils = sector
    for council in councils:
        scored_assessment(council=council, round=round_, scores={lead: "2.0", data: "3.0"})
    benchmarks_rebuild(round_id=round_.pk)  # the first also creates the round's run row

    def rebuild() -> None:
        benchmarks_rebuild(round_id=round_.pk)

    few, _ = split_queries(rebuild)
    for n in range(8):
        NetworkFactory(members=councils[n % 5 :])
    peer_groups_build()
    many, inserts = split_queries(rebuild)

    assert PeerGroup.objects.count() >= 14
    # Lock the round, dimensions, scores, groups, memberships, delete results, update the
    # run (+ savepoints), whatever the number of groups and councils.
    assert many == few <= 9
    assert inserts == insert_batches()


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


# Incremental update after one council's sign-off or reopening ------------------------------

RESULT_FIELDS = (
    "councils",
    "suppressed",
    "suppression_reason",
    *FIGURES,
    "level_counts",
    "distribution",
)


def everything(round_) -> dict:
    """Every result of the round, distribution included, keyed, without ids or times."""
    return {
        (row[0], row[1]): row[2:]
        for row in BenchmarkResult.objects.filter(round=round_).values_list(
            "peer_group_id", "dimension_id", *RESULT_FIELDS
        )
    }


def row_ids(round_) -> set[int]:
    return set(BenchmarkResult.objects.filter(round=round_).values_list("pk", flat=True))


def sign_off(council, round_, scores) -> None:
    """What assessment_sign_off leaves behind (after a reopening too)."""
    Assessment.objects.filter(council=council, round=round_).delete()
    scored_assessment(council=council, round=round_, scores=scores)


def reopen(council, round_) -> None:
    """What assessment_reopen leaves behind."""
    Assessment.objects.filter(council=council, round=round_).update(
        status=AssessmentStatus.IN_PROGRESS
    )
    DimensionScore.objects.filter(council=council, round=round_).delete()


def reason(round_, group: PeerGroup, dimension=None) -> str:
    return BenchmarkResult.objects.get(
        round=round_, peer_group=group, dimension=dimension
    ).suppression_reason


@pytest.fixture
def neighbourhood(settings):
    """k = 3; a newcomer n and eleven others p1..p11, all but n signed off and rebuilt.

    - all: everyone; region: n, p1..p5; near: p1..p3; far: p6..p11; n's neighbours: n, p1,
      p2, p6 (private to n).
    - Before n signs off, the region (p1..p5) is two councils away from `near`, so `near`
      is suppressed as OVERLAP; with n the region is three away and `near` is published,
      though it does not contain n.
    """
    settings.BENCHMARK_MIN_GROUP = 3
    round_ = AssessmentRoundFactory(framework=FrameworkFactory())
    lead = DimensionFactory(framework=round_.framework, order=1)
    data = DimensionFactory(framework=round_.framework, order=2)
    n, *others = [CouncilFactory() for _ in range(12)]
    p = dict(enumerate(others, start=1))
    groups = {
        "all": make_group("all", PeerGroupKind.ALL, [n, *others]),
        "region": make_group("region-y", PeerGroupKind.REGION, [n, p[1], p[2], p[3], p[4], p[5]]),
        "near": make_group("rurality-near", PeerGroupKind.RURALITY, [p[1], p[2], p[3]]),
        "far": make_group("rurality-far", PeerGroupKind.RURALITY, others[5:]),
        "neighbours": make_group(
            "nn-n", PeerGroupKind.NEAREST_NEIGHBOURS, [n, p[1], p[2], p[6]], owner=n
        ),
    }
    leads = ["1.2", "2.7", "3.3", "4.8", "2.1", "3.9", "1.5", "4.4", "2.9", "3.6", "5.0"]
    for index, council in p.items():
        scores = {lead: leads[index - 1], data: None if index == 7 else "3.5"}
        scored_assessment(council=council, round=round_, scores=scores)
    benchmarks_rebuild(round_id=round_.pk)
    return round_, lead, data, n, p, groups


def test_incremental_after_a_sign_off_equals_a_full_rebuild(neighbourhood):
    round_, lead, data, n, p, groups = neighbourhood
    assert reason(round_, groups["near"], lead) == "overlap"
    total = BenchmarkResult.objects.filter(round=round_).count()
    far_rows = set(
        BenchmarkResult.objects.filter(peer_group=groups["far"]).values_list("pk", flat=True)
    )
    sign_off(n, round_, {lead: "4.5", data: "2.0"})

    written = benchmarks_update_for_council(round_id=round_.pk, council_id=n.pk)
    incremental = everything(round_)
    kept = row_ids(round_)
    benchmarks_rebuild(round_id=round_.pk)

    assert incremental == everything(round_)
    # `near` does not contain n but changed: it is published now, so it was rewritten.
    assert reason(round_, groups["near"], lead) == ""
    # Rewritten: all, region, neighbours (contain n) and near (decision changed); not far.
    assert written == 4 * 3 < total
    assert far_rows <= kept


def test_incremental_after_a_reopening_equals_a_full_rebuild(neighbourhood):
    round_, lead, data, n, p, groups = neighbourhood
    sign_off(n, round_, {lead: "4.5", data: "2.0"})
    benchmarks_rebuild(round_id=round_.pk)
    assert reason(round_, groups["near"], lead) == ""
    total = BenchmarkResult.objects.filter(round=round_).count()
    # Released with n in it, so n has places until it reopens.
    release_make(round_id=round_.pk)
    assert council_positions(round_id=round_.pk, council_id=n.pk)
    reopen(n, round_)

    written = benchmarks_update_for_council(round_id=round_.pk, council_id=n.pk)
    incremental = everything(round_)
    benchmarks_rebuild(round_id=round_.pk)

    assert incremental == everything(round_)
    assert reason(round_, groups["near"], lead) == "overlap"
    assert council_positions(round_id=round_.pk, council_id=n.pk) == {}
    # The run's council_scores still held n's old scores, so the update knew that only n
    # changed: incremental too, the same groups as for the sign-off.
    assert written == 4 * 3 < total


def test_incremental_records_the_run_and_a_second_run_changes_nothing(neighbourhood):
    round_, lead, data, n, p, groups = neighbourhood
    sign_off(n, round_, {lead: "2.0", data: "2.0"})

    benchmarks_update_for_council(round_id=round_.pk, council_id=n.pk)
    run = BenchmarkRun.objects.get(round=round_)
    before, ids = everything(round_), row_ids(round_)
    # A redelivered job finds the results already match the inputs.
    assert update_benchmarks_for_council.delay(round_.pk, n.pk).get() == 0

    assert (everything(round_), row_ids(round_)) == (before, ids)
    assert BenchmarkRun.objects.get(round=round_).computed_at == run.computed_at
    benchmarks_rebuild(round_id=round_.pk)
    rebuilt = BenchmarkRun.objects.get(round=round_)
    assert (rebuilt.basis, rebuilt.council_scores) == (run.basis, run.council_scores)
    assert run.council_scores[f"c{n.pk}"] == f"{lead.pk}:2.00,{data.pk}:2.00"


def test_incremental_takes_in_every_council_whose_job_has_not_run(neighbourhood):
    round_, lead, data, n, p, groups = neighbourhood
    total = BenchmarkResult.objects.filter(round=round_).count()
    untouched = set(
        BenchmarkResult.objects.filter(
            peer_group__in=[groups["near"], groups["neighbours"]]
        ).values_list("pk", flat=True)
    )
    # Two changes, but only p4's job runs first (the other's is late, or was lost with the
    # broker): p4 (lead 4.8; in all and the region) reopens, and p8 (lead 4.4; in all and
    # far) is signed off again with new scores.
    reopen(p[4], round_)
    sign_off(p[8], round_, {lead: "1.0", data: "3.5"})

    written = benchmarks_update_for_council(round_id=round_.pk, council_id=p[4].pk)
    incremental, kept = everything(round_), row_ids(round_)

    # The run's council_scores show both changed: the groups containing p4 or p8 (all, region,
    # far) are rewritten, not only p4's. Near is still too close to the region, and the
    # neighbours (n, p1, p2, p6) are untouched.
    assert written == 3 * 3 < total
    assert untouched <= kept
    assert result(round_, "rurality-far", lead).distribution["1.0"] == 1
    lead_in_all = result(round_, "all", lead).distribution
    assert "1.0" in lead_in_all and "4.4" not in lead_in_all and "4.8" not in lead_in_all
    # p8's own job then finds nothing left to do.
    assert benchmarks_update_for_council(round_id=round_.pk, council_id=p[8].pk) == 0
    assert row_ids(round_) == kept
    benchmarks_rebuild(round_id=round_.pk)
    assert incremental == everything(round_)


def add_a_group(round_, lead, p, groups) -> None:
    make_group("region-z", PeerGroupKind.REGION, [])


def change_a_membership(round_, lead, p, groups) -> None:
    groups["far"].members.remove(p[11])


def change_the_minimum(round_, lead, p, groups) -> None:
    from django.conf import settings

    settings.BENCHMARK_MIN_GROUP = 4  # the settings fixture restores it


def add_a_dimension(round_, lead, p, groups) -> None:
    DimensionFactory(framework=round_.framework, order=3)


@pytest.mark.parametrize(
    "change", [add_a_group, change_a_membership, change_the_minimum, add_a_dimension]
)
@pytest.mark.parametrize("with_a_sign_off", [True, False])
def test_incremental_falls_back_to_a_full_rebuild_when_anything_but_scores_changed(
    neighbourhood, change, with_a_sign_off
):
    round_, lead, data, n, p, groups = neighbourhood
    basis = BenchmarkRun.objects.get(round=round_).basis
    old_ids = row_ids(round_)
    change(round_, lead, p, groups)
    if with_a_sign_off:
        sign_off(n, round_, {lead: "2.0", data: "2.0"})

    written = benchmarks_update_for_council(round_id=round_.pk, council_id=n.pk)

    assert written == BenchmarkResult.objects.filter(round=round_).count()
    assert not old_ids & row_ids(round_)  # every row rewritten
    assert BenchmarkRun.objects.get(round=round_).basis != basis
    updated = everything(round_)
    benchmarks_rebuild(round_id=round_.pk)
    assert updated == everything(round_)


def test_incremental_without_a_previous_run_rebuilds(neighbourhood):
    round_, lead, data, n, p, groups = neighbourhood
    BenchmarkRun.objects.all().delete()
    sign_off(n, round_, {lead: "2.0", data: "2.0"})

    written = benchmarks_update_for_council(round_id=round_.pk, council_id=n.pk)

    assert written == BenchmarkResult.objects.filter(round=round_).count()
    assert BenchmarkRun.objects.filter(round=round_).exists()


def test_incremental_is_all_or_nothing(neighbourhood, monkeypatch):
    round_, lead, data, n, p, groups = neighbourhood
    # Positions come from releases, never the live results: one made before n signs off.
    release_make(round_id=round_.pk)
    before = everything(round_), row_ids(round_), run_state(round_)
    sign_off(n, round_, {lead: "2.0", data: "2.0"})

    def fail_after_writing(*args, **kwargs):
        # The rewritten results are already in when recording the run fails.
        assert result(round_, "all", lead).councils == 12
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "_record_run", fail_after_writing)
    with pytest.raises(RuntimeError):
        benchmarks_update_for_council(round_id=round_.pk, council_id=n.pk)

    assert (everything(round_), row_ids(round_), run_state(round_)) == before
    assert council_positions(round_id=round_.pk, council_id=n.pk) == {}


@pytest.mark.parametrize("seed", range(6))
def test_incremental_equals_full_rebuild_through_random_sign_offs_and_reopenings(settings, seed):
    rng = random.Random(seed)
    settings.BENCHMARK_MIN_GROUP = rng.choice([2, 3, 4])
    round_ = AssessmentRoundFactory(framework=FrameworkFactory())
    dimensions = [DimensionFactory(framework=round_.framework, order=i) for i in (1, 2)]
    councils = [CouncilFactory() for _ in range(18)]
    make_group("all", PeerGroupKind.ALL, councils)
    kinds = [PeerGroupKind.NATION, PeerGroupKind.TIER, PeerGroupKind.REGION, PeerGroupKind.RURALITY]
    previous: list = []
    for index in range(9):
        if previous and rng.random() < 0.6:
            # Close to an earlier group, as overlapping groups are in the register.
            base = set(rng.choice(previous))
            members = base ^ set(rng.sample(councils, rng.randint(1, 3)))
        else:
            members = set(rng.sample(councils, rng.randint(2, 14)))
        previous.append(members)
        make_group(f"g{index}", rng.choice(kinds), members)
    for index, owner in enumerate(rng.sample(councils, 4)):
        members = {owner, *rng.sample(councils, rng.randint(3, 7))}
        make_group(f"nn-{index}", PeerGroupKind.NEAREST_NEIGHBOURS, members, owner=owner)

    def scores():
        return {d: rng.choice([None, "1.0", "2.5", "3.0", "3.5", "4.8"]) for d in dimensions}

    signed = set(rng.sample(range(len(councils)), 10))
    for index in signed:
        sign_off(councils[index], round_, scores())
    benchmarks_rebuild(round_id=round_.pk)

    incremental_runs = 0
    for _ in range(8):
        index = rng.randrange(len(councils))
        if index in signed:
            reopen(councils[index], round_)
            signed.discard(index)
        else:
            sign_off(councils[index], round_, scores())
            signed.add(index)
        total = BenchmarkResult.objects.filter(round=round_).count()
        written = benchmarks_update_for_council(round_id=round_.pk, council_id=councils[index].pk)
        incremental_runs += written < total
        incremental = everything(round_)
        benchmarks_rebuild(round_id=round_.pk)
        assert incremental == everything(round_)
    assert incremental_runs > 0


def test_incremental_query_count_does_not_grow_with_groups(neighbourhood):
    round_, lead, data, n, p, groups = neighbourhood
    written = []

    def update(council) -> None:
        written.append(benchmarks_update_for_council(round_id=round_.pk, council_id=council.pk))

    sign_off(n, round_, {lead: "2.0", data: "2.0"})
    few, _ = split_queries(lambda: update(n))
    others = list(p.values())
    for index in range(30):
        make_group(f"many-{index}", PeerGroupKind.RURALITY, [n, *others[index % 6 :]])
    benchmarks_rebuild(round_id=round_.pk)
    total = BenchmarkResult.objects.filter(round=round_).count()
    reopen(p[1], round_)
    many, _ = split_queries(lambda: update(p[1]))

    assert 0 < written[1] < total  # both incremental, not rebuilds
    assert 0 < written[0] < 5 * 3
    # Lock the round, dimensions, scores, groups, memberships, the run, the stored decisions;
    # delete results; update the run (+ savepoints). The same for a sign-off and a
    # reopening: the run's council_scores says what changed either way.
    assert few <= 11
    assert many == few


def test_a_sign_off_brings_in_the_council_and_a_reopening_takes_it_out(
    personas, settings, django_capture_on_commit_callbacks
):
    # Through the assessment services, with the queued job run at once (eager Celery).
    from assessments import services as assessment_services

    settings.BENCHMARK_MIN_GROUP = 1
    round_ = AssessmentRoundFactory()  # two dimensions with questions
    group = make_group("region-north-east", PeerGroupKind.REGION, [personas.council_a])
    benchmarks_rebuild(round_id=round_.pk)
    assessment = submitted_assessment(
        council=personas.council_a, round=round_, lead=personas.lead_a, level=3
    )

    with django_capture_on_commit_callbacks(execute=True):
        assessment_services.assessment_sign_off(assessment=assessment, by=personas.executive_a)

    overall = BenchmarkResult.objects.get(round=round_, peer_group=group, dimension=None)
    assert (overall.councils, overall.suppressed, overall.mean) == (1, False, Decimal("3.00"))
    # Its place waits for a release that counts it (the daily one, run here).
    assert council_positions(round_id=round_.pk, council_id=personas.council_a.pk) == {}
    assert make_releases.delay().get() == [round_.pk]
    # Two dimensions and the overall score, alone in its group.
    found = council_positions(round_id=round_.pk, council_id=personas.council_a.pk)
    dimensions = list(round_.framework.dimensions.values_list("pk", flat=True))
    assert len(dimensions) == 2
    alone = Position(score=Decimal("3.00"), rank=1, councils=1, percentile=Decimal("0.00"))
    assert found == {(group.pk, subject): alone for subject in [*dimensions, None]}

    with django_capture_on_commit_callbacks(execute=True):
        assessment_services.assessment_reopen(
            assessment=assessment, by=personas.staff, reason="Wrong figures"
        )

    overall = BenchmarkResult.objects.get(round=round_, peer_group=group, dimension=None)
    assert (overall.councils, overall.suppression_reason) == (0, "too_small")
    assert overall.distribution is None
    assert council_positions(round_id=round_.pk, council_id=personas.council_a.pk) == {}
    run = BenchmarkRun.objects.get(round=round_)
    assert run.council_scores == {}
    benchmarks_rebuild(round_id=round_.pk)
    rebuilt = BenchmarkRun.objects.get(round=round_)
    assert (rebuilt.basis, rebuilt.council_scores) == (run.basis, run.council_scores)


def test_published_results_store_the_distribution_of_their_members_scores(neighbourhood):
    round_, lead, data, n, p, groups = neighbourhood
    sign_off(n, round_, {lead: "4.5", data: None})
    benchmarks_update_for_council(round_id=round_.pk, council_id=n.pk)

    # Every signed-off council's scores, read independently of the services.
    own: dict = {}
    for council_id, dimension_id, score in DimensionScore.objects.filter(
        round=round_, assessment__status=AssessmentStatus.SIGNED_OFF, score__isnull=False
    ).values_list("council_id", "dimension_id", "score"):
        own.setdefault(council_id, {})[dimension_id] = score
    for scores in own.values():
        scores[None] = overall_score(list(scores.values()))

    checked = 0
    for row in BenchmarkResult.objects.filter(round=round_).select_related("peer_group"):
        if row.suppressed:
            assert row.distribution is None
            continue
        members = row.peer_group.members.values_list("pk", flat=True)
        values = [own[c][row.dimension_id] for c in members if row.dimension_id in own.get(c, {})]
        expected = {str(score): count for score, count in distribution(values).items()}
        assert row.distribution == expected, row
        assert sum(row.distribution.values()) == row.councils
        checked += 1
    assert checked >= 10
    # Hand-computed: n has no data score, p7 neither; the other ten all have 3.5. Overall,
    # n is 4.5 alone.
    assert result(round_, "all", data).distribution == {"3.5": 10}
    assert result(round_, "all").distribution["4.5"] == 1
