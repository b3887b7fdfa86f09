"""Asking for a report, making it in a job, downloading it, and everything that can go wrong."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from benchmarks.models import PeerGroup, PeerGroupKind
from benchmarks.releases import release_make
from benchmarks.services import benchmarks_rebuild
from benchmarks.tests.dashboard_data import build_sector
from reports import services
from reports.models import Report, ReportChunk, ReportKind, ReportStatus


@pytest.fixture
def sector(personas, settings):
    data = build_sector(personas, settings)
    network = personas.network
    others = PeerGroup.objects.get(slug="tier-unitary").members.exclude(
        pk__in=[personas.council_a.pk, personas.council_b.pk]
    )
    network.members.add(*others)
    group = PeerGroup.objects.create(
        slug=f"network-{network.slug}",
        name=network.name,
        kind=PeerGroupKind.NETWORK,
        network=network,
    )
    group.members.set(network.members.all())
    benchmarks_rebuild(round_id=data["latest"].pk)
    release_make(round_id=data["latest"].pk)
    return data


def ask(client, django_capture_on_commit_callbacks, url, data) -> Report:
    """POST the form; the job runs when the request's transaction commits (eager Celery)."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    report = Report.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    return report


def download(client, report) -> bytes:
    response = client.get(reverse("reports:download", args=[report.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


# Asking and getting -----------------------------------------------------------------------------


def test_an_analyst_asks_for_a_csv_and_downloads_it(
    client, personas, sector, django_capture_on_commit_callbacks
):
    client.force_login(personas.analyst)
    url = reverse("reports:network", args=[personas.network.slug])

    report = ask(
        client,
        django_capture_on_commit_callbacks,
        url,
        {"round": sector["latest"].slug, "kind": ReportKind.SECTOR_CSV},
    )

    report.refresh_from_db()
    assert report.status == ReportStatus.READY, report.error
    assert report.network == personas.network and report.round == sector["latest"]
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Download the report" in page
    body = download(client, report)
    assert len(body) == report.size
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    assert rows[0][:3] == ["round", "scope", "group"]
    assert len(rows) > 1


def test_a_lead_asks_for_a_council_report(
    chromium, client, personas, sector, django_capture_on_commit_callbacks
):
    client.force_login(personas.lead_a)
    url = reverse("reports:council", args=[personas.council_a.gss_code])

    report = ask(
        client,
        django_capture_on_commit_callbacks,
        url,
        {"kind": ReportKind.COUNCIL_PDF, "group": "region-ne"},
    )

    report.refresh_from_db()
    assert report.status == ReportStatus.READY, report.error
    assert report.peer_group_slug == "region-ne"
    assert download(client, report).startswith(b"%PDF")


def test_a_big_file_is_stored_and_served_in_chunks(personas, sector, monkeypatch):
    monkeypatch.setattr(services, "CHUNK_SIZE", 1000)
    report = Report.objects.create(
        kind=ReportKind.SECTOR_CSV, network=personas.network, round=sector["latest"]
    )

    assert services.report_generate(report_id=report.pk) == ReportStatus.READY

    report.refresh_from_db()
    chunks = list(ReportChunk.objects.filter(report=report))
    assert len(chunks) == -(-report.size // 1000) > 1
    assert all(len(bytes(c.data)) == 1000 for c in chunks[:-1])


def test_a_double_click_makes_one_report(personas, sector):
    first = services.report_request(
        kind=ReportKind.SECTOR_PDF,
        by=personas.analyst,
        round=sector["latest"],
        network=personas.network,
    )
    second = services.report_request(
        kind=ReportKind.SECTOR_PDF,
        by=personas.analyst,
        round=sector["latest"],
        network=personas.network,
    )

    assert first.pk == second.pk


@pytest.mark.parametrize(
    "data",
    [
        {"round": "no-such-round", "kind": ReportKind.SECTOR_CSV},
        {"round": "", "kind": ReportKind.SECTOR_CSV},
        {"kind": "council_pdf"},
        {},
    ],
)
def test_a_tampered_form_gets_an_error_message_and_makes_nothing(client, personas, sector, data):
    client.force_login(personas.analyst)

    response = client.post(reverse("reports:network", args=[personas.network.slug]), data)

    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert not Report.objects.exists()


# Who may have what ------------------------------------------------------------------------------


def made(kind, sector, **scope) -> Report:
    return Report.objects.create(
        kind=kind,
        round=sector["latest"],
        status=ReportStatus.READY,
        size=0,
        expires_at=timezone.now() + timedelta(days=1),
        **scope,
    )


@pytest.mark.parametrize(
    "scope, allowed",
    [
        ("council", {"lead_a", "executive_a"}),
        ("network", {"analyst"}),
        ("uk", {"staff"}),
    ],
)
def test_reports_are_refused_as_404_to_everyone_without_access(
    client, personas, sector, scope, allowed
):
    if scope == "council":
        report = made(ReportKind.COUNCIL_PDF, sector, council=personas.council_a)
    elif scope == "network":
        report = made(ReportKind.SECTOR_XLSX, sector, network=personas.network)
    else:
        report = made(ReportKind.SECTOR_CSV, sector)
    everyone = ["officer_a", "lead_a", "executive_a", "officer_b", "analyst", "staff"]

    for persona in everyone:
        client.force_login(getattr(personas, persona))
        for name in ("reports:detail", "reports:download", "reports:status"):
            status = client.get(reverse(name, args=[report.pk])).status_code
            assert status == (200 if persona in allowed else 404), (persona, name)
        client.logout()
    anonymous = client.get(reverse("reports:download", args=[report.pk]))
    assert anonymous.status_code == 302


@pytest.mark.parametrize(
    "name, args, allowed",
    [
        ("reports:council", ["E06000001"], {"lead_a", "executive_a"}),
        ("reports:network", ["north-east-digital"], {"analyst"}),
        ("reports:uk", [], {"staff"}),
    ],
)
def test_report_pages_per_persona(client, personas, sector, name, args, allowed):
    for persona in ["officer_a", "lead_a", "executive_a", "officer_b", "analyst", "staff"]:
        client.force_login(getattr(personas, persona))
        status = client.get(reverse(name, args=args)).status_code
        assert status == (200 if persona in allowed else 404), persona


# Failures ---------------------------------------------------------------------------------------


def test_a_failing_report_ends_failed_with_a_reason_and_can_be_tried_again(
    chromium, client, personas, sector, settings, monkeypatch, django_capture_on_commit_callbacks
):
    # The chart renderer's browser is missing: something outside the system fails.
    settings.KALEIDO_BROWSER_PATH = "/nonexistent/chromium"
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    client.force_login(personas.executive_a)
    url = reverse("reports:council", args=[personas.council_a.gss_code])

    report = ask(
        client,
        django_capture_on_commit_callbacks,
        url,
        {"kind": ReportKind.COUNCIL_PDF, "group": "tier-unitary"},
    )

    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert report.error
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "could not be made" in page and "Try again" in page
    assert client.get(reverse("reports:download", args=[report.pk])).status_code == 404

    # The browser is back; trying again makes the same report.
    settings.KALEIDO_BROWSER_PATH = "/usr/bin/chromium"
    monkeypatch.setenv("BROWSER_PATH", "/usr/bin/chromium")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:retry", args=[report.pk]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.READY, report.error
    assert report.attempts == 2


def test_a_job_killed_half_way_is_made_again_when_redelivered(personas, sector):
    # What a worker killed mid-job leaves: the report marked running, no file.
    report = Report.objects.create(
        kind=ReportKind.SECTOR_CSV,
        network=personas.network,
        round=sector["latest"],
        status=ReportStatus.RUNNING,
        attempts=1,
    )

    assert services.report_generate(report_id=report.pk) == ReportStatus.READY

    report.refresh_from_db()
    assert report.attempts == 2 and report.size > 0
    # A second delivery of the same job changes nothing.
    chunks = list(ReportChunk.objects.filter(report=report).values_list("pk", flat=True))
    assert services.report_generate(report_id=report.pk) == ReportStatus.READY
    assert list(ReportChunk.objects.filter(report=report).values_list("pk", flat=True)) == chunks


def test_a_lost_job_is_shown_as_failed_and_can_be_retried(
    personas, sector, settings, django_capture_on_commit_callbacks
):
    old = timezone.now() - timedelta(minutes=settings.REPORT_TIMEOUT_MINUTES + 1)
    report = Report.objects.create(
        kind=ReportKind.SECTOR_CSV,
        network=personas.network,
        round=sector["latest"],
        requested_at=old,
    )

    assert services.reports_expire() == (0, 1)

    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED and report.can_retry
    with django_capture_on_commit_callbacks(execute=True):
        services.report_retry(report=report, by=personas.analyst)
    report.refresh_from_db()
    assert report.status == ReportStatus.READY  # eager Celery ran the job


def test_old_reports_expire_and_their_files_are_deleted(personas, sector):
    report = Report.objects.create(
        kind=ReportKind.SECTOR_CSV, network=personas.network, round=sector["latest"]
    )
    services.report_generate(report_id=report.pk)
    Report.objects.filter(pk=report.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert services.reports_expire() == (1, 0)

    report.refresh_from_db()
    assert report.status == ReportStatus.EXPIRED
    assert not ReportChunk.objects.filter(report=report).exists()


def test_a_ready_report_cannot_be_retried(personas, sector):
    report = made(ReportKind.SECTOR_CSV, sector, network=personas.network)

    with pytest.raises(ValueError):
        services.report_retry(report=report, by=personas.analyst)


def test_report_jobs_go_to_the_reports_queue(settings):
    from config.settings.base import _route_task

    assert _route_task("reports.tasks.generate_report") == {"queue": settings.REPORTS_QUEUE}
    assert _route_task("reports.tasks.expire_reports") is None


def test_the_page_of_a_lost_job_offers_a_retry_without_waiting_for_the_hourly_job(
    client, personas, sector, settings
):
    old = timezone.now() - timedelta(minutes=settings.REPORT_TIMEOUT_MINUTES + 1)
    report = Report.objects.create(
        kind=ReportKind.SECTOR_CSV,
        network=personas.network,
        round=sector["latest"],
        status=ReportStatus.RUNNING,
        requested_at=old,
    )
    client.force_login(personas.analyst)

    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()

    assert "took too long" in page and "Try again" in page
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED


def test_a_report_within_its_time_is_still_shown_as_being_made(client, personas, sector):
    report = Report.objects.create(
        kind=ReportKind.SECTOR_CSV,
        network=personas.network,
        round=sector["latest"],
        status=ReportStatus.RUNNING,
    )
    client.force_login(personas.analyst)

    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()

    assert "being made" in page and "report-status.js" in page
    assert client.get(reverse("reports:status", args=[report.pk])).json() == {"status": "running"}


def test_report_pages_make_a_bounded_number_of_queries(
    client, personas, sector, django_assert_max_num_queries
):
    for _ in range(30):
        made(ReportKind.COUNCIL_PDF, sector, council=personas.council_a)
        made(ReportKind.SECTOR_CSV, sector, network=personas.network)
    # The council's page also reads the dashboard's choice of group, and which groups have
    # figures to show (benchmarks.dashboard, a fixed number of queries).
    pages = [
        (personas.lead_a, reverse("reports:council", args=[personas.council_a.gss_code]), 18),
        (personas.analyst, reverse("reports:network", args=[personas.network.slug]), 12),
        (
            personas.analyst,
            reverse("reports:detail", args=[Report.objects.for_network(personas.network)[0].pk]),
            12,
        ),
    ]
    for user, url, bound in pages:
        client.force_login(user)
        with django_assert_max_num_queries(bound):
            assert client.get(url).status_code == 200


def test_the_report_form_starts_on_the_dashboards_group_and_marks_groups_without_figures(
    client, personas, sector
):
    client.force_login(personas.lead_a)
    url = reverse("reports:council", args=[personas.council_a.gss_code])
    page = client.get(url).content.decode()
    # The dashboard opens on the closest group with figures: so does the form.
    assert re.search(r'<option value="neighbours-a"\s+selected', page)
    assert "rurality-urban (no figures yet)" in page
    page = client.get(url + "?group=region-ne").content.decode()
    assert re.search(r'<option value="region-ne"\s+selected', page)
    # A group the council cannot see is ignored.
    page = client.get(url + "?group=neighbours-b").content.decode()
    assert re.search(r'<option value="neighbours-a"\s+selected', page)


def test_the_reports_list_says_which_group_each_report_used(client, personas, sector):
    report = made(ReportKind.COUNCIL_PDF, sector, council=personas.council_a)
    Report.objects.filter(pk=report.pk).update(peer_group_slug="region-ne")
    client.force_login(personas.lead_a)
    page = client.get(reverse("reports:council", args=[personas.council_a.gss_code]))
    assert "Compared with" in page.content.decode() and "region-ne" in page.content.decode()
