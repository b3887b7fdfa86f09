"""Each council's rank and percentile in the groups it belongs to: only in groups the round's
current release publishes, and only where that release counted the council with the score it
has now, computed on demand from the council's own scores and the released distribution."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from assessments.models import Assessment, AssessmentStatus, DimensionScore
from assessments.scoring import overall_score
from assessments.tests.factories import (
    AssessmentRoundFactory,
    DimensionFactory,
    FrameworkFactory,
    scored_assessment,
)
from benchmarks.models import (
    BenchmarkResult,
    BenchmarkRun,
    PeerGroup,
    PeerGroupKind,
    ReleasedResult,
)
from benchmarks.queries import council_positions
from benchmarks.releases import release_make
from benchmarks.services import benchmarks_update_for_council
from benchmarks.statistics import Position, distribution, position_in, positions
from councils.tests.factories import CouncilFactory

from .factories import make_group, release


def d(value: str) -> Decimal:
    return Decimal(value)


# Pure: positions ------------------------------------------------------------------------------


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
    with pytest.raises(ValueError, match="from 1 to 5"):
        positions({1: d("0.5")})


# Pure: distribution and position_in ------------------------------------------------------------


def test_distribution_counts_each_score_in_ascending_order():
    found = distribution([d("3.0"), d("1.5"), d("4.0"), d("3.0"), d("1.5"), d("3.0")])

    assert found == {d("1.5"): 2, d("3.0"): 3, d("4.0"): 1}
    assert list(found) == [d("1.5"), d("3.0"), d("4.0")]


def test_distribution_treats_equal_scores_as_one_whatever_their_places():
    # 3.0 and 3.00 are the same score (the database's two places and one place).
    assert distribution([d("3.0"), d("3.00"), d("2.5")]) == {d("2.5"): 1, d("3.0"): 2}


def test_distribution_of_nothing_is_empty():
    assert distribution([]) == {}


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ([d("3.0"), d("0.9")], "from 1 to 5"),
        ([d("5.01"), d("3.0")], "from 1 to 5"),
        ([d("3.0"), d("NaN")], "finite Decimal"),
        ([d("NaN")], "finite Decimal"),
        ([d("Infinity"), d("2.0")], "finite Decimal"),
        ([3.0], "finite Decimal"),
        ([d("2.0"), 3], "finite Decimal"),
    ],
)
def test_distribution_rejects_what_is_not_a_score(values, message):
    with pytest.raises(ValueError, match=message):
        distribution(values)


def test_position_in_hand_computed():
    counts = {d("1.0"): 1, d("2.0"): 1, d("3.0"): 2, d("4.0"): 1}

    # Among 1, 2, 3, 3, 4: one higher (rank 2), two of the four others lower (50 %).
    assert position_in(counts, d("3.0")) == Position(
        score=d("3.00"), rank=2, councils=5, percentile=d("50.00")
    )
    assert position_in(counts, d("4.0")) == Position(
        score=d("4.00"), rank=1, councils=5, percentile=d("100.00")
    )
    assert position_in(counts, d("1.0")) == Position(
        score=d("1.00"), rank=5, councils=5, percentile=d("0.00")
    )
    # 3 is 3.0, whatever its places.
    assert position_in(counts, d("3")) == position_in(counts, d("3.00"))


def test_position_in_does_not_depend_on_the_order_of_the_counts():
    ascending = {d("1.0"): 2, d("2.5"): 1, d("4.0"): 3}
    scrambled = {d("4.0"): 3, d("1.0"): 2, d("2.5"): 1}

    for score in ascending:
        assert position_in(scrambled, score) == position_in(ascending, score)
    # 2.5: three higher, two of the five others lower.
    assert position_in(scrambled, d("2.5")) == Position(
        score=d("2.50"), rank=4, councils=6, percentile=d("40.00")
    )


def test_position_in_a_group_of_one():
    assert position_in({d("2.5"): 1}, d("2.5")) == Position(
        score=d("2.50"), rank=1, councils=1, percentile=d("0.00")
    )


@pytest.mark.parametrize(
    ("counts", "score", "message"),
    [
        ({d("3.0"): 2}, d("3.5"), "not one of the group's"),
        ({d("3.0"): 2, d("3.5"): 0}, d("3.5"), "not one of the group's"),
        ({}, d("3.0"), "not one of the group's"),
        ({d("3.0"): 2}, d("0.5"), "from 1 to 5"),
        ({d("3.0"): 2}, d("5.5"), "from 1 to 5"),
        ({d("3.0"): 2}, d("NaN"), "finite Decimal"),
        ({d("3.0"): 2}, 3.0, "finite Decimal"),
    ],
)
def test_position_in_rejects_a_score_that_is_not_the_groups(counts, score, message):
    with pytest.raises(ValueError, match=message):
        position_in(counts, score)


scores = st.integers(min_value=10, max_value=50).map(lambda tenths: Decimal(tenths) / 10)


@given(st.lists(scores, min_size=1, max_size=40))
def test_position_in_a_distribution_is_the_position_among_the_scores(values):
    counts = distribution(values)
    expected = positions(dict(enumerate(values)))

    assert sum(counts.values()) == len(values)
    assert list(counts) == sorted(set(values))
    for index, value in enumerate(values):
        found = position_in(counts, value)
        assert found == expected[index]
        # And by brute force, from the definition.
        higher = sum(other > value for other in values)
        lower = sum(other < value for other in values)
        share = 0 if len(values) == 1 else Decimal(100 * lower) / (len(values) - 1)
        assert found.rank == 1 + higher
        assert found.councils == len(values)
        assert abs(found.percentile - share) <= Decimal("0.005")


# Stored: council_positions ---------------------------------------------------------------------


LEADS = ["4.0", "3.0", "3.0", "2.0", "1.5", "1.0"]


@pytest.fixture
def scored(db, settings):
    """Six councils with lead scores 4.0, 3.0, 3.0, 2.0, 1.5, 1.0 (the last has no data score);
    a tier group of all six, a region of five of them (one away from the tier: OVERLAP with
    k = 3), a rurality group of the first three, one of two, and a neighbour group; rebuilt
    and released."""
    settings.BENCHMARK_MIN_GROUP = 3
    round_ = AssessmentRoundFactory(framework=FrameworkFactory())
    lead = DimensionFactory(framework=round_.framework, order=1)
    data = DimensionFactory(framework=round_.framework, order=2)
    councils = [CouncilFactory() for _ in range(6)]
    for council, score in zip(councils, LEADS, strict=True):
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
    assert release(round_) is not None
    return round_, lead, data, councils, groups


def positions_of(round_, council) -> dict:
    """council_positions, with the group's slug for its id and as plain tuples."""
    slugs = dict(PeerGroup.objects.values_list("pk", "slug"))
    return {
        (slugs[group_id], subject): (p.score, p.rank, p.councils, p.percentile)
        for (group_id, subject), p in council_positions(
            round_id=round_.pk, council_id=council.pk
        ).items()
    }


