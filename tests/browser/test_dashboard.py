"""A chief executive reads the council dashboard in a browser, switches peer group, and the
charts and tables follow; under the real Content-Security-Policy the charts still draw."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from benchmarks.models import PeerGroup, ReleasedResult
from benchmarks.releases import release_make
from benchmarks.services import benchmarks_rebuild
from benchmarks.tests.dashboard_data import build_sector
from tests.browser.support import (
    assert_accessible,
    drawn_chart,
    fill_sign_in_form,
    sign_in_url,
    signed_in_page,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

CHARTS = ("chart-radar", "chart-distributions", "chart-trend")


def median_cell(page: Page, dimension_name: str) -> str:
    row = page.locator("table", has_text="Scores by barrier").locator("tr", has_text=dimension_name)
    return row.locator("td").nth(1).inner_text()


def test_the_chief_executive_compares_with_two_groups(page, live_server, personas, settings):
    sector = build_sector(personas, settings)
    first = sector["dimensions"][0]

    signed_in_page(page, live_server, personas.executive_a)
    page.get_by_role("link", name="Benchmarks", exact=True).click()
    expect(page.locator("h1")).to_have_text("How your council compares")
    # Nearest neighbours first; all three charts drawn.
    expect(page.get_by_label("Hartlepool and its nearest neighbours", exact=False)).to_be_checked()
    for chart_id in CHARTS:
        expect(drawn_chart(page, chart_id)).to_be_visible()
    neighbours = PeerGroup.objects.get(slug="neighbours-a")
    # Peer figures come from the round's current release.
    median = (
        ReleasedResult.objects.current()
        .get(round=sector["latest"], peer_group=neighbours, dimension=first)
        .median
    )
    assert median_cell(page, first.name) == f"{median:.2f}"
    assert_accessible(page)

    page.get_by_label("region-ne", exact=False).check()
    page.get_by_role("button", name="Show comparison").click()

    expect(page).to_have_url(
        live_server.url
        + reverse("benchmarks:council", args=[personas.council_a.gss_code])
        + f"?round={sector['latest'].slug}&group=region-ne&submit=Show+comparison"
    )
    expect(page.locator("table", has_text="Scores by barrier").locator("caption")).to_contain_text(
        "region-ne"
    )
    region_median = (
        ReleasedResult.objects.current()
        .get(round=sector["latest"], peer_group__slug="region-ne", dimension=first)
        .median
    )
    assert median_cell(page, first.name) == f"{region_median:.2f}"
    for chart_id in CHARTS:
        expect(drawn_chart(page, chart_id)).to_be_visible()
    radar_legend = page.locator('[data-app-chart="chart-radar"] .legend')
    expect(radar_legend).to_contain_text("Median of region-ne")
    assert_accessible(page)

    # A group too small to show: words, no group figures drawn, still accessible.
    page.get_by_label("rurality-urban", exact=False).check()
    page.get_by_role("button", name="Show comparison").click()
    expect(page.locator(".govuk-warning-text")).to_contain_text("fewer than 3 councils")
    expect(page.locator('[data-app-chart="chart-distributions"]')).to_have_count(0)
    assert_accessible(page)


def test_the_dashboard_reads_fully_without_javascript(browser, live_server, personas, settings):
    build_sector(personas, settings)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        signed_in_page(page, live_server, personas.executive_a)
        page.goto(live_server.url + reverse("benchmarks:council", args=["E06000001"]))
        expect(page.locator("table", has_text="Scores by barrier")).to_be_visible()
        expect(page.get_by_text("higher than", exact=False)).to_be_visible()
        # Charts are hidden, their summaries are not.
        expect(page.locator('[data-app-chart="chart-radar"]')).to_be_hidden()
        expect(page.locator("#chart-radar-summary")).to_be_visible()
        page.get_by_label("region-ne", exact=False).check()
        page.get_by_role("button", name="Show comparison").click()
        expect(page.locator("table", has_text="Scores by barrier")).to_contain_text("region-ne")
    finally:
        context.close()


def test_charts_draw_under_the_real_content_security_policy(
    browser, live_server, personas, settings
):
    build_sector(personas, settings)
    context = browser.new_context(bypass_csp=False)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    try:
        page.goto(sign_in_url(live_server))
        fill_sign_in_form(page, personas.executive_a.email, personas.password)
        page.wait_for_url(live_server.url + reverse("portal:home"))
        response = page.goto(live_server.url + reverse("benchmarks:council", args=["E06000001"]))
        assert response is not None
        assert "script-src 'self'" in response.headers["content-security-policy"]
        for chart_id in CHARTS:
            expect(drawn_chart(page, chart_id)).to_be_visible()
        assert problems == []
    finally:
        context.close()


def test_the_analyst_reads_the_network_dashboard_and_the_lead_sets_sharing(
    page, live_server, personas, settings
):
    sector = build_sector(personas, settings)
    network = personas.network
    others = list(
        PeerGroup.objects.get(slug="tier-unitary").members.exclude(
            pk__in=[personas.council_a.pk, personas.council_b.pk]
        )
    )
    network.members.add(*others)
    group = PeerGroup.objects.create(
        slug=f"network-{network.slug}", name=network.name, kind="network", network=network
    )
    group.members.set(network.members.all())
    benchmarks_rebuild(round_id=sector["latest"].pk)
    release_make(round_id=sector["latest"].pk)

    # The lead shares Hartlepool's results with the network by name.
    signed_in_page(page, live_server, personas.lead_a)
    page.goto(live_server.url + reverse("councils:sharing", args=["E06000001"]))
    assert_accessible(page)
    page.get_by_label("by name", exact=False).first.check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("saved")
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    signed_in_page(page, live_server, personas.analyst)
    page.goto(live_server.url + reverse("benchmarks:network", args=[network.slug]))
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Hartlepool")
    expect(page.locator("main")).not_to_contain_text("Middlesbrough")
    charts = page.locator("[data-app-chart]")
    for index in range(charts.count()):
        chart_id = charts.nth(index).get_attribute("data-app-chart")
        expect(drawn_chart(page, chart_id)).to_be_visible()
    assert_accessible(page)


def test_a_chart_can_be_taken_away_as_png_svg_and_csv(page, live_server, personas, settings):
    build_sector(personas, settings)
    signed_in_page(page, live_server, personas.executive_a)
    page.goto(live_server.url + reverse("benchmarks:council", args=["E06000001"]))
    expect(drawn_chart(page, "chart-radar")).to_be_visible()
    offer = page.locator('[data-app-chart-downloads="chart-radar"]')
    expect(offer).to_be_visible()
    assert_accessible(page)
    for button, suffix in (("PNG", ".png"), ("SVG", ".svg")):
        with page.expect_download() as download:
            offer.get_by_role("button", name=button).click()
        assert download.value.suggested_filename == "chart-radar" + suffix
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the data (CSV) for this chart").first.click()
    assert download.value.suggested_filename.endswith("-radar.csv")


def test_the_dashboard_prints_without_navigation_forms_or_buttons(
    page, live_server, personas, settings
):
    build_sector(personas, settings)
    signed_in_page(page, live_server, personas.executive_a)
    page.goto(live_server.url + reverse("benchmarks:council", args=["E06000001"]))
    expect(drawn_chart(page, "chart-radar")).to_be_visible()
    page.emulate_media(media="print")
    for hidden in (
        ".govuk-service-navigation",
        ".govuk-footer",
        "main form",
        ".govuk-phase-banner",
    ):
        expect(page.locator(hidden).first).to_be_hidden()
    expect(page.get_by_role("button", name="Show comparison")).to_be_hidden()
    expect(page.locator("table", has_text="Scores by barrier")).to_be_visible()
    expect(drawn_chart(page, "chart-radar")).to_be_visible()
