"""Reports made by a real Celery worker through Redis: asked for on a page, made, downloaded;
and a worker killed while making one leaves it to be made by the next."""

import signal
import time

import pytest
from django.db import connection
from django.urls import reverse

from benchmarks.models import PeerGroup, PeerGroupKind
from benchmarks.releases import release_make
from benchmarks.services import benchmarks_rebuild
from benchmarks.tests.dashboard_data import build_sector
from reports.models import Report, ReportKind, ReportStatus
from tests.support import lock_held_elsewhere, require, wait_for

pytestmark = [pytest.mark.worker]


def _network_sector(personas, settings):
    data = build_sector(personas, settings)
    network = personas.network
    network.members.add(*PeerGroup.objects.get(slug="tier-unitary").members.all())
    group = PeerGroup.objects.create(
        slug="network-ne", name=network.name, kind=PeerGroupKind.NETWORK, network=network
    )
    group.members.set(network.members.all())
    benchmarks_rebuild(round_id=data["latest"].pk)
    release_make(round_id=data["latest"].pk)
    return data


@pytest.mark.usefixtures("transactional_db")
def test_a_report_asked_for_on_the_page_is_made_by_the_worker(
    start_worker, client, personas, settings
):
    worker = start_worker()
    data = _network_sector(personas, settings)
    client.force_login(personas.analyst)

    response = client.post(
        reverse("reports:network", args=[personas.network.slug]),
        {"round": data["latest"].slug, "kind": ReportKind.SECTOR_XLSX},
    )

    report = Report.objects.get()
    assert response["Location"] == reverse("reports:detail", args=[report.pk])
    wait_for(
        lambda: Report.objects.filter(pk=report.pk, status=ReportStatus.READY).exists(),
        what=f"the worker to make the report\n{worker.output()}",
    )
    download = client.get(reverse("reports:download", args=[report.pk]))
    body = b"".join(download.streaming_content)
    assert body[:2] == b"PK"  # an XLSX is a zip file
    assert len(body) == Report.objects.get(pk=report.pk).size


@pytest.mark.usefixtures("transactional_db")
def test_a_worker_killed_while_making_a_report_leaves_it_to_the_next(
    start_worker, personas, settings
):
    # A table lock held here stops the worker inside the job, after it has marked the report
    # as being made and before it can write the file; SQLite has no such locks.
    require(
        connection.vendor == "postgresql",
        "needs PostgreSQL table locks (DATABASE_URL=postgres://...)",
    )
    data = _network_sector(personas, settings)
    report = Report.objects.create(
        kind=ReportKind.SECTOR_CSV, network=personas.network, round=data["latest"]
    )
    from reports.tasks import generate_report

    first = start_worker(CELERY_VISIBILITY_TIMEOUT="3")
    with lock_held_elsewhere("LOCK TABLE reports_reportchunk IN ACCESS EXCLUSIVE MODE"):
        generate_report.delay(report.pk)
        wait_for(
            lambda: Report.objects.filter(pk=report.pk, status=ReportStatus.RUNNING).exists(),
            what="the first worker to start making the report",
        )
        time.sleep(1)  # it is now waiting for the lock, inside the job
        first.process.send_signal(signal.SIGKILL)
        first.process.wait(timeout=10)
    report.refresh_from_db()
    assert report.status == ReportStatus.RUNNING and report.size == 0

    # The job was never acknowledged, so Redis hands it to the next worker.
    second = start_worker(CELERY_VISIBILITY_TIMEOUT="3")
    wait_for(
        lambda: Report.objects.filter(pk=report.pk, status=ReportStatus.READY).exists(),
        what=f"the second worker to make the report\n{second.output()}",
    )
    report.refresh_from_db()
    assert report.attempts == 2 and report.size > 0


def test_report_jobs_are_acknowledged_only_when_done():
    from reports import tasks

    for task in (tasks.generate_report, tasks.expire_reports):
        assert task.acks_late and task.reject_on_worker_lost, task.name
