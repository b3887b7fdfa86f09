"""The publication rule: no two published groups one viewer can see differ by 1..k-1 councils."""

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarks.models import PeerGroupKind, SuppressionReason
from benchmarks.publication import (
    KIND_PRIORITY,
    OVERLAP,
    PUBLISHED,
    TOO_SMALL,
    Candidate,
    Decision,
    decide,
    too_close,
    visible_together,
)


def group(kind: str, slug: str, members, owner: int | None = None) -> Candidate:
    return Candidate(kind=kind, slug=slug, members=frozenset(members), owner=owner)


def test_constants_match_the_models():
    assert TOO_SMALL == SuppressionReason.TOO_SMALL
    assert OVERLAP == SuppressionReason.OVERLAP
    # Every kind has a place in the priority order, nearest neighbours (private) last.
    assert set(KIND_PRIORITY) == set(PeerGroupKind.values)
    assert KIND_PRIORITY[0] == PeerGroupKind.ALL
    assert KIND_PRIORITY[-1] == PeerGroupKind.NEAREST_NEIGHBOURS


def test_a_region_of_12_and_a_network_of_11_of_them():
    region = set(range(12))
    decisions = decide(
        {
            1: group("region", "region-north-east", region),
            2: group("network", "network-x", region - {0}),
        },
        min_group=5,
    )
    # The network's mean times its count, minus the region's, would give council 0's score.
    assert decisions == {1: PUBLISHED, 2: Decision(published=False, reason=OVERLAP, conflict=1)}


def test_a_region_of_12_and_a_network_of_6_of_them():
    decisions = decide(
        {1: group("region", "region-north-east", range(12)), 2: group("network", "n", range(6))},
        min_group=5,
    )

    assert decisions == {1: PUBLISHED, 2: PUBLISHED}


def test_priority_decides_not_the_ids_or_the_mapping_order():
    # The network has the lower id and comes first in the mapping, but the region wins.
    decisions = decide(
        {1: group("network", "n", range(11)), 2: group("region", "r", range(12))}, min_group=5
    )

    assert decisions[2] == PUBLISHED
    assert decisions[1].reason == OVERLAP


@pytest.mark.parametrize(
    ("size", "expected"), [(4, Decision(False, TOO_SMALL)), (5, PUBLISHED), (6, PUBLISHED)]
)
def test_too_small_below_the_threshold_and_published_at_and_above(size, expected):
    assert decide({1: group("region", "r", range(size))}, min_group=5) == {1: expected}


def test_identical_groups_are_both_published():
    # Same councils, same figures: nothing new is revealed.
    decisions = decide(
        {1: group("nation", "e", range(7)), 2: group("tier", "t", range(7))}, min_group=5
    )

    assert decisions == {1: PUBLISHED, 2: PUBLISHED}


def test_disjoint_groups_are_both_published():
    decisions = decide(
        {1: group("region", "a", range(5)), 2: group("region", "b", range(5, 10))}, min_group=5
    )

    assert decisions == {1: PUBLISHED, 2: PUBLISHED}


def test_both_differences_count():
    # |A \ B| = 5 is fine, but |B \ A| = 1 is not.
    decisions = decide(
        {1: group("region", "a", range(10)), 2: group("network", "b", [*range(5), 99])},
        min_group=5,
    )

    assert decisions[2].reason == OVERLAP


def test_a_suppressed_group_does_not_block_others():
    # The network is suppressed by the region; the rurality group is compared only with
    # the region (published), not with the network (not published).
    decisions = decide(
        {
            1: group("region", "r", range(12)),
            2: group("network", "n", range(11)),
            3: group("rurality", "u", range(6)),
        },
        min_group=5,
    )

    assert decisions[1] == decisions[3] == PUBLISHED
    assert decisions[2].reason == OVERLAP


def test_private_groups_are_compared_with_public_ones_only():
    public = group("region", "r", range(12))
    # Two owners' neighbour groups differing by one council: nobody sees both.
    mine = group("nearest_neighbours", "nn-1", range(1, 7), owner=1)
    theirs = group("nearest_neighbours", "nn-2", range(1, 8), owner=2)
    # A neighbour group one council away from the public region: its owner sees both.
    close = group("nearest_neighbours", "nn-3", range(11), owner=3)

    decisions = decide({1: public, 2: mine, 3: theirs, 4: close}, min_group=5)

    assert decisions[1] == decisions[2] == decisions[3] == PUBLISHED
    assert decisions[4] == Decision(published=False, reason=OVERLAP, conflict=1)


def test_visibility():
    public = group("region", "r", [1])
    assert visible_together(public, group("nearest_neighbours", "a", [1], owner=1))
    assert visible_together(
        group("nearest_neighbours", "a", [1], owner=1),
        group("nearest_neighbours", "b", [1], owner=1),
    )
    assert not visible_together(
        group("nearest_neighbours", "a", [1], owner=1),
        group("nearest_neighbours", "b", [1], owner=2),
    )


