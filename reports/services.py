"""Writes for reports: ask for one, make it (in a Celery job), retry it, expire old ones.

Making a report is safe to repeat: a job that finds its report already made does nothing, and
one killed half-way left nothing behind (the file is written in the same transaction that
marks the report ready), so the redelivered job simply makes it again.
"""

from __future__ import annotations

import io
import logging
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessments.models import AssessmentRound
from core.queue import enqueue_after_commit
from councils.models import Council, Network

from . import open_data
from .errors import ReportError
from .models import (
    COUNCIL_KINDS,
    SECTOR_KINDS,
    OpenDataEdition,
    Report,
    ReportChunk,
    ReportKind,
    ReportStatus,
)

logger = logging.getLogger(__name__)

CHUNK_SIZE = 256 * 1024
GENERIC_FAILURE = _(
    "Something went wrong while making this report. Try again. If it fails again, tell the "
    "service team, quoting the report number."
)
OVERDUE_FAILURE = _("This report took too long to make and was stopped. Try again.")


def report_language(language: str | None = None) -> str:
    """One of settings.LANGUAGES: `language` (by default the active one, which a request's
    LocaleMiddleware set from the person's choice), else the default."""
    wanted = (language or translation.get_language() or "").lower()
    codes = [code for code, _name in settings.LANGUAGES]
    if wanted in codes:
        return wanted
    base = wanted.split("-")[0]
    return next((code for code in codes if code.split("-")[0] == base), settings.LANGUAGE_CODE)


def report_request(
    *,
    kind: str,
    by: Any,
    round: AssessmentRound,
    council: Council | None = None,
    network: Network | None = None,
    peer_group_slug: str = "",
    language: str | None = None,
) -> Report:
    """Ask for a report; the job that makes it is queued once this commits.

    The report is written in `language`, by default the active language (the request's): the
    job has no request, so it is stored with the report. The caller has checked the person may
    have it. A second identical request (in the same language) while the first is still waiting
    or being made returns the first (a double click makes one report).
    """
    if kind in COUNCIL_KINDS:
        if council is None or network is not None:
            raise ValueError("A council report needs a council and no network.")
    elif kind in SECTOR_KINDS:
        if council is not None:
            raise ValueError("A sector report is for a network or all UK councils.")
        peer_group_slug = ""
    else:
        raise ValueError(f"Unknown report kind {kind!r}.")
    # What makes two requests the same report.
    same: dict[str, Any] = {
        "kind": kind,
        "council": council,
        "network": network,
        "round": round,
        "peer_group_slug": peer_group_slug,
        "language": report_language(language),
    }
    with transaction.atomic():
        pending = Report.objects.filter(
            **same, status__in=[ReportStatus.QUEUED, ReportStatus.RUNNING]
        ).first()
        if pending is not None:
            return pending
        report = Report.objects.create(**same, requested_by=by)
        _enqueue(report)
    return report


def report_retry(*, report: Report, by: Any) -> Report:
    """Queue a failed or expired report again, as the same report (its number stays)."""
    with transaction.atomic():
        updated = Report.objects.filter(
            pk=report.pk, status__in=[ReportStatus.FAILED, ReportStatus.EXPIRED]
        ).update(
            status=ReportStatus.QUEUED,
            error="",
            requested_at=timezone.now(),
            requested_by=by,
            started_at=None,
            finished_at=None,
            expires_at=None,
        )
        if not updated:
            raise ValueError("Only a failed or expired report can be tried again.")
        _enqueue(report)
    report.refresh_from_db()
    return report


def _enqueue(report: Report) -> None:
    from .tasks import generate_report

    enqueue_after_commit(generate_report, report.pk)


def report_generate(*, report_id: int) -> str:
    """Make the report's file and mark it ready, or mark it failed with a reason.

    Returns the report's status afterwards. A report already ready (a redelivered job, or a
    second job for it) is left alone.
    """
    with transaction.atomic():
        report = Report.objects.select_for_update().filter(pk=report_id).first()
        if report is None or report.status == ReportStatus.READY:
            return report.status if report else "missing"
        report.status = ReportStatus.RUNNING
        report.attempts += 1
        report.started_at = timezone.now()
        report.error = ""
        report.save(update_fields=["status", "attempts", "started_at", "error"])
    try:
        with transaction.atomic():
            # Locked again: two jobs for one report make it one after the other, and the
            # second finds it ready.
            report = (
                Report.objects.select_for_update(of=("self",))
                .select_related("council", "network", "round")
                .get(pk=report_id)
            )
            if report.status == ReportStatus.READY:
                return report.status
            ReportChunk.objects.filter(report=report).delete()
            writer = _ChunkWriter(report)
            # The job has no request: the report is written in the language it was asked in.
            with report.in_its_language():
                _build(report, writer)
            writer.close()
            now = timezone.now()
            report.status = ReportStatus.READY
            report.size = writer.size
            report.finished_at = now
            report.expires_at = now + timedelta(days=settings.REPORT_EXPIRY_DAYS)
            report.save(update_fields=["status", "size", "finished_at", "expires_at"])
            return report.status
    except Exception as error:  # noqa: BLE001 - any failure must end in a visible state
        if isinstance(error, ReportError):
            # Worded (in the report's language) when it was raised.
            message = str(error)
            logger.warning("Report %s failed: %s", report_id, message)
        else:
            with _language_of(report_id):
                message = str(GENERIC_FAILURE)
            logger.exception("Report %s failed", report_id)
        Report.objects.filter(pk=report_id).update(
            status=ReportStatus.FAILED, error=message, finished_at=timezone.now()
        )
        return ReportStatus.FAILED


