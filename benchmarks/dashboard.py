"""What a council's benchmark dashboard shows, read in a fixed number of queries.

`council_dashboard` loads the council's own frozen scores, the stored results of the peer
groups it may see and its agreed answers; everything after that (changes, positions, strengths
and priorities) is plain computation over plain data, so the page costs the same whatever the
size of the sector. Nothing here reads another council's scores: the peer figures are the
published ones, and the council's place in a group comes from the group's stored distribution
(`statistics.position_in`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext

from assessments.lineage import dimension_lineage
from assessments.models import (
    AgreedAnswer,
    AnswerStatus,
    Assessment,
    AssessmentRound,
    Dimension,
    DimensionScore,
    Question,
)
from assessments.outline import framework_outline
from assessments.scoring import LEVEL_NAMES, level_band, overall_score
from core.fragments import kept
from core.translation import in_language
from councils.models import Council

from . import release_cache
from .figures import RESULT_FIELDS, GroupFigures
from .models import PeerGroup, PeerGroupKind, ReleasedResult
from .queries import counted_scores
from .services import min_group_size
from .statistics import Position, position_from

# The picker's order: the closest comparison first (issue 5), then the wider ones.
PICKER_ORDER = (
    PeerGroupKind.NEAREST_NEIGHBOURS,
    PeerGroupKind.COUNCIL_TYPE,
    PeerGroupKind.REGION,
    PeerGroupKind.NATION,
    PeerGroupKind.POPULATION_BAND,
    PeerGroupKind.DEPRIVATION,
    PeerGroupKind.RURALITY,
    PeerGroupKind.NETWORK,
    PeerGroupKind.TIER,
    PeerGroupKind.ALL,
)
# How many strengths and how many priorities; how many next steps for each.
HIGHLIGHTS = 3
NEXT_STEPS = 2


@dataclass(frozen=True)
class Subject:
    """One dimension (dimension_id set) or the overall score (dimension_id None)."""

    dimension_id: int | None
    code: str
    name: str
    score: Decimal | None
    previous: Decimal | None
    figures: GroupFigures | None
    position: Position | None

    @property
    def level(self) -> int | None:
        return level_band(self.score)

    @property
    def level_name(self) -> str:
        return str(LEVEL_NAMES.get(self.level or 0, ""))

    @property
    def change(self) -> Decimal | None:
        if self.score is None or self.previous is None:
            return None
        return self.score - self.previous

    @property
    def published(self) -> bool:
        return self.figures is not None and self.figures.published

    @property
    def difference(self) -> Decimal | None:
        """The council's score minus the group's median, when both exist."""
        if self.score is None or not self.published or self.figures is None:
            return None
        median = self.figures.median
        return None if median is None else self.score - median


@dataclass(frozen=True)
class GroupChoice:
    slug: str
    name: str
    kind: str
    kind_label: str
    # The group's overall result this round (None if never computed).
    overall: GroupFigures | None


@dataclass(frozen=True)
class NextStep:
    question_code: str
    statement: str
    level: int
    next_level: int
    next_level_name: str
    descriptor: str


@dataclass(frozen=True)
class Highlight:
    subject: Subject
    steps: list[NextStep]


@dataclass(frozen=True)
class TrendPoint:
    round_name: str
    scores: dict[int | None, Decimal]  # by current dimension id; None is the overall score


@dataclass(frozen=True)
class Waiting:
    """Why the chosen group shows no figures yet in the chosen round: how many councils have
    signed off across the UK so far (never which of the group), and how many the group needs."""

    signed_off: int
    needed: int
    neighbours: bool


@dataclass
class CouncilDashboard:
    council: Council
    round: AssessmentRound | None
    previous_round: AssessmentRound | None = None
    rounds: list[AssessmentRound] = field(default_factory=list)  # signed off, latest first
    waiting: Waiting | None = None
    neighbours: list[str] = field(default_factory=list)  # the council's own, by name
    neighbour_ids: set[int] = field(default_factory=set)
    groups: list[GroupChoice] = field(default_factory=list)
    group: GroupChoice | None = None
    overall: Subject | None = None
    dimensions: list[Subject] = field(default_factory=list)
    trend: list[TrendPoint] = field(default_factory=list)
    strengths: list[Highlight] = field(default_factory=list)
    priorities: list[Highlight] = field(default_factory=list)
    min_group: int = 5

    @property
    def trend_rows(self) -> list[dict[str, object]]:
        """The trend as table rows: each dimension, then the overall score, by round."""
        subjects = [*self.dimensions, *([self.overall] if self.overall else [])]
        return [
            {
                "name": s.name,
                "values": [point.scores.get(s.dimension_id) for point in self.trend],
            }
            for s in subjects
        ]

    @property
    def group_published(self) -> bool:
        return any(subject.published for subject in [*self.dimensions, self.overall] if subject)


# Pure helpers ---------------------------------------------------------------------------------


def highlights(
    subjects: Sequence[Subject], steps: Mapping[int, list[NextStep]], *, count: int = HIGHLIGHTS
) -> tuple[list[Highlight], list[Highlight]]:
    """(strengths, priorities): the dimensions furthest above and furthest below the group's
    median, at most `count` each, ties by the framework's order. Only published dimensions
    with a score count; a dimension level with the median is neither."""
    differences = [
        (s.difference, s) for s in subjects if s.dimension_id is not None and s.difference
    ]
    # sorted() is stable, so equal differences keep the framework's order.
    above = [s for d, s in sorted(differences, key=lambda pair: -pair[0]) if d > 0]
    below = [s for d, s in sorted(differences, key=lambda pair: pair[0]) if d < 0]
    return (
        [Highlight(s, steps.get(s.dimension_id or 0, [])) for s in above[:count]],
        [Highlight(s, steps.get(s.dimension_id or 0, [])) for s in below[:count]],
    )


def next_steps(
    answers: Iterable[tuple[int, str, str, int, int]],
    descriptors: Mapping[tuple[int, int], str],
    *,
    count: int = NEXT_STEPS,
) -> dict[int, list[NextStep]]:
    """{dimension id: next steps}: for the `count` lowest agreed levels in each dimension (ties
    by question order, so `answers` must come in that order), what the next level up looks
    like. `answers` are (dimension id, question code, statement, question id, level); a
    question already at level 5 has no next step."""
    by_dimension: dict[int, list[tuple[int, str, str, int]]] = defaultdict(list)
    for dimension_id, code, statement, question_id, level in answers:
        by_dimension[dimension_id].append((level, code, statement, question_id))
    found: dict[int, list[NextStep]] = {}
    for dimension_id, rows in by_dimension.items():
        weakest = sorted((row for row in rows if row[0] < 5), key=lambda row: row[0])[:count]
        found[dimension_id] = [
            NextStep(
                question_code=code,
                statement=statement,
                level=level,
                next_level=level + 1,
                next_level_name=str(LEVEL_NAMES[level + 1]),
                descriptor=descriptors.get((question_id, level + 1), ""),
            )
            for level, code, statement, question_id in weakest
        ]
    return found


# The read -------------------------------------------------------------------------------------


def visible_groups(council: Council) -> list[PeerGroup]:
    """The groups this council may see, in picker order: public groups it belongs to, and its
    own nearest-neighbour group (never another council's, even one it is a member of)."""
    groups = PeerGroup.objects.filter(members=council).filter(
        Q(owner__isnull=True) | Q(owner=council)
    )
    rank: dict[str, int] = {kind: index for index, kind in enumerate(PICKER_ORDER)}
    return sorted(groups, key=lambda g: (rank.get(g.kind, len(rank)), g.name))


def council_dashboard(
    council: Council, *, group_slug: str | None = None, round_slug: str | None = None
) -> CouncilDashboard:
    """The dashboard for one of the council's signed-off rounds against one of its groups.

    Unchosen, the round is the latest in which the chosen group (any group, when none is
    chosen) has released figures, so a new sign-off does not take away last year's comparison
    before this year's figures exist; and the group is the first in picker order whose figures
    can be shown there. Raises PeerGroup.DoesNotExist for a group the council may not see and
    AssessmentRound.DoesNotExist for a round it has not signed off. At most thirteen queries,
    whatever the number of councils, groups and rounds; ten once the release's figures,
    positions and neighbours are in the cache (`release_cache`), as they are after the first
    view of each release.
    """
    dashboard = CouncilDashboard(council=council, round=None, min_group=min_group_size())
    reads = release_cache.Reads()  # what only a release changes, from the cache
    groups = visible_groups(council)
    chosen = next((g for g in groups if g.slug == group_slug), None)
    if group_slug and chosen is None:
        raise PeerGroup.DoesNotExist(group_slug)

    assessments = list(
        Assessment.objects.signed_off()
        .for_council(council)
        .select_related("round__framework")
        .order_by("-round__opens_on", "-round_id")
    )
    dashboard.rounds = [a.round for a in assessments]
    if round_slug and all(a.round.slug != round_slug for a in assessments):
        raise AssessmentRound.DoesNotExist(round_slug)
    round_ids = [a.round_id for a in assessments]
    released = reads.remembered(
        "results",
        (tuple(round_ids), tuple(g.pk for g in groups)),
        lambda: _results(round_ids, groups),
    )
    index = _round_index(assessments, released, groups, chosen=chosen, round_slug=round_slug)
    in_round = assessments[index].round_id if assessments else None
    results = {(g, s): found for (r, g, s), found in released.items() if r == in_round}
    dashboard.groups = [
        GroupChoice(
            slug=g.slug,
            name=g.shown_name,
            kind=g.kind,
            kind_label=str(PeerGroupKind(g.kind).label),
            overall=results.get((g.pk, None), _NO_RESULT)[0],
        )
        for g in groups
    ]
    if chosen is None and groups:
        # About half the neighbour groups are withheld for being too close to a bigger group
        # (see the README's "Suppression"): open on the closest comparison that shows figures.
        shown = [
            g for g in groups if (o := results.get((g.pk, None), _NO_RESULT)[0]) and o.published
        ]
        chosen = (shown or groups)[0]
    dashboard.group = next((c for c in dashboard.groups if chosen and c.slug == chosen.slug), None)
    own = next((g for g in groups if g.owner_id == council.pk), None)
    if own is not None:
        # Kept in both languages (a new key name: values kept under "neighbours" were pairs).
        neighbours = reads.remembered(
            "neighbour_names",
            (own.pk,),
            lambda: list(
                own.members.exclude(pk=council.pk).values_list("pk", "name_en", "name_cy")
            ),
        )
        dashboard.neighbour_ids = {pk for pk, _, _ in neighbours}
        dashboard.neighbours = sorted(in_language(en, cy) for _, en, cy in neighbours)
    if not assessments:
        return dashboard
    # The chosen round and the ones before it: nothing after it is shown beside it.
    assessments = assessments[index:]
    latest = assessments[0]
    dashboard.round = latest.round
    dashboard.previous_round = assessments[1].round if len(assessments) > 1 else None
    overall = results.get((chosen.pk, None), _NO_RESULT)[0] if chosen else None
    if chosen is not None and (overall is None or overall.too_small):
        dashboard.waiting = Waiting(
            signed_off=Assessment.objects.signed_off().filter(round_id=latest.round_id).count(),
            needed=dashboard.min_group,
            neighbours=chosen.kind == PeerGroupKind.NEAREST_NEIGHBOURS,
        )

    dimensions = list(framework_outline(latest.round.framework))
    # A sign-off fixes an assessment's scores and agreed answers until staff reopen it, which
    # clears its signed_off_at: what is read from them is kept in the process under that time.
    signed = tuple((a.pk, a.signed_off_at) for a in assessments)
    scores = kept(
        ("scores by round", council.pk, signed, latest.round.framework_id),
        lambda: _scores_by_round(council, assessments, latest.round.framework_id),
    )
    current = scores.get(latest.round_id, {})
    # Positions only where the release counted the council with the score it has now (a
    # score found in a distribution may be another council's).
    set_ids = tuple(
        sorted(
            found[2]
            for key, found in results.items()
            if chosen is not None and key[0] == chosen.pk and found[2] is not None
        )
    )
    counted = reads.remembered(
        "counted", (council.pk, set_ids), lambda: counted_scores(council.pk, set_ids)
    )
    previous = scores.get(dashboard.previous_round.pk, {}) if dashboard.previous_round else {}

    def subject(dimension: Dimension | None) -> Subject:
        key = dimension.pk if dimension else None
        figures, distribution, set_id = (
            results.get((chosen.pk, key), _NO_RESULT) if chosen else _NO_RESULT
        )
        score = current.get(key)
        return Subject(
            dimension_id=key,
            code=dimension.code if dimension else "overall",
            name=dimension.name if dimension else gettext("Overall score"),
            score=score,
            previous=previous.get(key),
            figures=figures,
            position=(
                position_from(distribution, score)
                if score is not None and set_id is not None and counted.get(set_id) == score
                else None
            ),
        )

    dashboard.dimensions = [subject(d) for d in dimensions]
    dashboard.overall = subject(None)
    dashboard.trend = [
        TrendPoint(round_name=a.round.name, scores=scores[a.round_id])
        for a in reversed(assessments)
        if scores.get(a.round_id)
    ]
    steps = kept(
        ("next steps", latest.pk, latest.signed_off_at, latest.round.framework_id),
        lambda: _next_steps(latest, dimensions),
    )
    dashboard.strengths, dashboard.priorities = highlights(dashboard.dimensions, steps)
    return dashboard


_NO_RESULT: tuple[None, None, None] = (None, None, None)


@dataclass(frozen=True)
class GroupPositions:
    """Where the council stands in one group it may see: a Subject per barrier, then overall."""

    group: PeerGroup
    subjects: list[Subject]


def council_positions(council: Council, assessment: Assessment) -> list[GroupPositions]:
    """The council's place in every group it may see, in one signed-off round, by the same
    rules as the dashboard: the current release's published figures only (a withheld result
    gives no figure and no position), and a position only where the release counted the
    council with the score it has now. Six queries, whatever the number of groups."""
    groups = visible_groups(council)
    released = _results([assessment.round_id], groups)
    dimensions = list(Dimension.objects.for_framework(assessment.round.framework_id))
    scores = _scores_by_round(council, [assessment], assessment.round.framework_id).get(
        assessment.round_id, {}
    )
    counted = counted_scores(council.pk, (found[2] for found in released.values()))
    positions = []
    for group in groups:
        subjects = []
        for dimension in [*dimensions, None]:
            key = dimension.pk if dimension else None
            figures, distribution, set_id = released.get(
                (assessment.round_id, group.pk, key), _NO_RESULT
            )
            score = scores.get(key)
            published = figures is not None and figures.published
            subjects.append(
                Subject(
                    dimension_id=key,
                    code=dimension.code if dimension else "overall",
                    name=dimension.name if dimension else gettext("Overall score"),
                    score=score,
                    previous=None,
                    figures=figures,
                    position=(
                        position_from(distribution, score)
                        if published and set_id is not None and counted.get(set_id) == score
                        else None
                    ),
                )
            )
        positions.append(GroupPositions(group=group, subjects=subjects))
    return positions


def _round_index(
    assessments: Sequence[Assessment],
    released: Mapping[tuple[int, int, int | None], tuple[GroupFigures | None, object, object]],
    groups: Sequence[PeerGroup],
    *,
    chosen: PeerGroup | None,
    round_slug: str | None,
) -> int:
    """Which of the signed-off assessments (latest first) to show: the chosen round's, else
    the latest whose round has released figures for the chosen group (any group, when none
    is chosen), else the latest."""
    for index, assessment in enumerate(assessments):
        if round_slug:
            if assessment.round.slug == round_slug:
                return index
            continue
        candidates = [chosen] if chosen is not None else groups
        for group in candidates:
            figures = released.get((assessment.round_id, group.pk, None), _NO_RESULT)[0]
            if figures is not None and figures.published:
                return index
    return 0


def _results(
    round_ids: Sequence[int], groups: Sequence[PeerGroup]
) -> dict[tuple[int, int, int | None], tuple[GroupFigures, object, int | None]]:
    """{(round id, group id, dimension id or None): (figures, stored distribution, published
    set id)} in each round's current release."""
    if not round_ids or not groups:
        return {}
    rows = (
        ReleasedResult.objects.current()
        .filter(round_id__in=round_ids, peer_group__in=[g.pk for g in groups])
        .values(
            "round_id",
            "peer_group_id",
            "dimension_id",
            "distribution",
            "published_set_id",
            *RESULT_FIELDS,
        )
    )
    return {
        (row["round_id"], row["peer_group_id"], row["dimension_id"]): (
            GroupFigures.from_row(row),
            row["distribution"],
            row["published_set_id"],
        )
        for row in rows
    }


def _scores_by_round(
    council: Council, assessments: Sequence[Assessment], framework_id: int
) -> dict[int, dict[int | None, Decimal]]:
    """{round id: {current dimension id: score, None: overall}} for every signed-off round,
    older frameworks' dimensions mapped onto the current ones through the question lineage."""
    rows = list(
        DimensionScore.objects.filter(
            council=council,
            assessment__in=[a.pk for a in assessments],
            score__isnull=False,
        ).values_list("round_id", "dimension_id", "score")
    )
    frameworks = {a.round.framework_id for a in assessments}
    lineage: dict[int, int] = {}
    if len(frameworks) > 1:
        lineage = dimension_lineage(
            Question.objects.filter(framework_id__in=frameworks).values_list(
                "dimension_id", "replaces__dimension_id"
            )
        )
    round_framework = {a.round_id: a.round.framework_id for a in assessments}
    by_round: dict[int, dict[int | None, Decimal]] = defaultdict(dict)
    own: dict[int, list[Decimal]] = defaultdict(list)
    for round_id, dimension_id, score in rows:
        if score is None:
            continue
        own[round_id].append(score)
        if round_framework[round_id] != framework_id:
            dimension_id = lineage.get(dimension_id, -1)
            if dimension_id == -1:
                continue  # no comparable dimension in the current framework
        by_round[round_id][dimension_id] = score
    for round_id, values in own.items():
        overall = overall_score(values)
        if overall is not None:
            by_round[round_id][None] = overall
    return dict(by_round)


def _next_steps(
    assessment: Assessment, dimensions: Sequence[Dimension]
) -> dict[int, list[NextStep]]:
    """One query for the agreed levels; the statements and descriptors come from the framework's
    outline (`framework_outline`), in the reader's language, in the framework's order."""
    levels = dict(
        AgreedAnswer.objects.filter(
            assessment=assessment, status=AnswerStatus.ANSWERED, level__isnull=False
        ).values_list("question_id", "level")
    )
    answers: list[tuple[int, str, str, int, int]] = []
    descriptors: dict[tuple[int, int], str] = {}
    for dimension in dimensions:
        for question in dimension.questions.all():
            level = levels.get(question.pk)
            if level is None:
                continue
            answers.append((dimension.pk, question.code, question.statement, question.pk, level))
            for descriptor in question.descriptors.all():
                descriptors[(question.pk, descriptor.level)] = descriptor.description
    return next_steps(answers, descriptors)
