"""Peer groups built from the real register (councils/data/uk_councils.csv) and small ones."""

import math
import random
from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from benchmarks.models import PeerGroup, PeerGroupKind
from benchmarks.neighbours import nearest_neighbours
from benchmarks.peer_groups import peer_groups_build, split_evenly
from councils.models import Council, CouncilType, Nation, Tier
from councils.tests.factories import CouncilFactory, NetworkFactory

pytestmark = pytest.mark.django_db

SUI_GENERIS = {"E09000001", "E06000053"}  # City of London, Isles of Scilly
SIZE_BASED = (
    PeerGroupKind.POPULATION_BAND,
    PeerGroupKind.DEPRIVATION,
    PeerGroupKind.NEAREST_NEIGHBOURS,
)


@pytest.fixture
def register():
    call_command("import_councils", stdout=StringIO())
    peer_groups_build()
    return {c.pk: c for c in Council.objects.all()}


def groups(kind: str) -> dict[str, set[int]]:
    members: dict[str, set[int]] = defaultdict(set)
    for slug, council_id in PeerGroup.objects.filter(kind=kind).values_list("slug", "members__id"):
        members[slug].add(council_id)
    return dict(members)


def comparable(councils, **match) -> set[int]:
    return {
        pk
        for pk, c in councils.items()
        if c.gss_code not in SUI_GENERIS and all(getattr(c, k) == v for k, v in match.items())
    }


def assert_quintiles(bands: list[set[int]], expected: set[int]) -> None:
    sizes = [len(band) for band in bands]
    assert max(sizes) - min(sizes) <= 1, sizes
    assert sizes == sorted(sizes, reverse=True), "larger bands first"
    assert sum(sizes) == len(expected), "each council exactly once"
    assert set().union(*bands) == expected


# The real register ---------------------------------------------------------------------


def test_group_counts_by_kind(register):
    counts = Counter(PeerGroup.objects.values_list("kind", flat=True))

    assert counts == {
        PeerGroupKind.ALL: 1,
        PeerGroupKind.NATION: 4,
        PeerGroupKind.COUNCIL_TYPE: 8,
        PeerGroupKind.TIER: 4,
        PeerGroupKind.REGION: 9,
        PeerGroupKind.POPULATION_BAND: 20,  # 5 in each of 4 tiers
        PeerGroupKind.DEPRIVATION: 20,  # 5 in each of 4 nations
        PeerGroupKind.RURALITY: 4,
        PeerGroupKind.NEAREST_NEIGHBOURS: 380,  # every council but the 2 sui generis
    }


def test_population_bands_split_each_tier_into_quintiles(register):
    bands = groups(PeerGroupKind.POPULATION_BAND)

    for tier in Tier.values:
        in_tier = [bands[f"population-{tier}-{band}"] for band in range(1, 6)]
        assert_quintiles(in_tier, comparable(register, tier=tier))
        populations = [sorted(register[pk].population for pk in band) for band in in_tier]
        for smaller, larger in zip(populations, populations[1:], strict=False):
            assert smaller[-1] <= larger[0]
    # Single tier: 184 councils (186 less the two sui generis) make 37, 37, 37, 37, 36.
    assert [len(bands[f"population-unitary-{b}"]) for b in range(1, 6)] == [37, 37, 37, 37, 36]


def test_population_band_name_shows_its_actual_range(register):
    group = PeerGroup.objects.get(slug="population-unitary-3")
    populations = sorted(group.members.values_list("population", flat=True))

    assert group.name == (
        f"Single-tier councils, population band 3 of 5 ({populations[0]:,} to {populations[-1]:,})"
    )
    assert PeerGroup.objects.get(slug="population-upper-1").name.startswith(
        "County councils, population band 1 of 5 ("
    )


def test_deprivation_quintiles_within_each_nation(register):
    quintiles = groups(PeerGroupKind.DEPRIVATION)

    for nation in Nation.values:
        slug = nation.lower().replace(" ", "-")
        in_nation = [quintiles[f"deprivation-{slug}-{q}"] for q in range(1, 6)]
        assert_quintiles(in_nation, comparable(register, nation=nation))
        scores = [sorted(register[pk].deprivation_score for pk in q) for q in in_nation]
        for more, less in zip(scores, scores[1:], strict=False):
            assert more[0] >= less[-1], "quintile 1 is the most deprived"
    # Northern Ireland's 11 councils: 3, 2, 2, 2, 2.
    assert [len(quintiles[f"deprivation-northern-ireland-{q}"]) for q in range(1, 6)] == [
        3,
        2,
        2,
        2,
        2,
    ]
    assert (
        PeerGroup.objects.get(slug="deprivation-scotland-1").name
        == "Scotland, deprivation quintile 1 of 5 (most deprived)"
    )
    assert (
        PeerGroup.objects.get(slug="deprivation-wales-5").name
        == "Wales, deprivation quintile 5 of 5 (least deprived)"
    )


