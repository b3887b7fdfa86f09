"""Writes for benchmark results: a round's full rebuild, the incremental update after one
council's sign-off or reopening, and the reconcile that catches up any round left behind.

All of them are safe to run any number of times: they compute the answer from the frozen
scores and the peer groups and make the database match it. The rules for what is published
live in `publication` (which groups) and `statistics` (which figures); this module only reads
the inputs and writes the rows. (Peer groups are built in `peer_groups`.)
"""

from __future__ import annotations

import csv
import hashlib
import io
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from assessments.models import (
    Assessment,
    AssessmentRound,
    Dimension,
    DimensionScore,
)
from assessments.scoring import overall_score

from . import publication
from .figures import FIGURES, GroupFigures
from .models import BenchmarkResult, BenchmarkRun, PeerGroup
from .statistics import distribution_sorted, sorted_scores, summarise_sorted

DEFAULT_MIN_GROUP = 5
# Group ids per DELETE ... IN (...): below SQLite's 999 bound parameters.
_DELETE_CHUNK = 500

# A dimension id, or None for the overall score.
Subject = int | None
# One signed-off score: (council id, dimension id, score).
ScoreRow = tuple[int, int, Decimal]


def min_group_size() -> int:
    """BENCHMARK_MIN_GROUP: the fewest councils a group needs before anything is published."""
    return int(getattr(settings, "BENCHMARK_MIN_GROUP", DEFAULT_MIN_GROUP))


# Inputs ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Groups:
    """Every peer group (kind, slug, owner) and its member councils, with a digest of both."""

    min_group: int
    info: dict[int, tuple[str, str, int | None]]
    members: dict[int, frozenset[int]]
    digest: str


def _load_groups(*, min_group: int) -> _Groups:
    """Two queries, whatever the number of groups and councils."""
    info: dict[int, tuple[str, str, int | None]] = {
        pk: (kind, slug, owner_id)
        for pk, kind, slug, owner_id in PeerGroup.objects.values_list(
            "pk", "kind", "slug", "owner_id"
        )
    }
    collected: dict[int, set[int]] = defaultdict(set)
    for group_id, council_id in PeerGroup.members.through.objects.values_list(
        "peergroup_id", "council_id"
    ):
        collected[group_id].add(council_id)
    members = {pk: frozenset(collected.get(pk, ())) for pk in info}
    # Besides the memberships, what else changes the results: the minimum, and each group's
    # kind, slug and owner (priority and visibility), so a new empty group counts too.
    lines = [f"min_group\t{min_group}"]
    for pk in sorted(info):
        kind, slug, owner_id = info[pk]
        lines.append(f"group\t{pk}\t{kind}\t{slug}\t{owner_id}")
        lines.append("members\t" + ",".join(map(str, sorted(members[pk]))))
    digest = hashlib.sha256("\n".join(lines).encode()).hexdigest()
    return _Groups(min_group=min_group, info=info, members=members, digest=digest)


def _basis(groups: _Groups, dimension_ids: Iterable[int]) -> str:
    """sha256 of everything a round's results depend on but the scores: the groups (their
    digest, above) and the round's dimensions."""
    dimensions = ",".join(map(str, sorted(dimension_ids)))
    return hashlib.sha256(f"{groups.digest}\ndimensions\t{dimensions}".encode()).hexdigest()


def snapshot_key(council_id: int) -> str:
    """A council's key in BenchmarkRun.council_scores: "c12", not "12", because a JSON key
    lookup in the database (queries.council_positions) takes a number for an array index."""
    return f"c{council_id}"


def _snapshot(rows: Iterable[ScoreRow]) -> dict[str, str]:
    """The scores as BenchmarkRun.council_scores keeps them: {snapshot_key(council id):
    "dimension id:score,..."} in order of dimension id."""
    by_council: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for council_id, dimension_id, score in rows:
        by_council[council_id].append((dimension_id, score))
    return {
        snapshot_key(council_id): snapshot_text(found) for council_id, found in by_council.items()
    }


def snapshot_text(scores: Iterable[tuple[int, Decimal]]) -> str:
    return ",".join(f"{dimension}:{score:.2f}" for dimension, score in sorted(scores))


def _changed_councils(before: dict[str, str], now: dict[str, str]) -> set[int]:
    return {int(c[1:]) for c in before.keys() | now.keys() if before.get(c) != now.get(c)}


@dataclass(frozen=True)
class _Inputs:
    round_id: int
    groups: _Groups
    dimension_ids: list[int]
    rows: list[ScoreRow]

    @property
    def subjects(self) -> list[Subject]:
        return [*self.dimension_ids, None]

    @property
    def basis(self) -> str:
        return _basis(self.groups, self.dimension_ids)