def test_positions_in_published_groups_hand_computed(scored):
    round_, lead, data, councils, groups = scored
    a, b, c, e, f, g = councils
    # Overall scores (one place, half up): a 3.5, b 3.0, c 3.0, e 2.5, f 2.3 (2.25), g 1.0.

    assert positions_of(round_, a) == {
        # Six lead scores: 5 of 5 others lower.
        ("tier-unitary", lead.pk): (d("4.00"), 1, 6, d("100.00")),
        # Five data scores (g has none), all 3.0: everyone first, nobody lower.
        ("tier-unitary", data.pk): (d("3.00"), 1, 5, d("0.00")),
        ("tier-unitary", None): (d("3.50"), 1, 6, d("100.00")),
        # The region is published for data only (g has no data score: it equals the tier).
        ("region-x", data.pk): (d("3.00"), 1, 5, d("0.00")),
        # The first three: lead 4, 3, 3; overall 3.5, 3.0, 3.0. Their data is too close.
        ("rurality-urban", lead.pk): (d("4.00"), 1, 3, d("100.00")),
        ("rurality-urban", None): (d("3.50"), 1, 3, d("100.00")),
        ("nn-0", lead.pk): (d("4.00"), 1, 3, d("100.00")),
        ("nn-0", None): (d("3.50"), 1, 3, d("100.00")),
    }
    assert positions_of(round_, b) == {
        ("tier-unitary", lead.pk): (d("3.00"), 2, 6, d("60.00")),  # 3 of 5 lower
        ("tier-unitary", data.pk): (d("3.00"), 1, 5, d("0.00")),
        ("tier-unitary", None): (d("3.00"), 2, 6, d("60.00")),  # 2.5, 2.3, 1.0
        ("region-x", data.pk): (d("3.00"), 1, 5, d("0.00")),
        ("rurality-urban", lead.pk): (d("3.00"), 2, 3, d("0.00")),  # tied with c, below a
        ("rurality-urban", None): (d("3.00"), 2, 3, d("0.00")),
        ("nn-0", lead.pk): (d("3.00"), 2, 3, d("0.00")),
        ("nn-0", None): (d("3.00"), 2, 3, d("0.00")),
    }
    # Not in the first three; its own two-council group is too small.
    assert positions_of(round_, e) == {
        ("tier-unitary", lead.pk): (d("2.00"), 4, 6, d("40.00")),
        ("tier-unitary", data.pk): (d("3.00"), 1, 5, d("0.00")),
        ("tier-unitary", None): (d("2.50"), 4, 6, d("40.00")),
        ("region-x", data.pk): (d("3.00"), 1, 5, d("0.00")),
    }
    assert positions_of(round_, f)[("tier-unitary", None)] == (d("2.30"), 5, 6, d("20.00"))
    # g has no data score, and is only in the tier.
    assert positions_of(round_, g) == {
        ("tier-unitary", lead.pk): (d("1.00"), 6, 6, d("0.00")),
        ("tier-unitary", None): (d("1.00"), 6, 6, d("0.00")),
    }


