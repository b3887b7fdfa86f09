"""What a network's dashboard shows its analysts, read in a fixed number of queries.

Three things, for one round:

- **Participation**: how many member councils have signed off, out of how many members. A count
  of councils, not a score, so it is always shown.
- **Distributions**: the network's own peer group's figures in the round's current release
  (ReleasedResult), per dimension and overall, withheld exactly as they were released.
- **The heatmap**: member councils that share their results with *this* network by name
  (`councils.models.council_ids_named_in`) appear by name with their own frozen scores; every
  other signed-off member is pooled into one row, whose per-subject mean is shown only if
  `pooled_publishable` allows it (see there). Nobody else's name or score is ever in it.

`network_dashboard` does the reading; everything after that is plain computation over plain
data (the pure helpers below), so the page costs the same whatever the size of the sector.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext

from assessments.models import (
    AssessmentRound,
    Dimension,
    DimensionScore,
    signed_off_through,
)
from assessments.scoring import overall_score
from core.translation import in_language
from councils.models import Network, council_ids_named_in

from . import release_cache
from .figures import RESULT_FIELDS, GroupFigures
from .models import PeerGroupKind, PublishedSet, ReleasedResult
from .publication import OVERLAP, TOO_SMALL, too_close
from .services import min_group_size

# A dimension id, or None for the overall score.
SubjectKey = int | None

_ONE_PLACE = Decimal("0.1")


@dataclass(frozen=True)
class RoundChoice:
    pk: int
    slug: str
    name: str
    signed_off: int  # member councils signed off in the round


@dataclass(frozen=True)
class Column:
    """One subject: a dimension (dimension_id set) or the overall score (None)."""

    dimension_id: SubjectKey
    code: str
    name: str


@dataclass(frozen=True)
class Distribution:
    """The network group's stored result for one subject; None figures: no results yet."""

    column: Column
    figures: GroupFigures | None

    @property
    def published(self) -> bool:
        return self.figures is not None and self.figures.published


@dataclass(frozen=True)
class Cell:
    """One heatmap value. `reason` (TOO_SMALL or OVERLAP) says why a pooled mean is withheld;
    a cell with neither score nor reason simply has no score."""

    score: Decimal | None
    reason: str = ""


@dataclass(frozen=True)
class HeatmapRow:
    label: str
    short_label: str
    pooled: bool
    councils: int  # 1 for a named council; the size of the pool otherwise
    cells: list[Cell]  # in the order of NetworkDashboard.columns

    @property
    def withheld(self) -> str:
        """The reason, when every cell is withheld for the same one (the table says it once)."""
        reasons = {cell.reason for cell in self.cells}
        return reasons.pop() if len(reasons) == 1 and "" not in reasons else ""


@dataclass
class NetworkDashboard:
    network: Network
    round: RoundChoice | None
    rounds: list[RoundChoice] = field(default_factory=list)
    members: int = 0
    min_group: int = 5
    columns: list[Column] = field(default_factory=list)
    distributions: list[Distribution] = field(default_factory=list)
    rows: list[HeatmapRow] = field(default_factory=list)

    @property
    def signed_off(self) -> int:
        return self.round.signed_off if self.round else 0

    @property
    def named_rows(self) -> list[HeatmapRow]:
        return [row for row in self.rows if not row.pooled]

    @property
    def pooled_row(self) -> HeatmapRow | None:
        return next((row for row in self.rows if row.pooled), None)


# Pure helpers ---------------------------------------------------------------------------------


def pooled_reason(
    pool: frozenset[int],
    published: Iterable[frozenset[int]],
    *,
    min_group: int,
    known: frozenset[int] = frozenset(),
) -> str:
    """Why the mean of `pool` may not be shown ("" if it may): TOO_SMALL for fewer than
    `min_group` councils; OVERLAP if some published group's effective members differ from the
    pool by 1 to min_group - 1 councils on either side (publication.too_close), since the two
    totals would then give away the scores of those few councils.

    Councils in `known` are those the viewer already sees by name, with their scores: they
    are taken out of each published group first, as the viewer can take their scores out of
    its total. So a pool that differs from the network's own group only by named councils
    (always the case) gives nothing away."""
    if len(pool) < min_group:
        return TOO_SMALL
    if any(too_close(pool, group - known, min_group=min_group) for group in published):
        return OVERLAP
    return ""


def pooled_publishable(
    pool: frozenset[int],
    published: Iterable[frozenset[int]],
    *,
    min_group: int,
    known: frozenset[int] = frozenset(),
) -> bool:
    """Whether the pooled councils' mean may be shown: the same rule a peer group passes to be
    published (publication.decide), against every group already published that the viewer
    can see, once the councils it sees by name (`known`) are taken out. `published` are the
    effective members of those groups for the same subject."""
    return not pooled_reason(pool, published, min_group=min_group, known=known)


def mean_one_place(values: Sequence[Decimal]) -> Decimal:
    """The mean, rounded half up to one decimal place (the precision of a council's score)."""
    if not values:
        raise ValueError("A mean needs at least one value.")
    return (sum(values, Decimal(0)) / len(values)).quantize(_ONE_PLACE, rounding=ROUND_HALF_UP)


