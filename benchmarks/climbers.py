"""Councils that have climbed a barrier and offered to say how: for a council's priorities.

Only councils that opted in (plans.SharingOffer) are ever listed, and only with the contact and
note they chose; never a score. A council qualifies for a barrier when its level band there
rose by at least one level between its last two signed-off rounds, or is level 4 or above in
its last one. Its own nearest neighbours come first, then councils of its region, then the
rest, each by name. Three queries, whatever the number of councils or rounds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assessments.models import DimensionScore
from assessments.scoring import level_band
from councils.models import Council
from plans.models import SharingOffer

from .models import PeerGroup, PeerGroupKind

MAX_SHOWN = 5
HIGH_LEVEL = 4


@dataclass(frozen=True)
class Climber:
    council_name: str
    dimension_code: str
    contact_name: str
    contact_email: str
    note: str


def qualifies(bands_latest_first: Sequence[int | None]) -> bool:
    """Rose at least one level between the last two rounds, or is at level 4 or above now.
    A round with no score in the barrier breaks the comparison."""
    if not bands_latest_first or bands_latest_first[0] is None:
        return False
    latest = bands_latest_first[0]
    if latest >= HIGH_LEVEL:
        return True
    previous = bands_latest_first[1] if len(bands_latest_first) > 1 else None
    return previous is not None and latest - previous >= 1


def climbers_for(
    council: Council, dimension_codes: Iterable[str], *, neighbours: set[int] | None = None
) -> dict[str, list[Climber]]:
    """{barrier code: up to five opted-in councils that climbed it}, for `council`'s view.
    `neighbours`, the council's nearest neighbours if the caller has read them already."""
    codes = list(dict.fromkeys(dimension_codes))
    if not codes:
        return {}
    offers = list(
        SharingOffer.objects.active()
        .filter(dimension_code__in=codes)
        .exclude(council=council)
        .select_related("council")
    )
    if not offers:
        return {}
    bands: defaultdict[tuple[int, str], list[int | None]] = defaultdict(list)
    for council_id, code, score in (
        DimensionScore.objects.signed_off()
        .filter(council__in={o.council_id for o in offers}, dimension__code__in=codes)
        .order_by("council_id", "dimension__code", "-round__opens_on")
        .values_list("council_id", "dimension__code", "score")
    ):
        bands[(council_id, code)].append(level_band(score))
    if neighbours is None:
        neighbours = set(
            PeerGroup.objects.filter(
                kind=PeerGroupKind.NEAREST_NEIGHBOURS, owner=council
            ).values_list("members", flat=True)
        )

    def rank(offer: SharingOffer) -> tuple[int, str]:
        closeness = (
            0
            if offer.council_id in neighbours
            else 1
            if offer.council.region == council.region
            else 2
        )
        return closeness, offer.council.name

    found: dict[str, list[Climber]] = {}
    for offer in sorted(offers, key=rank):
        if not qualifies(bands.get((offer.council_id, offer.dimension_code), [])):
            continue
        shown = found.setdefault(offer.dimension_code, [])
        if len(shown) < MAX_SHOWN:
            shown.append(
                Climber(
                    council_name=offer.council.name,
                    dimension_code=offer.dimension_code,
                    contact_name=offer.contact_name,
                    contact_email=offer.contact_email,
                    note=offer.note,
                )
            )
    return found