def test_rurality_groups_cover_every_council_once(register):
    rurality = groups(PeerGroupKind.RURALITY)

    assert sum(len(members) for members in rurality.values()) == len(register)
    for slug, members in rurality.items():
        assert len({register[pk].rurality for pk in members}) == 1, slug
    assert PeerGroup.objects.get(slug="rurality-sparse-and-rural").name == (
        "Rurality: Sparse and rural"
    )


def test_every_council_has_sixteen_nearest_neighbours_of_its_tier(register):
    neighbour_groups = PeerGroup.objects.filter(kind=PeerGroupKind.NEAREST_NEIGHBOURS)
    members = groups(PeerGroupKind.NEAREST_NEIGHBOURS)
    owners = {}
    for group in neighbour_groups:
        owner = register[group.owner_id]
        owners[owner.pk] = group
        assert group.slug == f"neighbours-{owner.gss_code.lower()}"
        in_group = members[group.slug]
        assert owner.pk in in_group
        assert {register[pk].tier for pk in in_group} == {owner.tier}
        expected = 11 if owner.tier == Tier.NI_DISTRICT else 16
        assert len(in_group) == expected, group.name
        assert group.name == f"{owner.short_name} and its {expected - 1} nearest neighbours"

    assert set(owners) == comparable(register)


def test_neighbours_are_the_nearest_on_log_population_deprivation_and_log_density(register):
    # The wiring, not the maths (test_neighbours.py has that): the group holds exactly what
    # nearest_neighbours gives for the tier's comparable councils and these three features.
    districts = {
        c.gss_code: (
            math.log(c.population),
            float(c.deprivation_score),
            math.log(c.density_per_km2),
        )
        for c in register.values()
        if c.tier == Tier.LOWER
    }
    by_code = {c.gss_code: c.pk for c in register.values()}

    for code, nearest in nearest_neighbours(districts, k=15).items():
        group = PeerGroup.objects.get(slug=f"neighbours-{code.lower()}")
        assert set(group.members.values_list("pk", flat=True)) == {by_code[code]} | {
            by_code[other] for other in nearest
        }


def test_sui_generis_councils_are_in_no_size_based_group(register):
    sui_generis = Council.objects.filter(gss_code__in=SUI_GENERIS)
    assert sui_generis.count() == 2

    for council in sui_generis:
        kinds = set(council.peer_groups.values_list("kind", flat=True))
        assert kinds.isdisjoint(SIZE_BASED), council
        assert not council.neighbour_groups.exists()
        # They are still councils of their nation, type, tier, region and rurality.
        assert {PeerGroupKind.ALL, PeerGroupKind.NATION, PeerGroupKind.RURALITY} <= kinds


def test_rerunning_on_the_real_register_writes_nothing(register, django_assert_max_num_queries):
    before = set(PeerGroup.objects.values_list("pk", "slug", "name", "updated_at"))

    with (
        django_assert_max_num_queries(8),
        CaptureQueriesContext(connection) as captured,
    ):
        count = peer_groups_build()

    writes = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert count == len(before)
    assert set(PeerGroup.objects.values_list("pk", "slug", "name", "updated_at")) == before


def test_building_from_scratch_takes_a_bounded_number_of_queries(django_assert_max_num_queries):
    call_command("import_councils", stdout=StringIO())

    # Five reads, then bulk inserts: about 470 groups and 9,000 member rows, which Django cuts
    # into statements of at most 999 parameters on SQLite (one statement on PostgreSQL).
    # Nothing is asked council by council, which would be thousands.
    with django_assert_max_num_queries(40):
        peer_groups_build()

    assert PeerGroup.objects.count() == 450


# Small registers -----------------------------------------------------------------------


def test_a_small_tier_gets_what_bands_it_can_and_a_lone_council_no_neighbours():
    kent = CouncilFactory(council_type=CouncilType.COUNTY, tier=Tier.UPPER, population=1_500_000)
    small = [CouncilFactory(population=100_000 * n) for n in (1, 2, 3)]

    peer_groups_build()

    assert groups(PeerGroupKind.POPULATION_BAND) == {
        "population-upper-1": {kent.pk},
        # Three councils in five bands: 1, 1, 1 and two empty bands, which are not made.
        "population-unitary-1": {small[0].pk},
        "population-unitary-2": {small[1].pk},
        "population-unitary-3": {small[2].pk},
    }
    assert PeerGroup.objects.get(slug="population-upper-1").name == (
        "County councils, population band 1 of 5 (1,500,000)"
    )
    # Kent is alone in its tier; the three single-tier councils each have the other two.
    assert not kent.neighbour_groups.exists()
    group = small[0].neighbour_groups.get()
    assert set(group.members.all()) == set(small)
    assert group.name == f"{small[0].short_name} and its 2 nearest neighbours"


