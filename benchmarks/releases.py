"""Writes for releases: the stored, unchanging snapshots of a round's peer figures that
everyone but the council itself is shown (the rule: `release_rule`).

`release_make` reads the same inputs as the live rebuild (the frozen scores and the peer
groups), under the same lock on the round, and stores a new release only when its figures
would differ from the current one's, so running it again, or twice at once, changes nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from . import release_cache, release_rule
from .figures import FIGURES, GroupFigures
from .models import BenchmarkRun, PeerGroup, PublishedSet, Release, ReleasedResult, ReleaseReason
from .release_rule import GroupNow, Members, Outcome, Published
from .services import Subject, _insert_rows, _lock_and_load, _result_values, _scores_by_subject
from .statistics import distribution_sorted, summarise_sorted

RELEASED_COLUMNS = (
    "release_id",
    "round_id",
    "peer_group_id",
    "group_slug",
    "group_name",
    "group_kind",
    "dimension_id",
    "published_set_id",
    "as_of",
    "suppression_reason",
    "councils",
    "suppressed",
    *FIGURES,
    "level_counts",
    "distribution",
)


def _digest(round_id: int, subject: Subject, owner: int | None, members: Members) -> str:
    text = f"{round_id}|{subject}|{owner}|" + ";".join(
        f"{council}:{score}" for council, score in sorted(members)
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _members_json(members: Members) -> list[list[Any]]:
    return [[council, str(score)] for council, score in sorted(members)]


def _members_from(stored: list[list[Any]]) -> Members:
    return frozenset((int(council), Decimal(score)) for council, score in stored)


@dataclass
class _Previous:
    """The current release's row for one group and subject: its published set's id (None if
    withheld) and the columns a kept figure copies."""

    published_set: int | None
    reason: str
    values: dict[str, Any]


def _load_previous(release: Release | None) -> dict[tuple[int, Subject], _Previous]:
    if release is None:
        return {}
    columns = ("peer_group_id", "dimension_id", "published_set_id", "suppression_reason")
    copied = ("as_of", "councils", "suppressed", *FIGURES, "level_counts", "distribution")
    return {
        (row["peer_group_id"], row["dimension_id"]): _Previous(
            row["published_set_id"], row["suppression_reason"], {k: row[k] for k in copied}
        )
        # A group deleted since has no row to keep: the release differs, and says so.
        for row in ReleasedResult.objects.filter(release=release, peer_group__isnull=False).values(
            *columns, *copied
        )
    }


def _load_history(round_id: int) -> tuple[dict[Subject, list[Published]], dict[int, Members]]:
    """Every set published for the round, by subject; and each one's members by id."""
    history: dict[Subject, list[Published]] = defaultdict(list)
    members_of: dict[int, Members] = {}
    for pk, subject, owner, stored in PublishedSet.objects.filter(round_id=round_id).values_list(
        "pk", "dimension_id", "owner_id", "members"
    ):
        members_of[pk] = _members_from(stored)
        history[subject].append(Published(members_of[pk], owner))
    return history, members_of


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value)


def release_make(*, round_id: int, reason: str = ReleaseReason.SCHEDULED) -> Release | None:
    """Make the round's next release, or nothing if no group's figures would change.

    For every peer group and subject, `release_rule.choose` publishes new figures, keeps the
    ones last published or withholds them; new figures are computed from the frozen scores
    (statistics.summarise) and their set of scores recorded (PublishedSet) so that no later
    figure can come too close to it. The rows are written in one transaction with the
    release, which becomes the round's current one. Returns the new release, or None.
    """
    with transaction.atomic():
        inputs = _lock_and_load(round_id)
        min_group = inputs.groups.min_group
        scores = _scores_by_subject(inputs.rows, inputs.dimension_ids)
        current = Release.objects.filter(round_id=round_id, current=True).first()
        previous = _load_previous(current)
        history, members_of = _load_history(round_id)

        planned: list[_Planned] = []
        for subject in inputs.subjects:
            subject_scores = scores[subject]
            now: dict[int, GroupNow] = {}
            for group_id, (kind, slug, owner) in inputs.groups.info.items():
                before = previous.get((group_id, subject))
                last = None
                if before is not None and before.published_set is not None:
                    last = members_of[before.published_set]
                members = frozenset(
                    (c, subject_scores[c])
                    for c in inputs.groups.members[group_id]
                    if c in subject_scores
                )
                now[group_id] = GroupNow(kind, slug, members, owner=owner, last=last)
            choices = release_rule.choose(now, history[subject], min_group=min_group)
            planned.extend(
                _Planned(group_id, subject, choice.outcome, choice.reason, now[group_id])
                for group_id, choice in choices.items()
            )

        if current is not None and _same_as(planned, previous):
            return None
        made_at = timezone.now()
        if current is not None:
            Release.objects.filter(pk=current.pk).update(current=False)
        release = Release.objects.create(
            round_id=round_id,
            number=(current.number + 1) if current else 1,
            made_at=made_at,
            reason=reason,
            current=True,
        )
        set_ids = _record_sets(release, planned)
        names = dict(PeerGroup.objects.values_list("pk", "name"))
        rows = [_row(release, plan, previous, set_ids, names, min_group) for plan in planned]
        _insert_rows(ReleasedResult, RELEASED_COLUMNS, rows)
        _prune(round_id, release.number)
        release_cache.moved_on()
        return release