def test_positions_exactly_for_published_groups_containing_the_council(scored):
    round_, lead, data, councils, groups = scored

    def reason(group: str, dimension) -> str:
        return released.get(peer_group=groups[group], dimension=dimension).suppression_reason

    # The one release so far; what it publishes is what positions come from.
    released = ReleasedResult.objects.current().filter(round=round_)

    # The lead scores: the region is one council short of the tier; two councils are too few.
    assert [reason(g, lead) for g in groups] == ["", "overlap", "", "too_small", ""]
    # Council g has no data score, so there the region equals the tier (published) and the
    # first three are two councils away from both.
    assert [reason(g, data) for g in groups] == ["", "", "overlap", "too_small", "overlap"]
    assert [reason(g, None) for g in groups] == ["", "overlap", "", "too_small", ""]

    # Every council's own scores, as the fixture gave them.
    own: dict = {}
    for council, score in zip(councils, LEADS, strict=True):
        dimensions = {lead.pk: d(score)} if score == "1.0" else {lead.pk: d(score), data.pk: d("3")}
        own[council.pk] = {**dimensions, None: overall_score(dimensions.values())}

    expected: dict = {council.pk: {} for council in councils}
    for result in released.filter(suppressed=False):
        subject = result.dimension_id
        members = result.peer_group.members.values_list("pk", flat=True)
        group_scores = {c: own[c][subject] for c in members if subject in own[c]}
        assert len(group_scores) == result.councils
        for council_id, position in positions(group_scores).items():
            expected[council_id][(result.peer_group_id, subject)] = position

    for council in councils:
        found = council_positions(round_id=round_.pk, council_id=council.pk)
        assert found == expected[council.pk], council
    # Nothing in a suppressed group, for anyone.
    suppressed = set(released.filter(suppressed=True).values_list("peer_group_id", "dimension_id"))
    assert len(suppressed) == 7  # lead 2, data 3, overall 2
    for council in councils:
        assert not suppressed & set(council_positions(round_id=round_.pk, council_id=council.pk))


def test_the_neighbour_group_appears_only_for_councils_in_it(scored):
    round_, lead, data, councils, groups = scored
    neighbours = groups["neighbours"].pk

    for council in councils[:3]:  # the owner and its two neighbours
        found = council_positions(round_id=round_.pk, council_id=council.pk)
        assert {key for key in found if key[0] == neighbours} == {
            (neighbours, lead.pk),
            (neighbours, None),
        }
    for council in councils[3:]:
        found = council_positions(round_id=round_.pk, council_id=council.pk)
        assert not [key for key in found if key[0] == neighbours]


def test_no_positions_for_a_council_that_is_not_signed_off(scored):
    round_, lead, data, councils, groups = scored
    # A member of the tier, with frozen scores equal to others' (so each is in the tier's
    # distribution), but only submitted: it does not count.
    submitted = CouncilFactory()
    groups["tier"].members.add(submitted)
    scored_assessment(
        council=submitted,
        round=round_,
        scores={lead: "3.0", data: "3.0"},
        status=AssessmentStatus.SUBMITTED,
    )
    release(round_)

    assert council_positions(round_id=round_.pk, council_id=submitted.pk) == {}
    # A signed-off council that is in no group, and a council with nothing at all.
    loner = CouncilFactory()
    scored_assessment(council=loner, round=round_, scores={lead: "3.0", data: "3.0"})
    assert council_positions(round_id=round_.pk, council_id=loner.pk) == {}
    assert council_positions(round_id=round_.pk, council_id=CouncilFactory().pk) == {}