def with_overall(scores: Mapping[int, Decimal]) -> dict[SubjectKey, Decimal]:
    """A council's {dimension id: score} with its overall score added under None (the mean of
    the dimension scores it has, assessments.scoring.overall_score)."""
    found: dict[SubjectKey, Decimal] = {key: score for key, score in scores.items()}
    overall = overall_score(scores.values())
    if overall is not None:
        found[None] = overall
    return found


def heatmap_scores(
    live: Mapping[int, Mapping[SubjectKey, Decimal]],
    named: Iterable[int],
    released: Mapping[SubjectKey, Mapping[int, Decimal]],
) -> dict[int, dict[SubjectKey, Decimal]]:
    """The scores the heatmap shows ({council: {subject: score}}): a council named with the
    network (in `named` and signed off, in `live`) with its own live scores; every other
    council with its score as the current release counted it in the network's group
    (`released`, per subject). So the pooled row moves only when a release moves the
    network's figures, and all it reveals follows from those figures and the named councils'
    own scores: reloading it after one sign-off gives nothing away."""
    named_ids = {c for c in named if c in live}
    found: dict[int, dict[SubjectKey, Decimal]] = {c: dict(live[c]) for c in named_ids}
    for subject, counted in released.items():
        for council, score in counted.items():
            if council not in named_ids:
                found.setdefault(council, {})[subject] = score
    return found


def released_network_scores(
    round_id: int, network: Network
) -> dict[SubjectKey, dict[int, Decimal]]:
    """{subject: {council: score}} as the round's current release counted them in the
    network's group (subjects whose figures are withheld have none). One query."""
    found: dict[SubjectKey, dict[int, Decimal]] = {}
    for subject, members in (
        ReleasedResult.objects.current()
        .filter(
            round_id=round_id,
            peer_group__kind=PeerGroupKind.NETWORK,
            peer_group__network=network,
            published_set__isnull=False,
        )
        .values_list("dimension_id", "published_set__members")
    ):
        found[subject] = {int(council): Decimal(score) for council, score in members}
    return found


def heatmap_rows(
    *,
    columns: Sequence[Column],
    scores: Mapping[int, Mapping[SubjectKey, Decimal]],
    names: Mapping[int, tuple[str, str]],
    named: Iterable[int],
    published: Mapping[SubjectKey, Sequence[frozenset[int]]] | None,
    min_group: int,
) -> list[HeatmapRow]:
    """The named councils' rows (by name), then one pooled row for every other council in
    `scores`, or nothing if there is none.

    `scores` holds the signed-off member councils' scores ({council: {subject: score}}) and
    `names` their (name, short name); a council is named only if it is in `named` and in
    `scores`. A pooled cell is the mean of the pool's scores in that subject, shown only if
    `pooled_publishable` against `published[subject]`; `published` None means the published
    groups cannot be known (results older than their groups), so every pooled mean is
    withheld.
    """
    named_ids = sorted((c for c in set(named) if c in scores), key=lambda c: names[c])
    rows = [
        HeatmapRow(
            label=names[c][0],
            short_label=names[c][1],
            pooled=False,
            councils=1,
            cells=[Cell(scores[c].get(col.dimension_id)) for col in columns],
        )
        for c in named_ids
    ]
    pool = set(scores) - set(named_ids)
    if not pool:
        return rows
    cells = []
    for col in columns:
        key = col.dimension_id
        members = frozenset(c for c in pool if key in scores[c])
        if published is None:
            reason = TOO_SMALL if len(members) < min_group else OVERLAP
        else:
            reason = pooled_reason(
                members,
                published.get(key, ()),
                min_group=min_group,
                known=frozenset(named_ids),
            )
        if reason:
            cells.append(Cell(None, reason))
        else:
            cells.append(Cell(mean_one_place([scores[c][key] for c in members])))
    label = gettext("Other member councils (%(count)s)") % {"count": len(pool)}
    rows.append(HeatmapRow(label, label, pooled=True, councils=len(pool), cells=cells))
    return rows


# The read -------------------------------------------------------------------------------------


def network_rounds(network: Network) -> list[RoundChoice]:
    """Rounds in which at least one member council has signed off, latest first (by opening
    date), each with the number of member councils signed off. One query."""
    rounds = (
        AssessmentRound.objects.filter(
            signed_off_through("assessments"),
            assessments__council__networks=network,
        )
        # After filter(), the count is over the filtered (signed-off member) assessments.
        .annotate(signed_off=Count("assessments", distinct=True))
        .order_by("-opens_on", "-pk")
        .values_list("pk", "slug", "name_en", "name_cy", "signed_off")
    )
    return [
        RoundChoice(pk, slug, in_language(name, name_cy), signed_off)
        for pk, slug, name, name_cy, signed_off in rounds
    ]