def _signed_off_rows(*, round_id: int, dimension_ids: list[int]) -> list[ScoreRow]:
    """(council, dimension, score) of signed-off assessments, leaving out dimensions with no
    score (no level was given): they count neither there nor in the overall score."""
    found = (
        DimensionScore.objects.signed_off()
        .filter(
            round_id=round_id,
            dimension_id__in=dimension_ids,
            score__isnull=False,
        )
        .values_list("council_id", "dimension_id", "score")
    )
    return [(council, dimension, score) for council, dimension, score in found if score is not None]


def _lock_and_load(round_id: int) -> _Inputs:
    """Lock the round, then read everything its results depend on (five queries).

    The lock serialises every rebuild and update of one round, and the inputs are read only
    once it is held: whichever job writes last has read last, so a job queued by an earlier
    sign-off can never overwrite a newer result.
    """
    assessment_round = AssessmentRound.objects.select_for_update().get(pk=round_id)
    dimension_ids = list(
        Dimension.objects.for_framework(assessment_round.framework_id).values_list("pk", flat=True)
    )
    rows = _signed_off_rows(round_id=round_id, dimension_ids=dimension_ids)
    groups = _load_groups(min_group=min_group_size())
    return _Inputs(round_id=round_id, groups=groups, dimension_ids=dimension_ids, rows=rows)


# Computation (in memory) ----------------------------------------------------------------------


def _scores_by_subject(
    rows: Iterable[ScoreRow], dimension_ids: Sequence[int]
) -> dict[Subject, dict[int, Decimal]]:
    """{dimension id, or None for overall: {council id: score}}. A council's overall score is
    the mean of the dimension scores it has (assessments.scoring.overall_score)."""
    scores: dict[Subject, dict[int, Decimal]] = {pk: {} for pk in dimension_ids}
    by_council: dict[int, list[Decimal]] = defaultdict(list)
    for council_id, dimension_id, score in rows:
        scores[dimension_id][council_id] = score
        by_council[council_id].append(score)
    overall: dict[int, Decimal] = {}
    for council_id, council_scores in by_council.items():
        council_overall = overall_score(council_scores)
        if council_overall is not None:
            overall[council_id] = council_overall
    scores[None] = overall
    for subject_scores in scores.values():
        # Each score checked once here (a finite Decimal from 1 to 5, else ValueError), so
        # the per-group summaries can skip the check.
        sorted_scores(list(subject_scores.values()))
    return scores


def _decisions(
    groups: _Groups, scores: dict[Subject, dict[int, Decimal]]
) -> dict[Subject, dict[int, publication.Decision]]:
    """The publication decision of every group for every subject, over effective members.

    The decisions depend only on which councils have a score, so subjects scored by the same
    councils (usually all of them: a signed-off council has a score for every dimension)
    share one computation.
    """
    decisions = {}
    done: dict[frozenset[int], dict[int, publication.Decision]] = {}
    for subject, subject_scores in scores.items():
        scored = frozenset(subject_scores)
        if scored not in done:
            candidates = {
                pk: publication.Candidate(
                    kind=kind, slug=slug, owner=owner_id, members=groups.members[pk] & scored
                )
                for pk, (kind, slug, owner_id) in groups.info.items()
            }
            done[scored] = publication.decide(candidates, min_group=groups.min_group)
        decisions[subject] = done[scored]
    return decisions


RESULT_COLUMNS = (
    "round_id",
    "peer_group_id",
    "dimension_id",
    "computed_at",
    "suppression_reason",
    "councils",
    "suppressed",
    *FIGURES,
    "level_counts",
    "distribution",
)


def _result_values(
    councils: int, figures: GroupFigures, counts: dict[Decimal, int] | None
) -> tuple[Any, ...]:
    """The columns from "councils" on, in RESULT_COLUMNS order (JSON as text). `councils` is
    the real number even for a withheld result, which `figures` cannot hold: stored for the
    rebuild and the admin, never shown (GroupFigures.from_row leaves it out)."""
    # JSON by hand: json.dumps cost as much as the statistics for thousands of tiny objects.
    level_counts = (
        None
        if figures.level_counts is None
        else "{" + ", ".join(f'"{k}": {n}' for k, n in figures.level_counts.items()) + "}"
    )
    distribution_json = (
        None if counts is None else "{" + ", ".join(f'"{k}": {n}' for k, n in counts.items()) + "}"
    )
    return (
        councils,
        figures.suppressed,
        *[getattr(figures, name) for name in FIGURES],
        level_counts,
        distribution_json,
    )