def test_a_reopened_council_has_no_positions(scored):
    round_, lead, data, councils, groups = scored
    b = councils[1]
    assert council_positions(round_id=round_.pk, council_id=b.pk)
    # What assessment_reopen leaves behind.
    Assessment.objects.filter(council=b, round=round_).update(status=AssessmentStatus.IN_PROGRESS)
    DimensionScore.objects.filter(council=b, round=round_).delete()

    assert council_positions(round_id=round_.pk, council_id=b.pk) == {}
    benchmarks_update_for_council(round_id=round_.pk, council_id=b.pk)
    released = tier_lead_set(round_, groups, lead)
    # A release, but only because two withheld groups are now too small, not too close.
    assert release_make(round_id=round_.pk) is not None
    # One council gone is fewer than k: the tier keeps its figures, which still count b.
    assert tier_lead_set(round_, groups, lead) == released
    assert council_positions(round_id=round_.pk, council_id=b.pk) == {}


def tier_lead_set(round_, groups, lead) -> int | None:
    """The published set the tier's lead figures in the current release come from."""
    return (
        ReleasedResult.objects.current()
        .get(round=round_, peer_group=groups["tier"], dimension=lead)
        .published_set_id
    )


@pytest.mark.parametrize(
    "lead_score",
    [
        "4.8",  # a score nobody else has
        "3.0",  # a score others have: the tier's released distribution already contains it
    ],
)
def test_figures_not_yet_counting_a_council_give_no_position_rather_than_a_wrong_one(
    scored, lead_score
):
    round_, lead, data, councils, groups = scored
    late, *others = [CouncilFactory() for _ in range(3)]
    groups["tier"].members.add(late, *others)
    # The new members, before they sign off: no score has changed, so nothing to release.
    assert release(round_) is None
    # It signs off; its job has not run yet.
    scored_assessment(council=late, round=round_, scores={lead: lead_score, data: "3.0"})

    assert council_positions(round_id=round_.pk, council_id=late.pk) == {}

    benchmarks_update_for_council(round_id=round_.pk, council_id=late.pk)
    # Under releases one council more is fewer than k: the tier keeps the figures released
    # without it, so still no position (not a place found in figures that do not count it).
    assert release_make(round_id=round_.pk) is None
    assert council_positions(round_id=round_.pk, council_id=late.pk) == {}

    # Two more sign-offs make k councils come: the tier's new figures count all three.
    for other in others:
        scored_assessment(council=other, round=round_, scores={lead: "1.0", data: "3.0"})
    assert release(round_) is not None
    found = council_positions(round_id=round_.pk, council_id=late.pk)
    tier = groups["tier"].pk
    assert set(found) == {(tier, lead.pk), (tier, data.pk), (tier, None)}
    assert found[(tier, lead.pk)].councils == 9
    assert found[(tier, lead.pk)].rank == (1 if lead_score == "4.8" else 2)


def sign_off_again(council, round_, scores) -> None:
    """Reopened and signed off again with these scores (what assessment_sign_off leaves)."""
    Assessment.objects.filter(council=council, round=round_).delete()
    scored_assessment(council=council, round=round_, scores=scores)


def test_a_council_signed_off_again_with_new_scores_waits_for_a_release_counting_them(scored):
    round_, lead, data, councils, groups = scored
    a, b, c = councils[:3]
    tier = groups["tier"].pk
    before = council_positions(round_id=round_.pk, council_id=b.pk)
    # Lead 3.0 -> 4.0 (a's score), before any job has run.
    sign_off_again(b, round_, {lead: "4.0", data: "3.0"})

    # Positions are exact per subject: the released figures count b's data score as it is
    # now, so those places stay; the lead score and the overall score (3.0 -> 3.5) wait.
    found = council_positions(round_id=round_.pk, council_id=b.pk)
    assert found == {key: p for key, p in before.items() if key[1] == data.pk}
    assert (tier, data.pk) in found

    benchmarks_update_for_council(round_id=round_.pk, council_id=b.pk)
    # A changed score is one element gone and one come, fewer than k on each side: every
    # group keeps figures counting b's 3.0 (where its 4.0 would be placed as a's).
    assert release_make(round_id=round_.pk) is None
    assert council_positions(round_id=round_.pk, council_id=b.pk) == found

    # a and c change too: three gone and three come in the tier and in the first three.
    sign_off_again(a, round_, {lead: "3.5", data: "3.0"})
    sign_off_again(c, round_, {lead: "4.0", data: "3.0"})
    assert release(round_) is not None
    found = council_positions(round_id=round_.pk, council_id=b.pk)
    assert found[(tier, lead.pk)] == Position(
        score=d("4.00"),
        rank=1,
        councils=6,
        percentile=d("80.00"),  # tied with c, 4 of 5 lower
    )
    assert found[(tier, None)].score == d("3.50")


