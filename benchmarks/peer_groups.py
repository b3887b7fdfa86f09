"""Peer groups: explicit sets of councils to compare with, built from the register and networks.

`peer_groups_build` is safe to run any number of times: it computes every group from the
register and makes the database match it. benchmarks/README.md describes every kind of group,
including the nearest-neighbour formula.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from core.translation import Bilingual
from councils.models import (
    REGION_NAMES,
    Council,
    CouncilType,
    Nation,
    Network,
    Rurality,
    Tier,
)

from . import release_cache
from .models import PeerGroup, PeerGroupKind
from .neighbours import nearest_neighbours

# The kinds peer_groups_build owns: a group of one of these kinds that it no longer produces
# (a region that has gone from the register, say) is deleted, with its results.
BUILT_KINDS = (
    PeerGroupKind.ALL,
    PeerGroupKind.NATION,
    PeerGroupKind.COUNCIL_TYPE,
    PeerGroupKind.TIER,
    PeerGroupKind.REGION,
    PeerGroupKind.POPULATION_BAND,
    PeerGroupKind.DEPRIVATION,
    PeerGroupKind.RURALITY,
    PeerGroupKind.NEAREST_NEIGHBOURS,
    PeerGroupKind.NETWORK,
)

BANDS = 5
NEIGHBOURS = 15
# The register marks the City of London and the Isles of Scilly this way in `notes`. Their tiny
# resident populations make them outliers on every measure, so they are left out of population
# bands, deprivation quintiles and nearest neighbours (they stay in the other groups).
SUI_GENERIS_NOTE = "Sui generis"

_TIER_COUNCILS = {
    Tier.UNITARY: _("Single-tier councils"),
    Tier.UPPER: _("County councils"),
    Tier.LOWER: _("District councils"),
    Tier.NI_DISTRICT: _("Northern Ireland councils"),
}
# Whole names, so each language can say "in" its own way ("yng Nghymru", "yn Lloegr").
_NATION_COUNCILS = {
    Nation.ENGLAND: _("Councils in England"),
    Nation.WALES: _("Councils in Wales"),
    Nation.SCOTLAND: _("Councils in Scotland"),
    Nation.NORTHERN_IRELAND: _("Councils in Northern Ireland"),
}

# Bulk writes of many ids are chunked, to stay far below any database's parameter limit.
_CHUNK = 500

T = TypeVar("T")


@dataclass
class _GroupSpec:
    slug: str
    name: str
    kind: str
    # The Welsh name ("" for none).
    name_cy: str = ""
    members: set[int] = field(default_factory=set)
    network_id: int | None = None
    owner_id: int | None = None


@dataclass(frozen=True)
class _Council:
    pk: int
    gss_code: str
    short_name_en: str
    short_name_cy: str
    nation: str
    council_type: str
    tier: str
    region: str
    population: int
    deprivation_score: Decimal
    density: Decimal
    rurality: str
    notes: str

    @property
    def short_name(self) -> Bilingual:
        """Worded in each language in turn when the group's names are."""
        return Bilingual(self.short_name_en, self.short_name_cy)

    @property
    def sui_generis(self) -> bool:
        return self.notes.startswith(SUI_GENERIS_NOTE)


@dataclass(frozen=True)
class _Words:
    """A name still to be worded: a message marked for translation (lazy) and its values, which
    may be lazy or _Words themselves. str() words it in the active language."""

    message: object
    values: Mapping[str, object]

    def __str__(self) -> str:
        return str(self.message) % {key: str(value) for key, value in self.values.items()}


def in_both(name: object) -> tuple[str, str]:
    """(English, Welsh) of a group's name (_Words or a lazy string). The English is the same
    whatever language is active when the build runs."""
    with translation.override("en-gb"):
        english = str(name)
    with translation.override("cy"):
        welsh = str(name)
    return english, welsh