def reports_expire() -> tuple[int, int]:
    """Delete the files of reports past their expiry date, and fail reports whose job was
    lost (queued or running for longer than REPORT_TIMEOUT_MINUTES). Returns (expired,
    failed)."""
    now = timezone.now()
    with transaction.atomic():
        old = Report.objects.filter(status=ReportStatus.READY, expires_at__lt=now)
        ReportChunk.objects.filter(report__in=old).delete()
        expired = old.update(status=ReportStatus.EXPIRED, size=0)
        failed = 0
        # The reason is stored in each report's own language.
        overdue = Report.objects.overdue()
        for language in set(overdue.values_list("language", flat=True)):
            with translation.override(language or settings.LANGUAGE_CODE):
                failed += overdue.filter(language=language).update(
                    status=ReportStatus.FAILED, error=str(OVERDUE_FAILURE), finished_at=now
                )
    return expired, failed


def _language_of(report_id: int) -> translation.override:
    language = Report.objects.filter(pk=report_id).values_list("language", flat=True).first()
    return translation.override(language or settings.LANGUAGE_CODE)


def report_fail_if_overdue(*, report: Report) -> Report:
    """Fail this report now if its job was lost (see reports_expire), so its page offers a
    retry at once instead of waiting for the hourly job."""
    now = timezone.now()
    with report.in_its_language():
        reason = str(OVERDUE_FAILURE)
    if (
        Report.objects.overdue()
        .filter(pk=report.pk)
        .update(status=ReportStatus.FAILED, error=reason, finished_at=now)
    ):
        report.refresh_from_db()
    return report


class _ChunkWriter(io.RawIOBase):
    """A binary file that stores what is written as ReportChunk rows of CHUNK_SIZE bytes, so
    a big file is never held in memory whole."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.buffer = bytearray()
        self.number = 0
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        view = bytes(data)
        self.buffer.extend(view)
        self.size += len(view)
        while len(self.buffer) >= CHUNK_SIZE:
            self._flush_chunk(bytes(self.buffer[:CHUNK_SIZE]))
            del self.buffer[:CHUNK_SIZE]
        return len(view)

    def _flush_chunk(self, data: bytes) -> None:
        ReportChunk.objects.create(report=self.report, number=self.number, data=data)
        self.number += 1

    def close(self) -> None:
        if not self.closed and self.buffer:
            self._flush_chunk(bytes(self.buffer))
            self.buffer.clear()
        super().close()


def _build(report: Report, out: io.RawIOBase) -> None:
    """Write the report's file to `out`. Builders raise ReportError for what the person who
    asked should be told."""
    kind = ReportKind(report.kind)
    if kind in COUNCIL_KINDS:
        from . import council_report

        assert report.council_id is not None
        build = (
            council_report.build_council_pdf
            if kind == ReportKind.COUNCIL_PDF
            else council_report.build_member_briefing_pdf
        )
        out.write(build(council_id=report.council_id, group_slug=report.peer_group_slug or None))
        return

    from .sector.csv_file import write_sector_csv
    from .sector.data import sector_data
    from .sector.pdf_file import build_sector_pdf
    from .sector.xlsx_file import write_sector_xlsx

    data = sector_data(round_id=report.round_id, network_id=report.network_id)
    if kind == ReportKind.SECTOR_PDF:
        out.write(build_sector_pdf(data))
    elif kind == ReportKind.SECTOR_CSV:
        buffered = io.BufferedWriter(out, CHUNK_SIZE)
        text = io.TextIOWrapper(buffered, encoding="utf-8", newline="")
        write_sector_csv(data, text)
        text.flush()
        text.detach()
        buffered.flush()
        buffered.detach()
    else:
        with tempfile.TemporaryDirectory(prefix="portal-report-") as folder:
            path = Path(folder) / "report.xlsx"
            write_sector_xlsx(data, path)
            with path.open("rb") as made:
                while block := made.read(CHUNK_SIZE):
                    out.write(block)


def open_data_publish(
    *, round_id: int, by: Any, release_id: int, correction: str = ""
) -> OpenDataEdition:
    """Publish the next edition of a closed round's open data: its files are made from the
    round's current release and stored, with their SHA-256, exactly as published.

    `release_id` is the release the confirmation page showed: FiguresMoved if a newer one was
    made since, so what is published is always what staff were shown. CannotPublish for a round
    still open or without a release, or when the figures are the same as the latest edition's
    (a correction must correct something).
    """
    with transaction.atomic():
        # The round's lock, as release_make takes it: no release is made while publishing.
        round_ = AssessmentRound.objects.select_for_update().get(pk=round_id)
        published_at = timezone.now()
        plan = open_data.edition_plan(
            round_, published_at=published_at, correction=correction.strip()
        )
        if plan.release.pk != release_id:
            raise open_data.FiguresMoved
        if plan.nothing_new:
            raise open_data.CannotPublish(
                gettext("The figures are the same as the latest edition's.")
            )
        if plan.previous is not None and not correction.strip():
            raise open_data.CannotPublish(gettext("Say what the corrected edition corrects."))
        return OpenDataEdition.objects.create(
            round=round_,
            number=plan.number,
            published_at=published_at,
            published_by=by,
            release=plan.release,
            correction=correction.strip(),
            csv_file=plan.files.csv,
            json_file=plan.files.json,
            csv_sha256=plan.files.csv_sha256,
            json_sha256=plan.files.json_sha256,
            csv_size=len(plan.files.csv),
            json_size=len(plan.files.json),
        )
