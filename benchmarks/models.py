"""Peer groups of councils, and the benchmark statistics computed for them.

PeerGroup rows are built from the council register by `build_peer_groups`
(services.peer_groups_build). BenchmarkResult rows are derived data: every row for a round can be
thrown away and rebuilt from the frozen DimensionScore rows (services.benchmarks_rebuild).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from assessments.models import AssessmentRound, Dimension
from councils.models import Council, Network

from .figures import FIGURES


class PeerGroupKind(models.TextChoices):
    ALL = "all", "All UK councils"
    NATION = "nation", "Nation"
    COUNCIL_TYPE = "council_type", "Council type"
    TIER = "tier", "Tier"
    REGION = "region", "English region"
    POPULATION_BAND = "population_band", "Population band within tier"
    DEPRIVATION = "deprivation", "Deprivation quintile within nation"
    RURALITY = "rurality", "Rurality"
    NEAREST_NEIGHBOURS = "nearest_neighbours", "Nearest neighbours"
    NETWORK = "network", "Network"


class PeerGroup(models.Model):
    """A named set of councils that are compared with each other."""

    slug = models.SlugField(max_length=140, unique=True)
    name = models.CharField(max_length=160)
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


class SuppressionReason(models.TextChoices):
    TOO_SMALL = "too_small", "Fewer councils than the minimum"
    OVERLAP = "overlap", "Too close to another published group"


def _figure() -> models.DecimalField:
    return models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)


class BenchmarkResultQuerySet(models.QuerySet["BenchmarkResult"]):
    def published(self) -> BenchmarkResultQuerySet:
        return self.filter(suppressed=False)

    def containing(self, council_id: int) -> BenchmarkResultQuerySet:
        """Results of the groups the council is a member of."""
        return self.filter(peer_group__members=council_id)


class BenchmarkResult(models.Model):
    """The distribution of one dimension's scores (or the overall score) in one peer group.

    `councils` is the real number of signed-off councils in the group with a score, even when
    the result is suppressed; no page or file shows a suppressed one (figures.GroupFigures
    drops it: they say "fewer than N councils" or nothing about the count).
    """

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
            models.CheckConstraint(
                condition=Q(suppressed=False)
                | Q(
                    level_counts__isnull=True,
                    distribution__isnull=True,
                    **{f"{name}__isnull": True for name in FIGURES},
                ),
                name="benchmark_suppressed_has_no_figures",
            ),
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