def split_evenly(items: Sequence[T], parts: int) -> list[list[T]]:
    """Cut an ordered sequence into `parts` consecutive runs as equal in size as possible.

    The first len(items) % parts runs get one item more, so 22 items in 5 parts are 5, 5, 4,
    4, 4. With fewer items than parts, the last runs are empty.
    """
    size, extra = divmod(len(items), parts)
    runs = []
    start = 0
    for part in range(parts):
        end = start + size + (1 if part < extra else 0)
        runs.append(list(items[start:end]))
        start = end
    return runs


def _by(councils: Iterable[_Council], attribute: str) -> dict[str, list[_Council]]:
    grouped: dict[str, list[_Council]] = defaultdict(list)
    for council in councils:
        grouped[getattr(council, attribute)].append(council)
    return grouped


def _population_band_specs(councils: list[_Council]) -> list[_GroupSpec]:
    specs = []
    for tier, members in sorted(_by(councils, "tier").items()):
        ordered = sorted(members, key=lambda c: (c.population, c.gss_code))
        for band, run in enumerate(split_evenly(ordered, BANDS), start=1):
            if not run:
                continue
            low, high = run[0].population, run[-1].population
            span: object = (
                f"{low:,}"
                if low == high
                else _Words(_("%(low)s to %(high)s"), {"low": f"{low:,}", "high": f"{high:,}"})
            )
            name, name_cy = in_both(
                _Words(
                    _("%(councils)s, population band %(band)s of %(bands)s (%(span)s)"),
                    {
                        "councils": _TIER_COUNCILS[Tier(tier)],
                        "band": band,
                        "bands": BANDS,
                        "span": span,
                    },
                )
            )
            specs.append(
                _GroupSpec(
                    slug=f"population-{slugify(tier)}-{band}",
                    name=name,
                    name_cy=name_cy,
                    kind=PeerGroupKind.POPULATION_BAND,
                    members={c.pk for c in run},
                )
            )
    return specs


def _deprivation_specs(councils: list[_Council]) -> list[_GroupSpec]:
    specs = []
    for nation, members in sorted(_by(councils, "nation").items()):
        # Quintile 1 is the most deprived, as in the register: highest score first.
        ordered = sorted(members, key=lambda c: (-c.deprivation_score, c.gss_code))
        for quintile, run in enumerate(split_evenly(ordered, BANDS), start=1):
            if not run:
                continue
            if quintile == 1:
                message = _(
                    "%(nation)s, deprivation quintile %(quintile)s of %(bands)s (most deprived)"
                )
            elif quintile == BANDS:
                message = _(
                    "%(nation)s, deprivation quintile %(quintile)s of %(bands)s (least deprived)"
                )
            else:
                message = _("%(nation)s, deprivation quintile %(quintile)s of %(bands)s")
            values = {"nation": Nation(nation).label, "quintile": quintile, "bands": BANDS}
            name, name_cy = in_both(_Words(message, values))
            specs.append(
                _GroupSpec(
                    slug=f"deprivation-{slugify(nation)}-{quintile}",
                    name=name,
                    name_cy=name_cy,
                    kind=PeerGroupKind.DEPRIVATION,
                    members={c.pk for c in run},
                )
            )
    return specs


def _features(council: _Council) -> tuple[float, float, float]:
    if council.population <= 0 or council.density <= 0:
        raise ValueError(
            f"{council.gss_code} needs a positive population and density for nearest neighbours"
        )
    return (
        math.log(council.population),
        float(council.deprivation_score),
        math.log(council.density),
    )