def test_council_positions_query_count_does_not_grow_with_groups(scored, django_assert_num_queries):
    round_, lead, data, councils, groups = scored
    a = councils[0]
    # Own scores, the released results, the sets they were published from.
    with django_assert_num_queries(3):
        few = council_positions(round_id=round_.pk, council_id=a.pk)
    for index in range(30):
        make_group(f"many-{index}", PeerGroupKind.RURALITY, councils[: 3 + index % 4])
    assert release(round_) is not None

    with django_assert_num_queries(3):
        many = council_positions(round_id=round_.pk, council_id=a.pk)
    assert len(many) > len(few) + 30


def test_staff_can_see_results_and_runs_in_the_admin_but_not_what_places_councils(
    client, personas, scored
):
    round_, lead, data, councils, groups = scored
    client.force_login(personas.staff)
    run = BenchmarkRun.objects.get(round=round_)
    # Council a's scores as the run keeps them, and a published result's distribution.
    a_scores = run.council_scores[f"c{councils[0].pk}"]
    assert a_scores == f"{lead.pk}:4.00,{data.pk}:3.00"
    published = BenchmarkResult.objects.get(round=round_, peer_group=groups["tier"], dimension=lead)
    assert published.distribution == {"1.0": 1, "1.5": 1, "2.0": 1, "3.0": 2, "4.0": 1}

    # (the field kept off the pages, one shown beside it)
    fields = {
        "benchmarkrun": ("council_scores", "basis"),
        "benchmarkresult": ("distribution", "level_counts"),
    }
    for model, (hidden, shown) in fields.items():
        changelist = client.get(reverse(f"admin:benchmarks_{model}_changelist"))
        assert changelist.status_code == 200, model
        obj = published if model == "benchmarkresult" else run
        detail = client.get(reverse(f"admin:benchmarks_{model}_change", args=[obj.pk]))
        assert detail.status_code == 200
        assert not detail.context["has_change_permission"]
        assert client.get(reverse(f"admin:benchmarks_{model}_add")).status_code == 403

        form = detail.context["adminform"]
        on_page = {*form.readonly_fields, *form.form.fields}
        assert shown in on_page, model
        assert hidden not in on_page, model
        for page in (changelist, detail):
            content = page.content.decode()
            assert hidden.replace("_", " ").capitalize() not in content, model
            assert a_scores not in content
            assert '"3.0": 2' not in content and "&quot;3.0&quot;: 2" not in content


def test_a_group_changed_since_the_release_places_only_councils_it_counted(scored):
    """Peer groups rebuilt (a council joins the region) and no release yet: the region's
    released figures do not count the newcomer, so it has no place in them."""
    round_, lead, data, councils, groups = scored
    a, g = councils[0], councils[5]
    tier, region = groups["tier"].pk, groups["region"].pk
    before = council_positions(round_id=round_.pk, council_id=g.pk)
    before_a = council_positions(round_id=round_.pk, council_id=a.pk)
    assert (tier, lead.pk) in before
    assert (region, data.pk) in before_a
    groups["region"].members.add(g)
    PeerGroup.objects.filter(pk=region).update(updated_at=timezone.now())

    found = council_positions(round_id=round_.pk, council_id=g.pk)

    assert not any(group == region for group, _ in found)
    # Groups that did not change keep their positions, for everyone in them.
    assert found == before
    # Under releases the changed group's figures keep places for the councils its released
    # set counts with the scores they have now (exact), rather than withholding everyone's.
    assert council_positions(round_id=round_.pk, council_id=a.pk) == before_a

    # Released again: the region now has the tier's councils, published for every subject.
    assert release(round_) is not None
    after = council_positions(round_id=round_.pk, council_id=g.pk)
    assert after[(region, lead.pk)] == after[(tier, lead.pk)] == before[(tier, lead.pk)]
    assert after[(region, None)] == after[(tier, None)]