def test_too_close():
    a = frozenset(range(10))
    assert not too_close(a, a, min_group=5)
    assert too_close(a, a - {0}, min_group=5)
    assert not too_close(a, frozenset(range(5)), min_group=5)
    assert too_close(a, frozenset(range(6)), min_group=5)  # |A \ B| = 4
    assert not too_close(a, frozenset(range(10, 15)), min_group=5)


def test_rejects_min_group_below_one():
    with pytest.raises(ValueError):
        decide({}, min_group=0)


def test_adding_a_score_can_lift_too_small_as_it_should():
    # "Adding a council's score never lifts a TOO_SMALL suppression" is not a property of the
    # rule (nor should it be): a group of k - 1 that gains its k-th council is published.
    before = decide({1: group("region", "r", range(4))}, min_group=5)
    after = decide({1: group("region", "r", range(5))}, min_group=5)

    assert before[1].reason == TOO_SMALL
    assert after[1] == PUBLISHED


# Properties ------------------------------------------------------------------------------------

COUNCILS = 40


@st.composite
def families(draw):
    """A random family of up to 14 groups over at most 40 councils, with k from 2 to 6."""
    councils = draw(st.integers(min_value=1, max_value=COUNCILS))
    count = draw(st.integers(min_value=0, max_value=14))
    candidates = {}
    everyone = st.integers(0, councils - 1)
    for index in range(count):
        kind = draw(st.sampled_from(KIND_PRIORITY))
        if candidates and draw(st.booleans()):
            # Close to an earlier group: the case the rule is for.
            near = draw(st.sampled_from(sorted(candidates)))
            members = candidates[near].members ^ draw(st.frozensets(everyone, max_size=4))
        else:
            members = draw(st.frozensets(everyone, max_size=councils))
        if kind == "nearest_neighbours":
            owner = draw(st.integers(0, councils - 1))
            candidates[100 + index] = Candidate(
                kind=kind, slug=f"nn-{index}", members=members | {owner}, owner=owner
            )
        else:
            # Slugs may repeat across kinds and even within one: ties fall back on the id.
            slug = draw(st.sampled_from(["a", "b", "c", f"g{index}"]))
            candidates[100 + index] = Candidate(kind=kind, slug=slug, members=members)
    return candidates, draw(st.integers(min_value=2, max_value=6))


@given(family=families())
def test_every_published_group_has_at_least_k_members(family):
    candidates, k = family
    for key, decision in decide(candidates, min_group=k).items():
        if decision.published:
            assert len(candidates[key].members) >= k
        # TOO_SMALL depends on the group alone, whatever the others.
        assert (decision.reason == TOO_SMALL) == (len(candidates[key].members) < k)


@given(family=families())
def test_published_groups_seen_together_differ_by_zero_or_at_least_k(family):
    candidates, k = family
    decisions = decide(candidates, min_group=k)
    published = [key for key, decision in decisions.items() if decision.published]
    for a in published:
        for b in published:
            if a == b or not visible_together(candidates[a], candidates[b]):
                continue
            members_a, members_b = candidates[a].members, candidates[b].members
            for difference in (members_a - members_b, members_b - members_a):
                assert len(difference) == 0 or len(difference) >= k, (a, b)


@given(family=families(), seed=st.integers(0, 2**32))
def test_deterministic_and_independent_of_the_mapping_order(family, seed):
    candidates, k = family
    keys = list(candidates)
    random.Random(seed).shuffle(keys)
    shuffled = {key: candidates[key] for key in keys}

    assert decide(shuffled, min_group=k) == decide(candidates, min_group=k)
    assert decide(candidates, min_group=k) == decide(candidates, min_group=k)


@given(family=families())
def test_every_overlap_names_a_published_group_it_is_too_close_to(family):
    # Nothing is suppressed without a reason: the rule is no stricter than it says.
    candidates, k = family
    decisions = decide(candidates, min_group=k)
    for key, decision in decisions.items():
        if decision.reason != OVERLAP:
            continue
        assert decision.conflict is not None
        blocker = candidates[decision.conflict]
        assert decisions[decision.conflict].published
        assert visible_together(candidates[key], blocker)
        assert too_close(candidates[key].members, blocker.members, min_group=k)


@given(family=families(), data=st.data())
def test_removing_a_score_never_lifts_too_small(family, data):
    candidates, k = family
    council = data.draw(st.integers(0, COUNCILS - 1))
    without = {
        key: Candidate(c.kind, c.slug, c.members - {council}, c.owner)
        for key, c in candidates.items()
    }
    before, after = decide(candidates, min_group=k), decide(without, min_group=k)
    for key, decision in before.items():
        if decision.reason == TOO_SMALL:
            assert after[key].reason == TOO_SMALL
