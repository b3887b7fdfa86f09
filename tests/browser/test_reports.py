"""Reports in a browser: a lead makes the members' briefing and downloads it; the analyst's,
staff's and the public open data pages pass axe."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from assessments.services import round_close
from benchmarks.tests.dashboard_data import build_sector
from tests.browser.support import assert_accessible, signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_a_lead_makes_and_downloads_the_members_briefing(page, live_server, personas, settings):
    build_sector(personas, settings)

    signed_in_page(page, live_server, personas.lead_a)
    page.get_by_role("link", name="Benchmarks", exact=True).click()
    page.get_by_role("link", name="Download a report for your leadership team").click()
    expect(page.locator("h1")).to_contain_text("Reports for your leadership team")
    assert_accessible(page)

    page.get_by_label("Briefing for elected members", exact=False).check()
    page.get_by_label("Compare with").select_option("region-ne")
    page.get_by_role("button", name="Make the report").click()

    # Jobs run at once in tests, so the report is ready when the page opens.
    expect(page.locator(".govuk-panel__title")).to_have_text("Your report is ready")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report").click()
    assert download.value.suggested_filename.endswith(".pdf")
    page.get_by_role("link", name="Back to reports").click()
    expect(page.locator("table")).to_contain_text("Briefing for elected members")
    assert_accessible(page)


def test_sector_report_and_open_data_pages_are_accessible(page, live_server, personas, settings):
    sector = build_sector(personas, settings)
    # Only a closed round can be published: the latest, listed first, is closed.
    round_close(round=sector["latest"], by=personas.staff)

    signed_in_page(page, live_server, personas.analyst)
    page.goto(live_server.url + reverse("reports:network", args=[personas.network.slug]))
    expect(page.locator("h1")).to_have_text("Sector reports")
    assert_accessible(page)
    page.get_by_role("button", name="Make the report").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select a format")
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    signed_in_page(page, live_server, personas.staff)
    page.goto(live_server.url + reverse("reports:open-data-manage"))
    assert_accessible(page)
    page.get_by_role("link", name=f"Publish {sector['latest'].name}").click()
    expect(page.locator("h2").first).to_have_text("What will become public")
    assert_accessible(page)
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("edition 1")
    page.get_by_role("button", name="Sign out").click()

    page.goto(live_server.url + reverse("open-data:index"))
    expect(page.locator("h3").first).to_have_text("Edition 1")
    assert_accessible(page)
    # A SHA-256 is one long word: on a 320 CSS px screen it wraps instead of widening the page.
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_a_report_page_shows_the_download_by_itself_once_the_report_is_made(
    page, live_server, personas, settings
):
    from datetime import timedelta

    from django.utils import timezone

    from reports.models import Report, ReportKind, ReportStatus

    sector = build_sector(personas, settings)
    report = Report.objects.create(
        kind=ReportKind.SECTOR_CSV,
        network=personas.network,
        round=sector["latest"],
        status=ReportStatus.RUNNING,
    )
    signed_in_page(page, live_server, personas.analyst)
    page.goto(live_server.url + reverse("reports:detail", args=[report.pk]))
    expect(page.locator("#report-status")).to_contain_text("being made")
    assert_accessible(page)

    # The worker finishes while the page is open: its script notices and reloads it.
    Report.objects.filter(pk=report.pk).update(
        status=ReportStatus.READY, size=0, expires_at=timezone.now() + timedelta(days=7)
    )

    expect(page.locator(".govuk-panel__title")).to_have_text("Your report is ready", timeout=15000)