def test_a_change_to_the_register_moves_only_the_groups_it_touches():
    councils = [
        CouncilFactory(population=100_000 + 1_000 * n, deprivation_score=f"{10 + n}.00")
        for n in range(10)
    ]
    welsh = CouncilFactory(nation=Nation.WALES, region="Wales")
    NetworkFactory(members=councils[:2])
    peer_groups_build()
    stamps = dict(PeerGroup.objects.values_list("slug", "updated_at"))
    smallest = councils[0]

    # The smallest council grows past every other: it moves from band 1 to band 5, and band
    # 1 takes in the next one up.
    smallest.population = 500_000
    smallest.save()
    peer_groups_build()

    after = dict(PeerGroup.objects.values_list("slug", "updated_at"))
    moved = {slug for slug in stamps if after[slug] != stamps[slug]}
    assert {"population-unitary-1", "population-unitary-5"} <= moved
    for slug in ("all", "nation-wales", "deprivation-england-1", "rurality-urban"):
        assert slug not in moved
    assert smallest.pk in groups(PeerGroupKind.POPULATION_BAND)["population-unitary-5"]

    # Wales loses its only council: its groups of every kind go.
    welsh.delete()
    peer_groups_build()
    assert not PeerGroup.objects.filter(slug__contains="wales").exists()


def all_memberships() -> dict[str, set[int]]:
    members: dict[str, set[int]] = defaultdict(set)
    for slug, council_id in PeerGroup.objects.values_list("slug", "members__id"):
        if council_id is not None:
            members[slug].add(council_id)
    return dict(members)


def test_an_update_leaves_exactly_the_members_a_build_from_scratch_makes():
    rng = random.Random("peer group updates")
    councils = [
        CouncilFactory(population=rng.randint(50_000, 900_000), deprivation_score="20.00")
        for _ in range(30)
    ]
    peer_groups_build()
    for _ in range(3):
        # Councils move between bands and neighbourhoods, and the sector grows.
        for council in rng.sample(councils, 8):
            council.population = rng.randint(50_000, 900_000)
            council.deprivation_score = f"{rng.uniform(5, 60):.2f}"
            council.save()
        councils += [CouncilFactory(population=rng.randint(50_000, 900_000)) for _ in range(5)]
        peer_groups_build()
        updated = all_memberships()

        PeerGroup.objects.all().delete()
        peer_groups_build()

        assert all_memberships() == updated


def test_a_renamed_council_renames_its_neighbour_group_only():
    councils = [CouncilFactory(population=100_000 + n) for n in range(3)]
    peer_groups_build()
    stamps = dict(PeerGroup.objects.values_list("slug", "updated_at"))

    councils[0].short_name = "Renamed"
    councils[0].save()
    peer_groups_build()

    after = dict(PeerGroup.objects.values_list("slug", "updated_at"))
    slug = f"neighbours-{councils[0].gss_code.lower()}"
    assert {s for s in stamps if after[s] != stamps[s]} == {slug}
    assert PeerGroup.objects.get(slug=slug).name == "Renamed and its 2 nearest neighbours"


# Splitting into quintiles --------------------------------------------------------------


def test_split_evenly_puts_the_larger_runs_first():
    assert [len(run) for run in split_evenly(range(22), 5)] == [5, 5, 4, 4, 4]
    assert split_evenly("abc", 5) == [["a"], ["b"], ["c"], [], []]
    assert split_evenly([], 5) == [[], [], [], [], []]


@given(st.lists(st.integers()), st.integers(min_value=1, max_value=10))
def test_split_evenly_keeps_order_and_sizes_within_one(items, parts):
    runs = split_evenly(items, parts)

    assert len(runs) == parts
    assert [item for run in runs for item in run] == items
    sizes = [len(run) for run in runs]
    assert max(sizes) - min(sizes) <= 1
    assert sizes == sorted(sizes, reverse=True)


def test_a_welsh_councils_neighbour_group_is_named_with_its_welsh_name_in_welsh():
    councils = [CouncilFactory(population=100_000 + n) for n in range(3)]
    Council.objects.filter(pk=councils[0].pk).update(
        short_name_en="Cardiff", short_name_cy="Caerdydd"
    )
    peer_groups_build()

    group = PeerGroup.objects.get(slug=f"neighbours-{councils[0].gss_code.lower()}")
    assert (group.name, group.name_cy) == (
        "Cardiff and its 2 nearest neighbours",
        "Caerdydd a'i 2 cymydog agosaf",
    )

    # A correction to the Welsh name alone renames the group in Welsh.
    Council.objects.filter(pk=councils[0].pk).update(short_name_cy="Dinas Caerdydd")
    peer_groups_build()
    group.refresh_from_db()
    assert group.name_cy == "Dinas Caerdydd a'i 2 cymydog agosaf"


def test_an_english_regions_group_is_named_in_welsh_too():
    CouncilFactory(region="North East")
    peer_groups_build()

    group = PeerGroup.objects.get(slug="region-north-east")
    assert (group.name, group.name_cy) == (
        "North East region",
        "Rhanbarth Gogledd-ddwyrain Lloegr",
    )
