"""With nine barriers and their real names, no radar label is cut off on a phone (320 and 390
CSS px)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from assessments.models import Dimension
from assessments.tests.factories import AssessmentRoundFactory, scored_assessment, small_framework
from benchmarks.models import PeerGroupKind
from benchmarks.releases import release_make
from benchmarks.services import benchmarks_rebuild
from benchmarks.tests.factories import make_group
from councils.tests.factories import CouncilFactory
from tests.browser.support import drawn_chart, signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

NINE = (
    "Leadership and strategy",
    "Procurement and commercial",
    "Culture and change",
    "Data sharing and use",
    "Skills and capability",
    "Legacy systems and technology",
    "Citizen engagement and inclusion",
    "Cyber resilience",
    "Collaboration and shared services",
)


@pytest.mark.parametrize("width", [320, 390])
def test_no_radar_label_is_cut_off_on_a_phone(page, live_server, personas, settings, width):
    settings.BENCHMARK_MIN_GROUP = 3
    framework = small_framework(dimensions=9, questions=1)
    for dimension, name in zip(Dimension.objects.for_framework(framework), NINE, strict=True):
        dimension.name = name
        dimension.save()
    round_ = AssessmentRoundFactory(framework=framework)
    councils = [personas.council_a, *(CouncilFactory() for _ in range(3))]
    for n, council in enumerate(councils):
        scored_assessment(
            council=council,
            round=round_,
            scores={d: f"{2 + n * 0.5:.1f}" for d in Dimension.objects.for_framework(framework)},
        )
    make_group("tier-test", PeerGroupKind.TIER, councils, name="Single-tier councils")
    benchmarks_rebuild(round_id=round_.pk)
    release_make(round_id=round_.pk)

    page.set_viewport_size({"width": width, "height": 844})
    signed_in_page(page, live_server, personas.executive_a)
    page.goto(live_server.url + reverse("benchmarks:council", args=["E06000001"]))
    chart = drawn_chart(page, "chart-radar")
    expect(chart).to_be_visible()
    cut = page.evaluate(
        """() => {
          const svg = document.querySelector('[data-app-chart="chart-radar"] svg.main-svg');
          const box = svg.getBoundingClientRect();
          return [...document.querySelectorAll(
              '[data-app-chart="chart-radar"] .angularaxistick text')]
            .filter(t => {
              const r = t.getBoundingClientRect();
              return r.left < box.left - 1 || r.right > box.right + 1;
            })
            .map(t => t.textContent);
        }"""
    )
    assert cut == []