def _neighbour_specs(councils: list[_Council]) -> list[_GroupSpec]:
    specs = []
    for _tier, members in sorted(_by(councils, "tier").items()):
        by_code = {c.gss_code: c for c in members}
        neighbours = nearest_neighbours(
            {code: _features(c) for code, c in by_code.items()}, k=NEIGHBOURS
        )
        for code, nearest in neighbours.items():
            if not nearest:  # alone in its tier: nothing to compare with
                continue
            council, count = by_code[code], len(nearest)
            name, name_cy = in_both(
                _Words(
                    ngettext_lazy(
                        "%(council)s and its %(count)s nearest neighbour",
                        "%(council)s and its %(count)s nearest neighbours",
                        count,
                    ),
                    {"council": council.short_name, "count": count},
                )
            )
            specs.append(
                _GroupSpec(
                    slug=f"neighbours-{slugify(code)}",
                    name=name,
                    name_cy=name_cy,
                    kind=PeerGroupKind.NEAREST_NEIGHBOURS,
                    members={council.pk} | {by_code[other].pk for other in nearest},
                    owner_id=council.pk,
                )
            )
    return specs


def _group_specs() -> list[_GroupSpec]:
    """Every group the register and networks define, with its member council ids.

    Three queries, however many councils: the councils, the network memberships, the networks.
    """
    councils = [
        _Council(*row)
        for row in Council.objects.order_by("gss_code").values_list(
            "pk",
            "gss_code",
            "short_name_en",
            "short_name_cy",
            "nation",
            "council_type",
            "tier",
            "region",
            "population",
            "deprivation_score",
            "density_per_km2",
            "rurality",
            "notes",
        )
    ]
    specs: dict[str, _GroupSpec] = {}

    def add(slug: str, name: object, kind: str, council_id: int) -> None:
        """Put the council in the group, made (and named in both languages) if it is new."""
        spec = specs.get(slug)
        if spec is None:
            english, welsh = in_both(name)
            spec = specs[slug] = _GroupSpec(slug=slug, name=english, name_cy=welsh, kind=kind)
        spec.members.add(council_id)

    for c in councils:
        add("all", _("All UK councils"), PeerGroupKind.ALL, c.pk)
        add(
            f"nation-{slugify(c.nation)}",
            _NATION_COUNCILS.get(Nation(c.nation))
            or _Words(_("Councils in %(nation)s"), {"nation": Nation(c.nation).label}),
            PeerGroupKind.NATION,
            c.pk,
        )
        add(
            f"type-{slugify(c.council_type)}",
            _Words(_("Council type: %(type)s"), {"type": CouncilType(c.council_type).label}),
            PeerGroupKind.COUNCIL_TYPE,
            c.pk,
        )
        add(
            f"tier-{slugify(c.tier)}",
            _Words(_("Tier: %(tier)s"), {"tier": Tier(c.tier).label}),
            PeerGroupKind.TIER,
            c.pk,
        )
        # Outside England the register's "region" is the nation itself, already a group.
        if c.nation == Nation.ENGLAND and c.region:
            add(
                f"region-{slugify(c.region)}",
                _Words(_("%(region)s region"), {"region": REGION_NAMES.get(c.region, c.region)}),
                PeerGroupKind.REGION,
                c.pk,
            )
        add(
            f"rurality-{slugify(c.rurality)}",
            _Words(_("Rurality: %(rurality)s"), {"rurality": Rurality(c.rurality).label}),
            PeerGroupKind.RURALITY,
            c.pk,
        )

    comparable = [c for c in councils if not c.sui_generis]
    for spec in (
        _population_band_specs(comparable)
        + _deprivation_specs(comparable)
        + _neighbour_specs(comparable)
    ):
        specs[spec.slug] = spec

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