def rounds_with_figures(network: Network | None) -> set[int]:
    """The rounds in which the network's group (None: all UK councils) has published overall
    figures in the current release. One query."""
    scope = (
        Q(peer_group__kind=PeerGroupKind.ALL)
        if network is None
        else Q(peer_group__kind=PeerGroupKind.NETWORK, peer_group__network=network)
    )
    return set(
        ReleasedResult.objects.current()
        .filter(scope, dimension__isnull=True, suppressed=False)
        .values_list("round_id", flat=True)
    )


def network_dashboard(network: Network, *, round_slug: str | None = None) -> NetworkDashboard:
    """The network's dashboard for the chosen round (when none is chosen, the latest with the
    network's figures published, else the latest with a signed-off member). Raises
    AssessmentRound.DoesNotExist for a round with no signed-off member.

    Queries: at most nine, whatever the number of councils, groups and rounds: the rounds
    (and, when none is chosen, which have the network's figures),
    the members, who is named, the round's dimensions, the members' scores, the network
    group's figures and counted scores in the current release and, when some member has a
    score, every public set of scores ever released for the round (`published_public_groups`,
    whose rows grow with the number of releases that moved a group, not with page views).

    The pooled row is checked against every public set ever released for the round, exactly
    as recorded, so it can never be one council away from anything a viewer has seen; and
    it is made of the scores the current release counted (`heatmap_scores`), never live ones.
    Nearest-neighbour groups are never read (they are private to their owner).
    """
    dashboard = NetworkDashboard(network=network, round=None, min_group=min_group_size())
    reads = release_cache.Reads()  # what only a release changes, from the cache
    dashboard.rounds = network_rounds(network)
    members = {
        pk: (in_language(name, name_cy), in_language(short_name, short_name_cy))
        for pk, name, name_cy, short_name, short_name_cy in network.members.values_list(
            "pk", "name_en", "name_cy", "short_name_en", "short_name_cy"
        )
    }
    dashboard.members = len(members)
    if round_slug:
        chosen = next((r for r in dashboard.rounds if r.slug == round_slug), None)
        if chosen is None:
            raise AssessmentRound.DoesNotExist(round_slug)
    else:
        # The latest round with the network's figures to show, else the latest at all.
        with_figures = (
            reads.remembered("network-rounds", (network.pk,), lambda: rounds_with_figures(network))
            if dashboard.rounds
            else set()
        )
        chosen = next(
            (r for r in dashboard.rounds if r.pk in with_figures),
            dashboard.rounds[0] if dashboard.rounds else None,
        )
    if chosen is None:
        return dashboard
    dashboard.round = chosen
    named = council_ids_named_in(network)

    dimensions = list(
        Dimension.objects.filter(framework__rounds=chosen.pk)
        .order_by("order")
        .values_list("pk", "code", "name_en", "name_cy")
    )
    dashboard.columns = [
        *(Column(pk, code, in_language(name, name_cy)) for pk, code, name, name_cy in dimensions),
        Column(None, "overall", gettext("Overall score")),
    ]

    own: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for council_id, dimension_id, score in (
        DimensionScore.objects.signed_off()
        .filter(
            round_id=chosen.pk,
            council__networks=network,
            score__isnull=False,
        )
        .values_list("council_id", "dimension_id", "score")
    ):
        if score is not None and council_id in members:
            own[council_id][dimension_id] = score
    scores = {council_id: with_overall(found) for council_id, found in own.items()}

    network_results = reads.remembered(
        "network-results",
        (chosen.pk, network.pk),
        lambda: {
            row["dimension_id"]: GroupFigures.from_row(row)
            for row in ReleasedResult.objects.current()
            .filter(
                round_id=chosen.pk,
                peer_group__kind=PeerGroupKind.NETWORK,
                peer_group__network=network,
            )
            .values("dimension_id", *RESULT_FIELDS)
        },
    )
    dashboard.distributions = [
        Distribution(column, network_results.get(column.dimension_id))
        for column in dashboard.columns
    ]

    dashboard.rows = heatmap_rows(
        columns=dashboard.columns,
        scores=heatmap_scores(
            scores,
            named,
            reads.remembered(
                "network-counted",
                (chosen.pk, network.pk),
                lambda: released_network_scores(chosen.pk, network),
            ),
        ),
        names=members,
        named=named,
        published=(
            reads.remembered(
                "public-sets", (chosen.pk,), lambda: published_public_groups(chosen.pk)
            )
            if scores
            else {}
        ),
        min_group=dashboard.min_group,
    )
    return dashboard


def published_public_groups(round_id: int) -> dict[SubjectKey, list[frozenset[int]]]:
    """{subject: the councils of every set of scores ever released for the round to anyone}
    (PublishedSet, private neighbour groups left out): what a viewer may have seen, in any
    release, to subtract a pooled mean from. One query."""
    found: dict[SubjectKey, list[frozenset[int]]] = defaultdict(list)
    for subject, members in PublishedSet.objects.filter(
        round_id=round_id, owner__isnull=True
    ).values_list("dimension_id", "members"):
        found[subject].append(frozenset(council for council, _ in members))
    return dict(found)