def _build_rows(
    inputs: _Inputs,
    scores: dict[Subject, dict[int, Decimal]],
    decisions: dict[Subject, dict[int, publication.Decision]],
    *,
    group_ids: Iterable[int],
) -> list[tuple[Any, ...]]:
    """A result row, as a plain tuple in RESULT_COLUMNS order, for each of these groups and
    each subject: thousands of rows per round, too many to build as model instances."""
    computed_at = timezone.now()
    results: list[tuple[Any, ...]] = []
    min_group = inputs.groups.min_group
    for group_id in group_ids:
        members = inputs.groups.members[group_id]
        for subject in inputs.subjects:
            subject_scores = scores[subject]
            values = [subject_scores[c] for c in members if c in subject_scores]
            decision = decisions[subject][group_id]
            if decision.published:
                # Every score was checked once in _scores_by_subject.
                values.sort()
                figures = summarise_sorted(values, min_group=min_group)
                counts = distribution_sorted(values)
            else:
                figures = GroupFigures(reason=decision.reason)
                counts = None
            results.append(
                (inputs.round_id, group_id, subject, computed_at, decision.reason)
                + _result_values(len(values), figures, counts)
            )
    return results


# Writes ---------------------------------------------------------------------------------------

_NULL = "\\N"


def _insert_rows(model: type[Model], columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """Insert rows without the ORM: COPY on PostgreSQL, one executemany elsewhere.

    A rebuild writes a result row per group and subject (about 4,600 for the real sector);
    building and compiling a model instance for each cost more than computing them. Rows are
    plain tuples in `columns` order, with JSON already dumped to text.
    """
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(name) for name in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            # \N marks NULL (the overall score has no dimension), so "" stays an empty string.
            csv.writer(buffer).writerows([_NULL if v is None else v for v in row] for row in rows)
            buffer.seek(0)
            copy = f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv, NULL '{_NULL}')"
            cursor.cursor.copy_expert(copy, buffer)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", rows)


def _record_run(inputs: _Inputs, snapshot: dict[str, str], *, started: float) -> None:
    fields = {
        "basis": inputs.basis,
        "council_scores": snapshot,
        "computed_at": timezone.now(),
        "seconds": round(time.perf_counter() - started, 6),
    }
    if not BenchmarkRun.objects.filter(round_id=inputs.round_id).update(**fields):
        BenchmarkRun.objects.create(round_id=inputs.round_id, **fields)


def _rebuild_locked(inputs: _Inputs, *, started: float) -> int:
    scores = _scores_by_subject(inputs.rows, inputs.dimension_ids)
    decisions = _decisions(inputs.groups, scores)
    results = _build_rows(inputs, scores, decisions, group_ids=sorted(inputs.groups.info))
    BenchmarkResult.objects.filter(round_id=inputs.round_id).delete()
    _insert_rows(BenchmarkResult, RESULT_COLUMNS, results)
    _record_run(inputs, _snapshot(inputs.rows), started=started)
    return len(results)


def benchmarks_rebuild(*, round_id: int) -> int:
    """Recompute every benchmark result of a round, replacing the old.

    Only signed-off assessments count. For each peer group and each dimension of the round's
    framework and the overall score (the mean of a council's dimension scores that exist,
    assessments.scoring.overall_score), the publication rule (publication.decide) says whether
    the group may be published; a published group gets its figures (statistics.summarise)
    and its distribution of scores, from which each member council alone is shown its rank
    and percentile (queries.council_positions); a suppressed one only its count and the
    reason. Every group gets a row for every subject.

    The old rows are deleted and the new ones inserted in one transaction, so readers see the
    old set or the new one, never a mix; the round's BenchmarkRun records the inputs. The
    query count does not depend on the number of groups or councils. Running it twice gives
    the same rows. Returns the number of result rows written.
    """
    started = time.perf_counter()
    with transaction.atomic():
        inputs = _lock_and_load(round_id)
        return _rebuild_locked(inputs, started=started)


