"""Signed-in pages do not move on a phone while they load (issue 18): GOV.UK Frontend folding
the service navigation into "Menu" used to push the page up by 180 px, and a chart drawn into
a box shorter than itself pushed down everything after it."""

import time

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from benchmarks.tests.dashboard_data import build_sector
from tests.browser.support import drawn_chart, signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

# The layout shifts Chromium recorded since the page started loading, as Lighthouse counts them
# (shifts right after input do not count).
LAYOUT_SHIFT = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 500);
})"""


def _slow_script(route):
    # A phone runs GOV.UK Frontend's script after the page has painted; holding the script
    # back makes that happen here too.
    time.sleep(0.8)
    route.continue_()


def test_a_signed_in_page_does_not_move_while_it_loads_on_a_phone(page, live_server, personas):
    page.set_viewport_size({"width": 390, "height": 844})
    signed_in_page(page, live_server, personas.lead_a)
    page.route("**/js/govuk-init.js", _slow_script)

    page.goto(live_server.url + reverse("accounts:account"))
    expect(page.get_by_role("button", name="Menu")).to_be_visible()

    assert page.evaluate(LAYOUT_SHIFT) == 0
    # The menu still opens.
    page.get_by_role("button", name="Menu").click()
    expect(page.get_by_role("link", name="Your account", exact=True)).to_be_visible()


def test_the_dashboard_fetches_plotly_only_near_a_chart_and_drawing_moves_nothing(
    page, live_server, personas, settings
):
    build_sector(personas, settings)
    page.set_viewport_size({"width": 390, "height": 844})
    signed_in_page(page, live_server, personas.executive_a)
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))

    page.goto(live_server.url + reverse("benchmarks:council", args=["E06000001"]))
    page.wait_for_load_state("networkidle")

    # The headline figures are on the screen; the charts are further down: no Plotly yet.
    assert not [url for url in fetched if "plotly" in url]
    assert page.evaluate(LAYOUT_SHIFT) == 0
    charts = page.locator("[data-app-chart]")
    assert charts.count() == 3
    for index in range(charts.count()):
        chart_id = charts.nth(index).get_attribute("data-app-chart")
        expect(drawn_chart(page, chart_id)).to_be_visible()
    assert len([url for url in fetched if "plotly" in url]) == 1
    # Each chart filled the box that held its height: nothing on the page moved.
    assert page.evaluate(LAYOUT_SHIFT) == 0


def test_a_chart_not_drawn_yet_is_left_out_of_a_printed_page(page, live_server, personas, settings):
    build_sector(personas, settings)
    page.set_viewport_size({"width": 390, "height": 844})
    signed_in_page(page, live_server, personas.executive_a)
    page.goto(live_server.url + reverse("benchmarks:council", args=["E06000001"]))
    page.emulate_media(media="print")

    # Far down the page, so not drawn: its empty box is not printed; its table is.
    expect(page.locator('[data-app-chart="chart-trend"]')).to_be_hidden()
    expect(page.locator("table", has_text="Scores by round")).to_be_visible()
