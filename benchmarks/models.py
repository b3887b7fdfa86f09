"""Peer groups of councils, and the benchmark statistics computed for them.

PeerGroup rows are built from the council register by `build_peer_groups`
(services.peer_groups_build). BenchmarkResult rows are derived data: every row for a round can be
thrown away and rebuilt from the frozen DimensionScore rows (services.benchmarks_rebuild).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import AssessmentRound, Dimension
from core.translation import in_language
from councils.models import Council, Network

from .figures import FIGURES


class PeerGroupKind(models.TextChoices):
    ALL = "all", _("All UK councils")
    NATION = "nation", _("Nation")
    COUNCIL_TYPE = "council_type", _("Council type")
    TIER = "tier", _("Tier")
    REGION = "region", _("English region")
    POPULATION_BAND = "population_band", _("Population band within tier")
    DEPRIVATION = "deprivation", _("Deprivation quintile within nation")
    RURALITY = "rurality", _("Rurality")
    NEAREST_NEIGHBOURS = "nearest_neighbours", _("Nearest neighbours")
    NETWORK = "network", _("Network")


class PeerGroup(models.Model):
    """A named set of councils that are compared with each other."""

    slug = models.SlugField(max_length=140, unique=True)
    # The name in English, and in Welsh: both built in code by peer_groups_build (a network's
    # group has its network's name in both). Pages show `shown_name`; files and open data
    # that identify a group keep the English `name`.
    name = models.CharField(max_length=160)
    name_cy = models.CharField(max_length=160, blank=True, default="")
    kind = models.CharField(max_length=20, choices=PeerGroupKind.choices)
    # Set for kind=network only; deleting the network removes its group and results.
    network = models.ForeignKey(
        Network, null=True, blank=True, on_delete=models.CASCADE, related_name="peer_groups"
    )
    # Set for kind=nearest_neighbours only: the council whose neighbours these are. Its
    # results are shown to that council alone.
    owner = models.ForeignKey(
        Council, null=True, blank=True, on_delete=models.CASCADE, related_name="neighbour_groups"
    )
    members = models.ManyToManyField(Council, related_name="peer_groups", blank=True)
    # When the group's definition or membership last changed (not when it was last checked),
    # so a reconcile can tell which rounds' results are older than their inputs.
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=PeerGroupKind.NETWORK, network__isnull=False)
                | (~Q(kind=PeerGroupKind.NETWORK) & Q(network__isnull=True)),
                name="peer_group_network_iff_kind_network",
            ),
            models.CheckConstraint(
                condition=Q(kind=PeerGroupKind.NEAREST_NEIGHBOURS, owner__isnull=False)
                | (~Q(kind=PeerGroupKind.NEAREST_NEIGHBOURS) & Q(owner__isnull=True)),
                name="peer_group_owner_iff_nearest_neighbours",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def shown_name(self) -> str:
        """The name in the active language (the English until a build has given the Welsh)."""
        return in_language(self.name, self.name_cy)


class SuppressionReason(models.TextChoices):
    TOO_SMALL = "too_small", _("Fewer councils than the minimum")
    OVERLAP = "overlap", _("Too close to another published group")


def _figure() -> models.DecimalField:
    return models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)


class BenchmarkResultQuerySet(models.QuerySet["BenchmarkResult"]):
    def published(self) -> BenchmarkResultQuerySet:
        return self.filter(suppressed=False)

    def containing(self, council_id: int) -> BenchmarkResultQuerySet:
        """Results of the groups the council is a member of."""
        return self.filter(peer_group__members=council_id)


class GroupFiguresFields(models.Model):
    """A group's figures for one subject as stored: the columns `GroupFigures.from_row` reads
    (figures.RESULT_FIELDS), shared by the live results and the releases.

    `councils` is the real number of signed-off councils in the group with a score, even when
    the result is suppressed; no page or file shows a suppressed one (figures.GroupFigures
    drops it: they say "fewer than N councils" or nothing about the count).
    """

    # Null means the overall score (the mean of the council's dimension scores).
    dimension = models.ForeignKey(
        Dimension,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    councils = models.PositiveIntegerField()
    suppressed = models.BooleanField()
    # Why, when suppressed: too few councils, or too close to another published group.
    suppression_reason = models.CharField(
        max_length=12, choices=SuppressionReason.choices, blank=True
    )
    mean = _figure()
    median = _figure()
    q1 = _figure()
    q3 = _figure()
    p10 = _figure()
    p90 = _figure()
    minimum = _figure()
    maximum = _figure()
    # {"1": count, ..., "5": count} by level band; null when suppressed. JSON keys are strings.
    level_counts = models.JSONField(null=True, blank=True)
    # {"3.4": count, ...}: how many member councils have each score; null when suppressed.
    # Never shown to anyone: it places one council in the group for that council alone
    # (statistics.position_in), without reading the other councils' scores.
    distribution = models.JSONField(null=True, blank=True)

    class Meta:
        abstract = True


def _suppressed_has_no_figures(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(suppressed=False)
        | Q(
            level_counts__isnull=True,
            distribution__isnull=True,
            **{f"{field}__isnull": True for field in FIGURES},
        ),
        name=name,
    )


class BenchmarkResult(GroupFiguresFields):
    """The live distribution of one dimension's scores (or the overall score) in one peer
    group, rebuilt after every sign-off. Nobody but the council itself is shown these: what
    anyone else sees comes from a `Release` made from them (release_rule)."""

    # No single-column indexes on round and dimension: every query by round is served by the
    # (round, peer_group) indexes below, and dimensions are never deleted once published.
    # Thousands of rows are rewritten per rebuild, and each index costs on every row.
    round = models.ForeignKey(
        AssessmentRound,
        on_delete=models.CASCADE,
        related_name="benchmark_results",
        db_index=False,
    )
    peer_group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="results")
    computed_at = models.DateTimeField()

    objects = BenchmarkResultQuerySet.as_manager()

    class Meta:
        ordering = ["round_id", "peer_group_id", "dimension_id"]
        constraints = [
            # Two partial constraints, because NULLs are distinct in a plain unique constraint
            # on both PostgreSQL and SQLite, which would allow several overall rows.
            models.UniqueConstraint(
                fields=["round", "peer_group", "dimension"],
                condition=Q(dimension__isnull=False),
                name="benchmark_one_per_dimension",
            ),
            models.UniqueConstraint(
                fields=["round", "peer_group"],
                condition=Q(dimension__isnull=True),
                name="benchmark_one_overall",
            ),
            _suppressed_has_no_figures("benchmark_suppressed_has_no_figures"),
        ]
        indexes = [models.Index(fields=["round", "peer_group"], name="benchmark_round_group")]

    def __str__(self) -> str:
        subject = self.dimension.code if self.dimension is not None else "overall"
        return f"{self.round}, {self.peer_group}: {subject}"


class BenchmarkRun(models.Model):
    """When a round's results were last built, and from which inputs.

    `basis` is a sha256 of everything the results depend on except the scores: the peer
    groups and their members, the round's dimensions and the minimum group size.
    `council_scores` is the signed-off scores they were built from, {council id: "dimension
    id:score,..."}. Comparing both with the current inputs tells the incremental update which
    councils changed, and the nightly reconcile which rounds are out of date.
    """

    round = models.OneToOneField(
        AssessmentRound, on_delete=models.CASCADE, related_name="benchmark_run"
    )
    basis = models.CharField(max_length=64, default="")
    council_scores = models.JSONField(default=dict)
    computed_at = models.DateTimeField()
    seconds = models.FloatField(default=0)

    def __str__(self) -> str:
        return f"{self.round} at {self.computed_at:%Y-%m-%d %H:%M}"


class ReleaseReason(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    ROUND_CLOSED = "round_closed", _("Round closed")
    STAFF = "staff", _("Made by staff")


class Release(models.Model):
    """A stored, unchanging snapshot of a round's peer figures, and the only figures anyone but
    the council itself is shown. Made on a schedule and when the round closes
    (services.release_make), by the rule in `release_rule`."""

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="releases")
    number = models.PositiveIntegerField()
    made_at = models.DateTimeField()
    reason = models.CharField(max_length=12, choices=ReleaseReason.choices)
    # The round's latest release, the one pages show; the rest stay as they were made.
    current = models.BooleanField(default=True)

    class Meta:
        ordering = ["round_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="release_number_unique"),
            models.UniqueConstraint(
                fields=["round"], condition=Q(current=True), name="release_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round}, release {self.number} ({self.made_at:%d %B %Y})"


class PublishedSet(models.Model):
    """A set of councils' scores that figures were once published from, for one round and
    subject: the history every new figure is checked against (release_rule). Never shown.
    `members` is [[council id, "score"], ...] in order; `owner` is the council that alone sees
    it (a nearest-neighbour group), null for everyone."""

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="+")
    dimension = models.ForeignKey(
        Dimension, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    owner = models.ForeignKey(
        Council, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    members = models.JSONField()
    # sha256 of round, subject, owner and members: one row however often it is published.
    digest = models.CharField(max_length=64, unique=True)
    first_release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"{self.round}: {len(self.members)} councils"


class ReleasedResultQuerySet(models.QuerySet["ReleasedResult"]):
    def current(self) -> ReleasedResultQuerySet:
        """The figures of each round's latest release."""
        return self.filter(release__current=True)

    def published(self) -> ReleasedResultQuerySet:
        return self.filter(suppressed=False)

    def containing(self, council_id: int) -> ReleasedResultQuerySet:
        return self.filter(peer_group__members=council_id)


class ReleasedResult(GroupFiguresFields):
    """One group's figures for one subject in one release. A kept figure is a copy of the
    earlier one, with the same `as_of` and `published_set`."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="results")
    # The release's round again, so pages filter by round as they did on the live results.
    round = models.ForeignKey(
        AssessmentRound, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # The group as it was when released, so a release (and open data published from it)
    # stays exactly as made even after peer_groups_build deletes or renames the group.
    peer_group = models.ForeignKey(
        PeerGroup, null=True, on_delete=models.SET_NULL, related_name="released_results"
    )
    group_slug = models.SlugField(max_length=140)
    group_name = models.CharField(max_length=160)
    group_kind = models.CharField(max_length=20, choices=PeerGroupKind.choices)
    published_set = models.ForeignKey(
        PublishedSet, null=True, blank=True, on_delete=models.RESTRICT, related_name="+"
    )
    # When these figures were first published: "figures as of 3 December 2026".
    as_of = models.DateTimeField(null=True, blank=True)

    objects = ReleasedResultQuerySet.as_manager()

    class Meta:
        ordering = ["release_id", "peer_group_id", "dimension_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["release", "group_slug", "dimension"],
                condition=Q(dimension__isnull=False),
                name="released_one_per_dimension",
            ),
            models.UniqueConstraint(
                fields=["release", "group_slug"],
                condition=Q(dimension__isnull=True),
                name="released_one_overall",
            ),
            _suppressed_has_no_figures("released_suppressed_has_no_figures"),
            models.CheckConstraint(
                condition=Q(suppressed=True, published_set__isnull=True, as_of__isnull=True)
                | Q(suppressed=False, published_set__isnull=False, as_of__isnull=False),
                name="released_published_has_its_set",
            ),
        ]
        indexes = [
            models.Index(fields=["round", "peer_group"], name="released_round_group"),
        ]

    def __str__(self) -> str:
        subject = self.dimension.code if self.dimension is not None else "overall"
        return f"{self.release}, {self.group_name}: {subject}"


class PlannedTargetRelease(models.Model):
    """How many of a network's councils planned a target in each barrier, from the plans
    approved after one round's sign-off: a published snapshot, never changed. A new one is made
    only when the councils counted differ from the last one's by at least the minimum group
    size (planned_targets.py), so no two snapshots can be subtracted to single out a council."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="+")
    councils = models.JSONField(help_text="The ids of the councils counted, sorted.")
    counts = models.JSONField(help_text="{barrier code: councils with a target in it}")
    made_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-made_at", "-pk"]
        indexes = [models.Index(fields=["network", "round"], name="planned_network_round")]

    def __str__(self) -> str:
        return f"{self.network}, {self.round}: planned targets of {len(self.councils)} councils"
