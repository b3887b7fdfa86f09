"""Which figures a release publishes, so that none can be subtracted from another, ever:
pure functions, standard library only, no ORM.

`publication.decide` keeps apart the groups published *at one moment*. People also see figures
one after another: a dashboard reloaded after one more council signs off, or open data
downloaded twice, would give that council's scores by subtraction. So every figure anyone is
shown comes from a release, and a release publishes a group's new figures only if they keep
this invariant:

    For one round and one subject (a dimension, or the overall score), take any two sets of
    scores that were ever published, in this release or any earlier one, that one viewer
    could see both of. Each side of their difference is empty or holds at least `min_group`
    scores.

A set's elements are (council, score) pairs, not councils: a council that reopened and signed
off again with another score is one element gone and one come, so two figures built on the
same councils but one changed score are as close as two that differ by one council.

For each group and subject, in `publication.priority` order, the release either
- publishes **new** figures, when the group's current set has at least `min_group` elements
  and is not too close to any set in the history or already chosen in this release (its own
  last published set included: so a group's figures move only when at least `min_group`
  scores have come or gone on each side that changed);
- **keeps** the figures it last published (dated: "figures as of ..."), when it has any; or
- is **withheld**: too few councils, or too close to another published set.

Keeping is always safe, because the kept set is in the history already; publishing a new set
adds it to the history only after checking it against everything there. By induction, every
pair of sets ever published satisfies the invariant. `tests/test_release_rule.py` checks it
over random sequences of sign-offs, reopenings, group changes and releases.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from .publication import OVERLAP, TOO_SMALL, Candidate, priority, seen_together, too_close

# One council's score in one subject.
Element = tuple[int, Decimal]
Members = frozenset[Element]


@dataclass(frozen=True)
class Published:
    """A set of scores once published: its elements and, for a private group, the council that
    alone sees it (None: anyone may)."""

    members: Members
    owner: int | None = None


@dataclass(frozen=True)
class GroupNow:
    """One group's current state for one subject: its kind and slug (for priority), its owner,
    its current elements, and the set its figures were last published from (None: never)."""

    kind: str
    slug: str
    members: Members
    owner: int | None = None
    last: Members | None = None


class Outcome(Enum):
    NEW = "new"
    KEEP = "keep"
    WITHHELD = "withheld"


@dataclass(frozen=True)
class Choice:
    outcome: Outcome
    reason: str = ""  # for WITHHELD: publication.TOO_SMALL or OVERLAP

    @property
    def published(self) -> bool:
        return self.outcome is not Outcome.WITHHELD


NEW, KEEP = Choice(Outcome.NEW), Choice(Outcome.KEEP)


def councils_of(members: Iterable[Element]) -> frozenset[int]:
    return frozenset(council for council, _ in members)


class _Index:
    """Published sets by the councils in them, so a candidate is compared only with sets it
    shares a council with (a disjoint set differs from it by both whole sets, each at least
    min_group) and only with those one viewer could see with it."""

    def __init__(self) -> None:
        self.sets: list[Published] = []
        self.by_council: dict[int, list[int]] = defaultdict(list)

    def add(self, published: Published) -> None:
        self.sets.append(published)
        for council in councils_of(published.members):
            self.by_council[council].append(len(self.sets) - 1)

    def conflicts(self, candidate: Published, *, min_group: int) -> bool:
        near = {i for council in councils_of(candidate.members) for i in self.by_council[council]}
        for index in near:
            other = self.sets[index]
            if seen_together(candidate.owner, other.owner) and too_close(
                candidate.members, other.members, min_group=min_group
            ):
                return True
        return False


def choose(
    groups: Mapping[int, GroupNow], history: Iterable[Published], *, min_group: int
) -> dict[int, Choice]:
    """The release's choice for every group, for one round and one subject.

    `history` is every set published for this round and subject in earlier releases (each
    group's `last` among them). The result depends only on the inputs, through
    `publication.priority` and then the group's key. ValueError for min_group below 1.
    """
    if min_group < 1:
        raise ValueError(f"min_group must be at least 1, not {min_group}.")
    index = _Index()
    seen: set[Published] = set()
    for published in history:
        if published not in seen:
            seen.add(published)
            index.add(published)
    order = sorted(
        groups,
        key=lambda key: (
            priority(Candidate(groups[key].kind, groups[key].slug, frozenset())),
            key,
        ),
    )
    choices: dict[int, Choice] = {}
    for key in order:
        group = groups[key]
        fallback = KEEP if group.last is not None else None
        if group.members == group.last:
            choices[key] = KEEP
            continue
        if len(group.members) < min_group:
            choices[key] = fallback or Choice(Outcome.WITHHELD, TOO_SMALL)
            continue
        candidate = Published(group.members, group.owner)
        if index.conflicts(candidate, min_group=min_group):
            choices[key] = fallback or Choice(Outcome.WITHHELD, OVERLAP)
            continue
        choices[key] = NEW
        if candidate not in seen:
            seen.add(candidate)
            index.add(candidate)
    return choices


def violations(published: Iterable[Published], *, min_group: int) -> list[tuple[Members, Members]]:
    """Every pair of published sets that breaks the invariant (for tests and the reconcile's
    self-check): quadratic, so not for the release itself."""
    distinct = list(dict.fromkeys(published))
    found = []
    for i, a in enumerate(distinct):
        for b in distinct[i + 1 :]:
            if seen_together(a.owner, b.owner) and too_close(
                a.members, b.members, min_group=min_group
            ):
                found.append((a.members, b.members))
    return found
