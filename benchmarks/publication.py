"""Which peer groups' results may be published: pure functions, standard library only, no ORM.

The rule, for one round and one dimension (or the overall score), over the groups' *effective*
members (the member councils with a score for that dimension in that round):

(a) a group with fewer than `min_group` effective members is suppressed (TOO_SMALL);
(b) going through the rest in priority order (`priority`), a group is published only if,
    against every group already published that one viewer could also see, both set
    differences |A \\ B| and |B \\ A| are 0 or at least `min_group`; otherwise it is suppressed
    (OVERLAP).

Public groups are seen by everyone; a private group (nearest neighbours, `owner` set) only by
its owner, so two private groups of different owners are never compared. Why this is enough
against "a group that differs by one or two councils", and what it does not cover, is written
down in the app's README ("Suppression").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

# The same values as models.SuppressionReason (a test keeps them equal).
TOO_SMALL = "too_small"
OVERLAP = "overlap"

# Publication priority by PeerGroupKind value: the groups people compare with most come first,
# and private nearest-neighbour groups last, so that no public group ever loses to one. A kind
# not listed here comes after every listed public kind (but still before nearest neighbours).
KIND_PRIORITY = (
    "all",
    "nation",
    "tier",
    "council_type",
    "region",
    "population_band",
    "deprivation",
    "rurality",
    "network",
    "nearest_neighbours",
)
_UNLISTED = KIND_PRIORITY.index("nearest_neighbours") - 0.5


@dataclass(frozen=True)
class Candidate:
    """One group for one dimension: its kind and slug (for priority), its effective members,
    and, for a private group, the one council that sees it."""

    kind: str
    slug: str
    members: frozenset[int]
    owner: int | None = None


@dataclass(frozen=True)
class Decision:
    published: bool
    reason: str = ""  # "", TOO_SMALL or OVERLAP
    # For OVERLAP: the published group it is too close to (the first found in priority order).
    conflict: int | None = None


PUBLISHED = Decision(published=True)


def priority(candidate: Candidate) -> tuple[float, str]:
    """The sort key: kind as in KIND_PRIORITY, then slug."""
    rank = KIND_PRIORITY.index(candidate.kind) if candidate.kind in KIND_PRIORITY else _UNLISTED
    return (rank, candidate.slug)


def seen_together(owner_a: int | None, owner_b: int | None) -> bool:
    """Whether one viewer can see the results of two groups with these owners: unless both are
    private to different councils. (A person with roles at two councils is the known
    exception; see the README.)"""
    return owner_a is None or owner_b is None or owner_a == owner_b


def visible_together(a: Candidate, b: Candidate) -> bool:
    return seen_together(a.owner, b.owner)


def too_close(a: AbstractSet[Hashable], b: AbstractSet[Hashable], *, min_group: int) -> bool:
    """True if |a \\ b| or |b \\ a| is between 1 and min_group - 1."""
    common = len(a & b)
    only_a, only_b = len(a) - common, len(b) - common
    return 0 < only_a < min_group or 0 < only_b < min_group


def decide(candidates: Mapping[int, Candidate], *, min_group: int) -> dict[int, Decision]:
    """Decide, for every group, whether its results may be published (see the module doc).

    `candidates` is keyed by group id. The result depends only on the candidates (through
    `priority`, ties broken by id), never on the order of the mapping. Only published groups
    that share a council with the group at hand need checking (disjoint groups differ by
    themselves, both at least min_group), so the cost grows with the number of (council,
    group) memberships, not with the number of pairs of groups. ValueError for min_group
    below 1.
    """
    if min_group < 1:
        raise ValueError(f"min_group must be at least 1, not {min_group}.")
    order = sorted(candidates, key=lambda key: (priority(candidates[key]), key))
    position = {key: index for index, key in enumerate(order)}
    decisions: dict[int, Decision] = {}
    # The published groups so far: public ones by member council; private ones by member
    # council and by owner. Keeping them apart means a private group never even looks at
    # other owners' private groups (visible_together, without the lookups).
    public_with: dict[int, list[int]] = defaultdict(list)
    private_with: dict[int, list[int]] = defaultdict(list)
    private_of: dict[int, list[int]] = defaultdict(list)
    for key in order:
        candidate = candidates[key]
        members = candidate.members
        if len(members) < min_group:
            decisions[key] = Decision(published=False, reason=TOO_SMALL)
            continue
        seen_with: set[int] = set().union(*(public_with.get(c, ()) for c in members))
        if candidate.owner is None:
            seen_with.update(*(private_with.get(c, ()) for c in members))
        else:
            seen_with.update(private_of.get(candidate.owner, ()))
        conflicts = [
            other
            for other in seen_with
            if too_close(members, candidates[other].members, min_group=min_group)
        ]
        if conflicts:
            # The highest-priority one, whatever order the set gave them in.
            first = min(conflicts, key=position.__getitem__)
            decisions[key] = Decision(published=False, reason=OVERLAP, conflict=first)
            continue
        decisions[key] = PUBLISHED
        if candidate.owner is None:
            for council in members:
                public_with[council].append(key)
        else:
            private_of[candidate.owner].append(key)
            for council in members:
                private_with[council].append(key)
    return decisions