def _prune(round_id: int, newest: int) -> None:
    """Drop the figures of releases before the last two. Every page reads the current release;
    the one before is kept for a job (a sector report) still reading it when this one lands.
    The releases themselves stay, and so does every PublishedSet: the history the rule checks
    is the sets ever published, not these copies of their figures."""
    ReleasedResult.objects.filter(round_id=round_id, release__number__lt=newest - 1).delete()


@dataclass(frozen=True)
class _Planned:
    group_id: int
    subject: Subject
    outcome: Outcome
    reason: str
    now: GroupNow

    def digest(self, round_id: int) -> str:
        return _digest(round_id, self.subject, self.now.owner, self.now.members)


def _same_as(planned: list[_Planned], previous: dict[tuple[int, Subject], _Previous]) -> bool:
    """Whether the release would show exactly what the current one does: no new figures, and
    the same groups withheld for the same reasons."""
    if len(planned) != len(previous):
        return False
    for plan in planned:
        before = previous.get((plan.group_id, plan.subject))
        if before is None or plan.outcome is Outcome.NEW:
            return False
        if plan.outcome is Outcome.WITHHELD and (
            before.published_set is not None or before.reason != plan.reason
        ):
            return False
    return True


def _record_sets(release: Release, planned: list[_Planned]) -> dict[str, int]:
    """Store every newly published set (once, however many groups publish it), in two
    queries; {digest: id} for the rows."""
    new = {plan.digest(release.round_id): plan for plan in planned if plan.outcome is Outcome.NEW}
    PublishedSet.objects.bulk_create(
        [
            PublishedSet(
                round_id=release.round_id,
                dimension_id=plan.subject,
                owner_id=plan.now.owner,
                members=_members_json(plan.now.members),
                digest=digest,
                first_release=release,
            )
            for digest, plan in new.items()
        ],
        ignore_conflicts=True,
        batch_size=500,
    )
    if not new:
        return {}
    return dict(PublishedSet.objects.filter(round_id=release.round_id).values_list("digest", "pk"))


def _row(
    release: Release,
    plan: _Planned,
    previous: dict[tuple[int, Subject], _Previous],
    set_ids: dict[str, int],
    names: dict[int, str],
    min_group: int,
) -> tuple[Any, ...]:
    """A ReleasedResult row as a tuple in RELEASED_COLUMNS order (JSON as text)."""
    start = (
        release.pk,
        release.round_id,
        plan.group_id,
        plan.now.slug,
        names[plan.group_id],
        plan.now.kind,
        plan.subject,
    )
    if plan.outcome is Outcome.KEEP:
        before = previous[(plan.group_id, plan.subject)]
        kept = before.values
        return (
            *start,
            before.published_set,
            kept["as_of"],
            "",
            kept["councils"],
            False,
            *(kept[name] for name in FIGURES),
            _json(kept["level_counts"]),
            _json(kept["distribution"]),
        )
    if plan.outcome is Outcome.WITHHELD:
        return (*start, None, None, plan.reason) + _result_values(
            len(plan.now.members), GroupFigures(reason=plan.reason), None
        )
    values = sorted(score for _, score in plan.now.members)
    figures = summarise_sorted(values, min_group=min_group)
    return (*start, set_ids[plan.digest(release.round_id)], release.made_at, "") + _result_values(
        len(values), figures, distribution_sorted(values)
    )


def releases_make_due() -> list[int]:
    """A release for every round with results that has something new to show (the daily
    job). Returns the ids of the rounds that got one."""
    made = []
    for round_id in BenchmarkRun.objects.order_by("round_id").values_list("round_id", flat=True):
        if release_make(round_id=round_id, reason=ReleaseReason.SCHEDULED) is not None:
            made.append(round_id)
    return made
