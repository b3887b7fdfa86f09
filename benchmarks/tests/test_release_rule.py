"""The release rule (benchmarks.release_rule): no two sets of scores ever published, in one
release or across releases, differ by fewer than min_group on a side that differs."""

import random
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.publication import OVERLAP, TOO_SMALL
from benchmarks.release_rule import (
    KEEP,
    NEW,
    Choice,
    GroupNow,
    Outcome,
    Published,
    choose,
    violations,
)

K = 3


def scores(*councils: int, score: str = "3.0") -> frozenset:
    return frozenset((c, Decimal(score)) for c in councils)


def test_live_figures_after_each_sign_off_can_be_subtracted():
    """What the rule prevents: the same group published before and after one more sign-off."""
    before, after = Published(scores(1, 2, 3)), Published(scores(1, 2, 3, 4))

    assert violations([before, after], min_group=K) == [(before.members, after.members)]


def test_a_growing_group_moves_only_in_steps_of_min_group():
    published: Published | None = None
    outcomes = []
    for size in range(1, 11):
        members = scores(*range(size))
        choice = choose(
            {1: GroupNow("all", "all", members, last=published.members if published else None)},
            [published] if published else [],
            min_group=K,
        )[1]
        outcomes.append((size, choice.outcome))
        if choice.outcome is Outcome.NEW:
            published = Published(members)

    assert outcomes == [
        (1, Outcome.WITHHELD),
        (2, Outcome.WITHHELD),
        (3, Outcome.NEW),
        (4, Outcome.KEEP),
        (5, Outcome.KEEP),
        (6, Outcome.NEW),
        (7, Outcome.KEEP),
        (8, Outcome.KEEP),
        (9, Outcome.NEW),
        (10, Outcome.KEEP),
    ]


def test_a_changed_score_is_a_council_gone_and_one_come():
    last = scores(1, 2, 3, 4, 5)
    changed = (last - {(5, Decimal("3.0"))}) | {(5, Decimal("4.2"))}

    choice = choose({1: GroupNow("all", "all", changed, last=last)}, [Published(last)], min_group=K)

    assert choice == {1: KEEP}


def test_a_new_group_too_close_to_an_earlier_release_is_withheld():
    earlier = Published(scores(1, 2, 3, 4, 5, 6))

    choice = choose(
        {2: GroupNow("region", "region-x", scores(1, 2, 3, 4, 5, 6, 7))},
        [earlier],
        min_group=K,
    )

    assert choice == {2: Choice(Outcome.WITHHELD, OVERLAP)}


def test_too_few_councils_and_never_published_is_withheld_as_too_small():
    assert choose({1: GroupNow("all", "all", scores(1, 2))}, [], min_group=K) == {
        1: Choice(Outcome.WITHHELD, TOO_SMALL)
    }


def test_private_groups_of_different_councils_are_not_compared():
    mine = Published(scores(1, 2, 3, 4), owner=1)

    choice = choose(
        {9: GroupNow("nearest_neighbours", "nn-2", scores(1, 2, 3, 4, 5), owner=2)},
        [mine],
        min_group=K,
    )

    assert choice == {9: NEW}


def test_min_group_below_one_is_refused():
    with pytest.raises(ValueError):
        choose({}, [], min_group=0)


# The property ---------------------------------------------------------------------------------

COUNCILS = 14
GROUP_KINDS = ["all", "region", "rurality", "nearest_neighbours"]


@st.composite
def histories(draw):
    """A random round: groups (some private), then steps of sign-offs, reopenings, changed
    scores, group rebuilds and releases, in any order."""
    k = draw(st.integers(min_value=2, max_value=5))
    seed = draw(st.integers(min_value=0, max_value=2**32 - 1))
    steps = draw(
        st.lists(
            st.sampled_from(["sign_off", "reopen", "change", "regroup", "release"]),
            min_size=5,
            max_size=60,
        )
    )
    return k, seed, steps


def _random_group(rng: random.Random, key: int) -> tuple[str, frozenset[int], int | None]:
    kind = rng.choice(GROUP_KINDS)
    members = frozenset(rng.sample(range(COUNCILS), rng.randint(0, COUNCILS)))
    owner = None
    if kind == "nearest_neighbours":
        owner = rng.randrange(COUNCILS)
        members |= {owner}
    return kind, members, owner


@settings(max_examples=300, deadline=None, derandomize=True)
@given(histories())
def test_no_two_sets_ever_published_can_be_subtracted(history):
    k, seed, steps = history
    rng = random.Random(seed)
    groups = {key: _random_group(rng, key) for key in range(rng.randint(1, 7))}
    signed_off: dict[int, Decimal] = {}
    last: dict[int, frozenset] = {}
    published: list[Published] = []
    releases = 0

    def release() -> None:
        current = {
            key: GroupNow(
                kind,
                f"{kind}-{key}",
                frozenset((c, signed_off[c]) for c in members if c in signed_off),
                owner=owner,
                last=last.get(key),
            )
            for key, (kind, members, owner) in groups.items()
        }
        for key, choice in choose(current, published, min_group=k).items():
            if choice.outcome is Outcome.NEW:
                last[key] = current[key].members
                published.append(Published(current[key].members, current[key].owner))

    for step in [*steps, "release"]:
        council = rng.randrange(COUNCILS)
        if step == "sign_off" or (step == "change" and council in signed_off):
            signed_off[council] = Decimal(rng.randint(10, 50)) / 10
        elif step == "reopen":
            signed_off.pop(council, None)
        elif step == "regroup":
            # A group rebuilt with other members keeps what it last published, as a PeerGroup
            # keeps its id; or a new group.
            key = rng.randrange(len(groups) + 1)
            groups[key] = _random_group(rng, key)
        elif step == "release":
            release()
            releases += 1

    assert violations(published, min_group=k) == []
