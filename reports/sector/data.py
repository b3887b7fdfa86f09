"""The sector report's data: one round's figures for a network or for all UK councils, read in a
fixed number of queries into plain data (`SectorData`) that the writers only format.

Every result is a `benchmarks.figures.GroupFigures`: a suppressed one carries its reason and
nothing else (not even its count), so no writer can leak one. Councils are named only in a
network's report, and only those that share with that network by name
(`councils.models.council_ids_named_in`), exactly as the network dashboard names them; the
other signed-off members are pooled by `benchmarks.network_dashboard.heatmap_rows`, under the
same publication rule. The UK-wide report is for platform staff and names no council at all:
councils have consented to be named to networks they chose, not to staff.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessments.models import (
    Assessment,
    AssessmentRound,
    Dimension,
    DimensionScore,
)
from benchmarks.figures import RESULT_FIELDS, GroupFigures
from benchmarks.models import PeerGroupKind, ReleasedResult
from benchmarks.network_dashboard import (
    Cell,
    Column,
    heatmap_rows,
    heatmap_scores,
    published_public_groups,
    released_network_scores,
    with_overall,
)
from benchmarks.planned_targets import PlannedTargets, planned_targets
from benchmarks.services import min_group_size
from core.translation import in_language
from councils.models import Council, Network, council_ids_named_in

ALL_UK = _("All UK councils")
SubjectKey = int | None
# Breakdown groups of the UK-wide report, in this order.
BREAKDOWN_KINDS = (PeerGroupKind.NATION, PeerGroupKind.COUNCIL_TYPE)


@dataclass(frozen=True)
class RoundInfo:
    pk: int
    slug: str
    name: str
    framework_id: int
    opens_on: datetime.date


@dataclass(frozen=True)
class SubjectFigures:
    """The scope group's result for one subject this round and in the previous round (None:
    no results computed, or no comparable subject)."""

    subject: Column
    current: GroupFigures | None
    previous: GroupFigures | None

    @property
    def change(self) -> Decimal | None:
        """The change in the median since the previous round, when both were published."""
        now, before = self.current, self.previous
        if now is None or before is None or now.median is None or before.median is None:
            return None
        return now.median - before.median


@dataclass(frozen=True)
class BreakdownGroup:
    """A breakdown group (a nation, a council type) and its result for each subject, in the
    order of SectorData.subjects."""

    name: str
    kind: str
    figures: list[GroupFigures | None]


@dataclass(frozen=True)
class NamedCouncil:
    """A council sharing with the network by name: its own scores, in the order of subjects."""

    name: str
    gss_code: str
    scores: list[Decimal | None]


@dataclass(frozen=True)
class PooledRow:
    """Every other signed-off member: a mean per subject, or a Cell with only the reason."""

    label: str
    councils: int
    cells: list[Cell]


@dataclass
class SectorData:
    scope: str  # the network's name, or ALL_UK
    scope_kind: str  # PeerGroupKind.NETWORK or PeerGroupKind.ALL
    network_id: int | None
    round: RoundInfo
    previous: RoundInfo | None
    signed_off: int  # members (all-UK: councils) signed off in the round
    eligible: int  # members of the network (all-UK: councils in the register)
    min_group: int
    generated_on: datetime.date
    subjects: list[Column] = field(default_factory=list)  # the dimensions, then overall
    figures: list[SubjectFigures] = field(default_factory=list)
    named: list[NamedCouncil] = field(default_factory=list)  # network only
    pooled: PooledRow | None = None  # network only
    groups: list[BreakdownGroup] = field(default_factory=list)  # all-UK only
    # Network only: the barriers most often in members' approved plans (at least min_group
    # councils each), and how many councils' plans were counted; None before any release.
    planned: PlannedTargets | None = None

    @property
    def is_network(self) -> bool:
        return self.network_id is not None

    @property
    def participation_percent(self) -> Decimal | None:
        """The share signed off, as a percentage to one place, halves up like every figure."""
        if not self.eligible:
            return None
        share = Decimal(100) * self.signed_off / self.eligible
        return share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


_RESULT_FIELDS = (
    "round_id",
    "dimension_id",
    "peer_group__kind",
    "peer_group__name",
    *RESULT_FIELDS,
)


def sector_data(*, round_id: int, network_id: int | None) -> SectorData:
    """The sector report's data for a round, for one network or (None) all UK councils.

    Queries, whatever the size of the sector: all-UK 6 (the round, the previous round, the
    dimensions, the results, the councils signed off, the councils in the register); a network
    9 (the network, its members, the councils signed off, who is named, the members' scores,
    the results) plus 3 for the pooled row's publication check (`published_public_groups`),
    skipped when no member has a score, plus 2 for the planned targets. Raises
    AssessmentRound.DoesNotExist or Network.DoesNotExist.

    The previous round is the one before by opening date. A subject's change compares medians
    of the same dimension (by id within one framework version, by dimension code across
    versions; the overall score always).
    """
    round_ = _round_info(AssessmentRound.objects.filter(pk=round_id))
    if round_ is None:
        raise AssessmentRound.DoesNotExist(round_id)
    previous = _round_info(
        AssessmentRound.objects.filter(
            Q(opens_on__lt=round_.opens_on) | Q(opens_on=round_.opens_on, pk__lt=round_.pk)
        ).order_by("-opens_on", "-pk")
    )
    frameworks = {round_.framework_id} | ({previous.framework_id} if previous else set())
    dimensions = [
        (pk, fw, code, in_language(name, name_cy))
        for pk, fw, code, name, name_cy in Dimension.objects.filter(framework_id__in=frameworks)
        .order_by("order", "pk")
        .values_list("pk", "framework_id", "code", "name_en", "name_cy")
    ]
    subjects = [
        *(Column(pk, code, name) for pk, fw, code, name in dimensions if fw == round_.framework_id),
        Column(None, "overall", gettext("Overall score")),
    ]
    previous_key = _previous_keys(subjects, dimensions, round_, previous)

    if network_id is None:
        network = None
        scope, scope_kind = str(ALL_UK), PeerGroupKind.ALL
        scope_in_round = Q(peer_group__kind=PeerGroupKind.ALL)
        breakdown = Q(round_id=round_.pk, peer_group__kind__in=BREAKDOWN_KINDS)
    else:
        network = Network.objects.get(pk=network_id)
        scope, scope_kind = network.name, PeerGroupKind.NETWORK
        scope_in_round = Q(peer_group__kind=PeerGroupKind.NETWORK, peer_group__network=network)
        breakdown = Q(pk__in=[])
    rounds = [round_.pk] + ([previous.pk] if previous else [])
    rows = list(
        ReleasedResult.objects.current()
        .filter((scope_in_round & Q(round_id__in=rounds)) | breakdown)
        .order_by("peer_group__kind", "peer_group__name", "peer_group_id")
        .values(*_RESULT_FIELDS)
    )

    scope_rows = [row for row in rows if row["peer_group__kind"] == scope_kind]
    current = {
        row["dimension_id"]: GroupFigures.from_row(row)
        for row in scope_rows
        if row["round_id"] == round_.pk
    }
    before = {
        row["dimension_id"]: GroupFigures.from_row(row)
        for row in scope_rows
        if previous is not None and row["round_id"] == previous.pk
    }
    figures = [
        SubjectFigures(
            subject=subject,
            current=current.get(subject.dimension_id),
            previous=(
                before.get(previous_key[subject.dimension_id])
                if subject.dimension_id in previous_key
                else None
            ),
        )
        for subject in subjects
    ]

    data = SectorData(
        scope=scope,
        scope_kind=scope_kind,
        network_id=network_id,
        round=round_,
        previous=previous,
        signed_off=0,
        eligible=0,
        min_group=min_group_size(),
        generated_on=timezone.localdate(),
        subjects=subjects,
        figures=figures,
    )
    signed_off = Assessment.objects.signed_off().filter(round_id=round_.pk)
    if network is None:
        data.signed_off = signed_off.count()
        data.eligible = Council.objects.count()
        data.groups = _breakdown(rows, subjects)
    else:
        data.signed_off = signed_off.filter(council__networks=network).count()
        _add_councils(data, network)
        data.planned = planned_targets(network, round_.pk)
    return data


def _round_info(rounds: Any) -> RoundInfo | None:
    found = rounds.values_list(
        "pk", "slug", "name_en", "name_cy", "framework_id", "opens_on"
    ).first()
    if not found:
        return None
    pk, slug, name, name_cy, framework_id, opens_on = found
    # The report's language is active while it is made (reports.services).
    return RoundInfo(pk, slug, in_language(name, name_cy), framework_id, opens_on)


def _previous_keys(
    subjects: Sequence[Column],
    dimensions: Sequence[tuple[int, int, str, str]],
    round_: RoundInfo,
    previous: RoundInfo | None,
) -> dict[SubjectKey, SubjectKey]:
    """{subject of this round: the same subject in the previous round}; a dimension with no
    counterpart is left out."""
    if previous is None:
        return {}
    if previous.framework_id == round_.framework_id:
        return {subject.dimension_id: subject.dimension_id for subject in subjects}
    by_code = {code: pk for pk, fw, code, _ in dimensions if fw == previous.framework_id}
    found: dict[SubjectKey, SubjectKey] = {None: None}
    for subject in subjects:
        if subject.dimension_id is not None and subject.code in by_code:
            found[subject.dimension_id] = by_code[subject.code]
    return found


def _breakdown(rows: Sequence[dict[str, Any]], subjects: Sequence[Column]) -> list[BreakdownGroup]:
    """The nation and council type groups, each with its result per subject."""
    by_group: dict[tuple[str, str], dict[SubjectKey, GroupFigures]] = {}
    for row in rows:
        if row["peer_group__kind"] in BREAKDOWN_KINDS:
            key = (row["peer_group__kind"], row["peer_group__name"])
            by_group.setdefault(key, {})[row["dimension_id"]] = GroupFigures.from_row(row)
    order = {str(kind): index for index, kind in enumerate(BREAKDOWN_KINDS)}
    return [
        BreakdownGroup(name, kind, [found.get(s.dimension_id) for s in subjects])
        for (kind, name), found in sorted(by_group.items(), key=lambda i: (order[i[0][0]], i[0][1]))
    ]


def _add_councils(data: SectorData, network: Network) -> None:
    """The councils sharing by name and the pooled row, chosen as the network dashboard chooses
    them (`heatmap_rows`, with the pool checked against the public groups as published)."""
    members = {
        pk: (in_language(name, name_cy), gss_code)
        for pk, name, name_cy, gss_code in network.members.values_list(
            "pk", "name_en", "name_cy", "gss_code"
        )
    }
    data.eligible = len(members)
    named = council_ids_named_in(network)
    own: dict[int, dict[int, Decimal]] = {}
    for council_id, dimension_id, score in (
        DimensionScore.objects.signed_off()
        .filter(
            round_id=data.round.pk,
            council__networks=network,
            score__isnull=False,
        )
        .values_list("council_id", "dimension_id", "score")
    ):
        if score is not None and council_id in members:
            own.setdefault(council_id, {})[dimension_id] = score
    scores = {council_id: with_overall(found) for council_id, found in own.items()}
    # heatmap_rows sorts and labels by names[c]; its short_label carries the GSS code here.
    rows = heatmap_rows(
        columns=data.subjects,
        scores=heatmap_scores(scores, named, released_network_scores(data.round.pk, network)),
        names=members,
        named=named,
        published=published_public_groups(data.round.pk) if scores else {},
        min_group=data.min_group,
    )
    data.named = [
        NamedCouncil(row.label, row.short_label, [cell.score for cell in row.cells])
        for row in rows
        if not row.pooled
    ]
    data.pooled = next(
        (PooledRow(row.label, row.councils, row.cells) for row in rows if row.pooled), None
    )