def _chunks(items: Sequence[T]) -> Iterable[Sequence[T]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def peer_groups_build() -> int:
    """Create or update every peer group the register defines, with exactly its members.

    Groups: all UK councils; each nation; each council type; each tier; each English region;
    population bands within each tier; deprivation quintiles within each nation; each rurality
    class; each council's nearest neighbours; every Network. A group is only touched (and its
    `updated_at` moved on) when its name, definition or membership changed, and groups of these
    kinds that the register no longer defines are deleted with their results. Reads take five
    queries and writes are bulk, so the number of queries does not grow council by council; a
    run that finds nothing to change writes nothing. Returns the number of groups built.
    """
    specs = _group_specs()
    now = timezone.now()
    through = PeerGroup.members.through
    with transaction.atomic():
        rows = list(
            PeerGroup.objects.filter(kind__in=BUILT_KINDS).values_list(
                "pk", "slug", "name", "kind", "network_id", "owner_id", "name_cy"
            )
        )
        existing = {
            slug: (pk, name, kind, network_id, owner_id)
            for pk, slug, name, kind, network_id, owner_id, _name_cy in rows
        }
        # The Welsh name is words only, not the definition: a new one is written without
        # moving `updated_at` on (which would make every round's results look out of date).
        welsh_names = {row[1]: row[6] for row in rows}
        # Each group's members, with the id of the row that makes each one a member.
        current_members: dict[int, dict[int, int]] = defaultdict(dict)
        for row_id, group_id, council_id in through.objects.filter(
            peergroup__kind__in=BUILT_KINDS
        ).values_list("pk", "peergroup_id", "council_id"):
            current_members[group_id][council_id] = row_id

        created: list[tuple[PeerGroup, _GroupSpec]] = []
        updated: list[PeerGroup] = []
        # Groups whose members changed, with the members they should have.
        refill: list[tuple[PeerGroup, _GroupSpec]] = []
        renamed_cy: list[PeerGroup] = []
        for spec in specs:
            row = existing.pop(spec.slug, None)
            definition = (spec.name, spec.kind, spec.network_id, spec.owner_id)
            if row is not None and row[1:] == definition:
                if current_members[row[0]].keys() == spec.members:
                    if welsh_names.get(spec.slug) != spec.name_cy:
                        renamed_cy.append(PeerGroup(pk=row[0], name_cy=spec.name_cy))
                    continue
            group = PeerGroup(
                pk=row[0] if row is not None else None,
                slug=spec.slug,
                name=spec.name,
                name_cy=spec.name_cy,
                kind=spec.kind,
                network_id=spec.network_id,
                owner_id=spec.owner_id,
                updated_at=now,
            )
            # Field checks only. The unique slug, the check constraints and the foreign keys
            # (ids just read from the database) are the database's to enforce: asking it group
            # by group would cost a query each.
            group.full_clean(
                exclude=["members", "network", "owner"],
                validate_unique=False,
                validate_constraints=False,
            )
            if row is None:
                created.append((group, spec))
            else:
                updated.append(group)
                if current_members[row[0]].keys() != spec.members:
                    refill.append((group, spec))

        stale = [pk for pk, *_ in existing.values()]
        for chunk in _chunks(stale):
            PeerGroup.objects.filter(pk__in=chunk).delete()
        PeerGroup.objects.bulk_create([group for group, _ in created])
        # In batches: one UPDATE for every group is a CASE with a branch per group, which the
        # database evaluates for each row: quadratic, 8 s for 3,900 groups.
        PeerGroup.objects.bulk_update(
            updated,
            ["name", "name_cy", "kind", "network", "owner", "updated_at"],
            batch_size=_CHUNK,
        )
        PeerGroup.objects.bulk_update(renamed_cy, ["name_cy"], batch_size=_CHUNK)
        # Only the memberships that changed: a group that grows keeps the rows it had.
        leaving = [
            row_id
            for group, spec in refill
            for council_id, row_id in current_members[group.pk].items()
            if council_id not in spec.members
        ]
        for chunk in _chunks(leaving):
            through.objects.filter(pk__in=chunk).delete()
        joining = [(group, spec.members) for group, spec in created] + [
            (group, spec.members - current_members[group.pk].keys()) for group, spec in refill
        ]
        through.objects.bulk_create(
            [
                through(peergroup_id=group.pk, council_id=council_id)
                for group, members in joining
                for council_id in sorted(members)
            ],
            batch_size=10 * _CHUNK,
        )
        if stale or created or updated:
            release_cache.moved_on()
    return len(specs)