def benchmarks_update_for_council(*, round_id: int, council_id: int) -> int:
    """Bring a round's results up to date after a council's sign-off or reopening.

    Only the rows that can have changed are recomputed and rewritten. The round's BenchmarkRun
    says which scores the stored rows were built from, so the councils whose scores changed
    since are known: `council_id`, and any other whose own job has not run yet. A council's
    scores change the effective members only of the groups containing it, and whether two
    groups are too close depends only on their own effective members. But publication is
    decided in priority order, so a group that contains no changed council can still change
    when it is compared with one that does (a region gains a council and is now far enough
    from a network), or through a chain (a group newly published blocks a later one). So
    every group's decision is recomputed in memory (cheap), and the rows rewritten are those
    of the groups containing a changed council and of the groups whose decision (stored in
    their rows) changed for any subject. Every other row is provably unchanged and keeps its
    id.

    If the stored results already match the current scores (this job ran before, or a rebuild
    got there first), nothing is written. If anything but the scores changed (peer groups
    rebuilt, the minimum group size), or the round was never computed, this does a full
    rebuild. Either way the rows equal benchmarks_rebuild's. One transaction, under the same
    round lock as the rebuild. Returns the number of result rows written.
    """
    started = time.perf_counter()
    with transaction.atomic():
        inputs = _lock_and_load(round_id)
        run = BenchmarkRun.objects.filter(round_id=round_id).first()
        if run is None or run.basis != inputs.basis:
            return _rebuild_locked(inputs, started=started)
        snapshot = _snapshot(inputs.rows)
        changed_councils = _changed_councils(run.council_scores, snapshot)
        if not changed_councils:
            return 0

        scores = _scores_by_subject(inputs.rows, inputs.dimension_ids)
        decisions = _decisions(inputs.groups, scores)
        changed = {
            pk
            for pk, members in inputs.groups.members.items()
            if not members.isdisjoint(changed_councils)
        }
        unseen = {(pk, subject) for pk in inputs.groups.info for subject in inputs.subjects}
        for pk, subject, reason in BenchmarkResult.objects.filter(round_id=round_id).values_list(
            "peer_group_id", "dimension_id", "suppression_reason"
        ):
            unseen.discard((pk, subject))
            if decisions[subject][pk].reason != reason:
                changed.add(pk)
        changed.update(pk for pk, _ in unseen)

        group_ids = sorted(changed)
        results = _build_rows(inputs, scores, decisions, group_ids=group_ids)
        for start in range(0, len(group_ids), _DELETE_CHUNK):
            chunk = group_ids[start : start + _DELETE_CHUNK]
            BenchmarkResult.objects.filter(round_id=round_id, peer_group_id__in=chunk).delete()
        _insert_rows(BenchmarkResult, RESULT_COLUMNS, results)
        _record_run(inputs, snapshot, started=started)
        return len(results)


def _stale_rounds() -> list[int]:
    """Rounds whose results are not those of their current inputs (a fixed number of queries).

    A round is stale when its BenchmarkRun's basis or scores differ from its inputs' now, or
    when it has no run but has signed-off assessments or results to correct.
    """
    runs = {
        round_id: (basis, council_scores)
        for round_id, basis, council_scores in BenchmarkRun.objects.values_list(
            "round_id", "basis", "council_scores"
        )
    }
    candidates = set(runs)
    candidates |= set(Assessment.objects.signed_off().values_list("round_id", flat=True).distinct())
    candidates |= set(BenchmarkResult.objects.values_list("round_id", flat=True).distinct())
    if not candidates:
        return []
    frameworks = dict(
        AssessmentRound.objects.filter(pk__in=candidates).values_list("pk", "framework_id")
    )
    dimensions: dict[int, list[int]] = defaultdict(list)
    for framework_id, pk in Dimension.objects.filter(
        framework_id__in=set(frameworks.values())
    ).values_list("framework_id", "pk"):
        dimensions[framework_id].append(pk)
    rows: dict[int, list[ScoreRow]] = defaultdict(list)
    for round_id, council_id, dimension_id, score in (
        DimensionScore.objects.signed_off()
        .filter(
            round_id__in=list(frameworks),
            score__isnull=False,
        )
        .values_list("round_id", "council_id", "dimension_id", "score")
    ):
        if score is not None:
            rows[round_id].append((council_id, dimension_id, score))
    groups = _load_groups(min_group=min_group_size())
    stale = []
    for round_id, framework_id in frameworks.items():
        dimension_ids = dimensions[framework_id]
        current = [row for row in rows[round_id] if row[1] in dimension_ids]
        if runs.get(round_id) != (_basis(groups, dimension_ids), _snapshot(current)):
            stale.append(round_id)
    return sorted(stale)


def benchmarks_reconcile() -> list[int]:
    """Rebuild every round whose inputs changed since its results were last computed.

    This is the catch-up for jobs that never ran: a sign-off made while the broker was down,
    a worker lost for good, peer groups rebuilt, BENCHMARK_MIN_GROUP changed. Each stale round
    is rebuilt in its own transaction (benchmarks_rebuild). A second run right after finds
    nothing to do. Returns the ids of the rounds rebuilt, in order.
    """
    stale = _stale_rounds()
    for round_id in stale:
        benchmarks_rebuild(round_id=round_id)
    return stale
