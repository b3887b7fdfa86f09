"""Generated reports: who asked for what, how far it got, and the file itself.

A report's file is kept in the database in chunks rather than on a disk, so that any web
machine can serve what any worker machine made with nothing shared but PostgreSQL, and so that
it is never under a public static or media path. Chunks are read one at a time when it is
downloaded, so memory stays flat whatever the size.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessments.models import AssessmentRound
from benchmarks.models import Release
from councils.models import Council, Network


class ReportKind(models.TextChoices):
    COUNCIL_PDF = "council_pdf", _("Council report (PDF)")
    MEMBER_BRIEFING = "member_briefing", _("Briefing for elected members (PDF)")
    SECTOR_PDF = "sector_pdf", _("Sector report (PDF)")
    SECTOR_XLSX = "sector_xlsx", _("Sector report (Excel spreadsheet)")
    SECTOR_CSV = "sector_csv", _("Sector data (CSV)")


COUNCIL_KINDS = (ReportKind.COUNCIL_PDF, ReportKind.MEMBER_BRIEFING)
SECTOR_KINDS = (ReportKind.SECTOR_PDF, ReportKind.SECTOR_XLSX, ReportKind.SECTOR_CSV)

CONTENT_TYPES = {
    ReportKind.COUNCIL_PDF: "application/pdf",
    ReportKind.MEMBER_BRIEFING: "application/pdf",
    ReportKind.SECTOR_PDF: "application/pdf",
    ReportKind.SECTOR_XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ReportKind.SECTOR_CSV: "text/csv; charset=utf-8",
}
EXTENSIONS = {
    ReportKind.COUNCIL_PDF: "pdf",
    ReportKind.MEMBER_BRIEFING: "pdf",
    ReportKind.SECTOR_PDF: "pdf",
    ReportKind.SECTOR_XLSX: "xlsx",
    ReportKind.SECTOR_CSV: "csv",
}


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Being made")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


class ReportQuerySet(models.QuerySet["Report"]):
    def for_council(self, council: Council) -> ReportQuerySet:
        return self.filter(council=council, kind__in=COUNCIL_KINDS)

    def for_network(self, network: Network | None) -> ReportQuerySet:
        """Sector reports of a network, or of all UK councils for None."""
        scope = Q(network=network) if network is not None else Q(network__isnull=True)
        return self.filter(scope, kind__in=SECTOR_KINDS)

    def overdue(self) -> ReportQuerySet:
        """Queued or running for longer than REPORT_TIMEOUT_MINUTES: the job was lost."""
        limit = timezone.now() - timedelta(minutes=settings.REPORT_TIMEOUT_MINUTES)
        return self.filter(
            status__in=[ReportStatus.QUEUED, ReportStatus.RUNNING], requested_at__lt=limit
        )


class Report(models.Model):
    kind = models.CharField(max_length=20, choices=ReportKind.choices)
    # A council report has a council; a sector report has a network, or none for all UK.
    council = models.ForeignKey(
        Council, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    network = models.ForeignKey(
        Network, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="reports")
    # The peer group a council report compares with (blank: the dashboard's default).
    peer_group_slug = models.SlugField(max_length=140, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    # What went wrong, in words the person who asked can act on.
    error = models.TextField(blank=True)
    size = models.PositiveIntegerField(default=0)
    # The language the report is written in: the requester's, when they asked (settings.LANGUAGES;
    # blank for reports asked for before there was a choice, which are in English). A report in
    # Welsh is a different report from the same one in English.
    language = models.CharField(max_length=10, blank=True, default="")

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind__in=COUNCIL_KINDS, council__isnull=False, network__isnull=True)
                    | Q(kind__in=SECTOR_KINDS, council__isnull=True)
                ),
                name="report_scope_matches_kind",
            ),
        ]
        indexes = [models.Index(fields=["status", "requested_at"], name="report_status_time")]

    def __str__(self) -> str:
        return gettext("%(kind)s for %(scope)s, %(round)s") % {
            "kind": self.get_kind_display(),
            "scope": self.scope_name,
            "round": self.round,
        }

    @property
    def scope_name(self) -> str:
        if self.council is not None:
            return self.council.name
        if self.network is not None:
            return self.network.name
        return gettext("All UK councils")

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[ReportKind(self.kind)]

    @property
    def filename(self) -> str:
        if self.council is not None:
            scope = self.council.gss_code
        elif self.network is not None:
            scope = self.network.slug
        else:
            scope = "all-uk"
        extension = EXTENSIONS[ReportKind(self.kind)]
        # A report in another language than the default has it in its name: both may be kept.
        language = "" if self.language in ("", settings.LANGUAGE_CODE) else f"-{self.language}"
        return f"{self.kind.replace('_', '-')}-{scope}-{self.round.slug}{language}.{extension}"

    @property
    def written_in(self) -> str:
        """The language to write the report in (settings.LANGUAGES)."""
        return self.language or settings.LANGUAGE_CODE

    def in_its_language(self) -> translation.override:
        """`with report.in_its_language():` writes what follows in the report's language."""
        return translation.override(self.written_in)

    @property
    def is_pending(self) -> bool:
        return self.status in (ReportStatus.QUEUED, ReportStatus.RUNNING)

    @property
    def can_retry(self) -> bool:
        return self.status in (ReportStatus.FAILED, ReportStatus.EXPIRED)


class ReportChunk(models.Model):
    """One piece of a report's file, in order."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="chunks")
    number = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        ordering = ["report_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="one_chunk_per_number")
        ]

    def __str__(self) -> str:
        return gettext("Report %(number)s, part %(part)s") % {
            "number": self.report_id,
            "part": self.number,
        }


def edition_file_name(round_slug: str, number: int, extension: str) -> str:
    return f"digital-maturity-{round_slug}-edition-{number}.{extension}"


class OpenDataEditionQuerySet(models.QuerySet["OpenDataEdition"]):
    def without_files(self) -> OpenDataEditionQuerySet:
        """For lists: the files are read only when one is downloaded."""
        return self.defer("csv_file", "json_file")

    def latest_of(self, round_id: int) -> OpenDataEdition | None:
        return self.filter(round_id=round_id).order_by("-number").first()


class OpenDataEdition(models.Model):
    """One published version of a closed round's open data. Its CSV and JSON files are made
    once, when staff publish it, and stored exactly as published, with their SHA-256: they
    never change. A correction is a new edition (number 2, 3, ...) from a later release, which
    the release rule already checks against every figure published before it."""

    round = models.ForeignKey(
        AssessmentRound, on_delete=models.CASCADE, related_name="open_data_editions"
    )
    number = models.PositiveIntegerField()
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Where the figures came from; the files themselves do not depend on it staying.
    release = models.ForeignKey(Release, on_delete=models.RESTRICT, related_name="+")
    # What a corrected edition corrects, in the staff's words (empty for the first).
    correction = models.TextField(blank=True)
    csv_file = models.BinaryField()
    json_file = models.BinaryField()
    csv_sha256 = models.CharField(max_length=64)
    json_sha256 = models.CharField(max_length=64)
    csv_size = models.PositiveIntegerField()
    json_size = models.PositiveIntegerField()

    objects = OpenDataEditionQuerySet.as_manager()

    class Meta:
        ordering = ["round_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="open_data_edition_unique")
        ]

    def __str__(self) -> str:
        return gettext("Open data: %(round)s, edition %(number)s") % {
            "round": self.round,
            "number": self.number,
        }

    def file_name(self, extension: str) -> str:
        return edition_file_name(self.round.slug, self.number, extension)
