"""The most common planned targets across a network's councils, for network analysts.

Counted from plans the chief executive approved after a round's sign-off, by the barriers the
plan had targets in at approval (`Plan.approved_barriers`, never changed afterwards). What is
shown is the network's latest stored snapshot (`PlannedTargetRelease`), and a barrier's count
only when at least the minimum group size of councils (5) planned it. A new snapshot is made
(by the daily release job) only when:

- at least that many councils are counted;
- the councils counted differ from the last snapshot's, in each direction, by none or at least
  that many; and
- they are not too close to the councils counted in another network's latest snapshot for the
  round (benchmarks.publication.too_close), since one analyst may see both.

So any two published figures differ by the choices of at least five councils, over time and
across networks. The decision is a pure function (`may_release`); the rest reads and writes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from assessments.models import Dimension
from core.translation import in_language
from councils.models import Network
from plans.models import Plan, PlanStatus

from .models import PlannedTargetRelease
from .publication import too_close
from .services import min_group_size


def may_release(
    current: frozenset[int],
    previous: frozenset[int] | None,
    others: Iterable[frozenset[int]],
    *,
    min_group: int,
) -> bool:
    """Whether a snapshot of `current` may replace `previous`: see the module's docstring."""
    if len(current) < min_group or current == previous:
        return False
    if previous is not None and too_close(current, previous, min_group=min_group):
        return False
    return not any(too_close(current, other, min_group=min_group) for other in others)


def _approved(round_id: int, council_ids: Iterable[int]) -> dict[int, list[str]]:
    return dict(
        Plan.objects.filter(
            assessment__round_id=round_id,
            council__in=list(council_ids),
            status=PlanStatus.APPROVED,
        ).values_list("council_id", "approved_barriers")
    )


def planned_targets_release_due() -> int:
    """A new snapshot for every network and round where the rule allows one. Returns how many
    were made. Running it again at once makes none."""
    min_group = min_group_size()
    made = 0
    round_ids = set(
        Plan.objects.filter(status=PlanStatus.APPROVED).values_list(
            "assessment__round_id", flat=True
        )
    )
    for round_id in sorted(round_ids):
        with transaction.atomic():
            latest: dict[int, PlannedTargetRelease] = {}
            for snapshot in (
                PlannedTargetRelease.objects.select_for_update()
                .filter(round_id=round_id)
                .order_by("made_at", "pk")
            ):
                latest[snapshot.network_id] = snapshot
            for network in Network.objects.prefetch_related("members").order_by("pk"):
                members = [c.pk for c in network.members.all()]
                plans = _approved(round_id, members)
                current = frozenset(plans)
                previous = latest.get(network.pk)
                others = [frozenset(s.councils) for n, s in latest.items() if n != network.pk]
                if not may_release(
                    current,
                    frozenset(previous.councils) if previous else None,
                    others,
                    min_group=min_group,
                ):
                    continue
                counts = Counter(code for codes in plans.values() for code in set(codes))
                latest[network.pk] = PlannedTargetRelease.objects.create(
                    network=network,
                    round_id=round_id,
                    councils=sorted(current),
                    counts=dict(sorted(counts.items())),
                )
                made += 1
    return made


@dataclass(frozen=True)
class PlannedCount:
    code: str
    name: str
    councils: int


@dataclass(frozen=True)
class PlannedTargets:
    councils: int  # councils counted
    # Barriers planned by at least min_group councils, most first. The others are not named:
    # even "some council planned this" is a figure from fewer than min_group councils.
    shown: list[PlannedCount]
    min_group: int
    made_at: object


def planned_targets(network: Network, round_id: int) -> PlannedTargets | None:
    """The network's latest snapshot for the round, as analysts see it. Two queries."""
    snapshot = (
        PlannedTargetRelease.objects.filter(network=network, round_id=round_id)
        .order_by("-made_at", "-pk")
        .first()
    )
    if snapshot is None:
        return None
    min_group = min_group_size()
    names = {
        code: in_language(name, name_cy)
        for code, name, name_cy in Dimension.objects.filter(framework__rounds=round_id).values_list(
            "code", "name_en", "name_cy"
        )
    }
    counts = sorted(snapshot.counts.items(), key=lambda pair: (-pair[1], names.get(pair[0], "")))
    return PlannedTargets(
        councils=len(snapshot.councils),
        shown=[
            PlannedCount(code, names.get(code, code), n) for code, n in counts if n >= min_group
        ],
        min_group=min_group,
        made_at=snapshot.made_at,
    )
