"""Peer groups: explicit sets of councils to compare with, built from the register and networks.

`peer_groups_build` is safe to run any number of times: it computes every group from the
register and makes the database match it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from councils.models import Council, CouncilType, Nation, Network, Tier

from .models import PeerGroup, PeerGroupKind

# The kinds peer_groups_build owns: a group of one of these kinds that it no longer produces
# (a region that has gone from the register, say) is deleted, with its results.
BUILT_KINDS = (
    PeerGroupKind.ALL,
    PeerGroupKind.NATION,
    PeerGroupKind.COUNCIL_TYPE,
    PeerGroupKind.TIER,
    PeerGroupKind.REGION,
    PeerGroupKind.NETWORK,
)


@dataclass
class _GroupSpec:
    slug: str
    name: str
    kind: str
    members: set[int]
    network_id: int | None = None


def _group_specs() -> list[_GroupSpec]:
    """Every group the register defines, with its member council ids (two queries)."""
    councils = list(Council.objects.values_list("pk", "nation", "council_type", "tier", "region"))
    specs: dict[str, _GroupSpec] = {}

    def add(slug: str, name: str, kind: str, council_id: int) -> None:
        spec = specs.setdefault(slug, _GroupSpec(slug=slug, name=name, kind=kind, members=set()))
        spec.members.add(council_id)

    for pk, nation, council_type, tier, region in councils:
        add("all", "All UK councils", PeerGroupKind.ALL, pk)
        add(
            f"nation-{slugify(nation)}",
            f"Councils in {Nation(nation).label}",
            PeerGroupKind.NATION,
            pk,
        )
        add(
            f"type-{slugify(council_type)}",
            f"Council type: {CouncilType(council_type).label}",
            PeerGroupKind.COUNCIL_TYPE,
            pk,
        )
        add(f"tier-{slugify(tier)}", f"Tier: {Tier(tier).label}", PeerGroupKind.TIER, pk)
        # Outside England the register's "region" is the nation itself, already a group.
        if nation == Nation.ENGLAND and region:
            add(f"region-{slugify(region)}", f"{region} region", PeerGroupKind.REGION, pk)

    members_by_network: dict[int, set[int]] = defaultdict(set)
    for network_id, council_id in Network.members.through.objects.values_list(
        "network_id", "council_id"
    ):
        members_by_network[network_id].add(council_id)
    for network_id, slug, name in Network.objects.values_list("pk", "slug", "name"):
        specs[f"network-{slug}"] = _GroupSpec(
            slug=f"network-{slug}",
            name=name,
            kind=PeerGroupKind.NETWORK,
            members=members_by_network[network_id],
            network_id=network_id,
        )
    return list(specs.values())


def peer_groups_build() -> int:
    """Create or update every peer group the register defines, with exactly its members.

    Groups: all UK councils; each nation; each council type; each tier; each English region;
    every Network. A group is only touched (and its `updated_at` moved on) when its name or
    membership changed, and groups of these kinds that the register no longer defines are
    deleted with their results. Returns the number of groups built.
    """
    specs = _group_specs()
    now = timezone.now()
    with transaction.atomic():
        existing = {group.slug: group for group in PeerGroup.objects.filter(kind__in=BUILT_KINDS)}
        current_members: dict[int, set[int]] = defaultdict(set)
        for group_id, council_id in PeerGroup.members.through.objects.filter(
            peergroup__kind__in=BUILT_KINDS
        ).values_list("peergroup_id", "council_id"):
            current_members[group_id].add(council_id)

        for spec in specs:
            group = existing.pop(spec.slug, None)
            if group is None:
                group = PeerGroup(slug=spec.slug)
            elif (
                group.name == spec.name
                and group.kind == spec.kind
                and group.network_id == spec.network_id
                and current_members[group.pk] == spec.members
            ):
                continue
            group.name = spec.name
            group.kind = spec.kind
            group.network_id = spec.network_id
            group.updated_at = now
            group.full_clean(exclude=["members"])
            group.save()
            group.members.set(spec.members)

        PeerGroup.objects.filter(pk__in=[group.pk for group in existing.values()]).delete()
    return len(specs)
