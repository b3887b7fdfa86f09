"""The sign-off page shows the overall score being signed off and the change since the last
round; the results page leads on to the comparison and the reports."""

import pytest
from django.urls import reverse

from assessments import services
from assessments.tests.factories import (
    scored_assessment,
    small_framework,
    submitted_assessment,
    two_rounds,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def rounds(db):
    return two_rounds(small_framework(dimensions=2, questions=2))


def test_the_sign_off_page_shows_the_overall_score_and_the_change(client, personas, rounds):
    earlier, latest = rounds
    dimensions = list(earlier.framework.dimensions.order_by("order"))
    scored_assessment(
        council=personas.council_a, round=earlier, scores=dict.fromkeys(dimensions, "2.5")
    )
    assessment = submitted_assessment(
        council=personas.council_a, round=latest, lead=personas.lead_a, level=3
    )
    client.force_login(personas.executive_a)

    html = client.get(reverse("assessments:sign-off", args=[assessment.pk])).content.decode()

    assert "Overall score: 3.0 out of 5" in html
    assert f"Up 0.5 since {earlier.name} (2.5)." in html


def test_a_first_assessment_says_so(client, personas, rounds):
    _earlier, latest = rounds
    assessment = submitted_assessment(
        council=personas.council_a, round=latest, lead=personas.lead_a, level=2
    )
    client.force_login(personas.executive_a)

    html = client.get(reverse("assessments:sign-off", args=[assessment.pk])).content.decode()

    assert "Overall score: 2.0 out of 5" in html
    assert "first signed-off assessment" in html


def test_results_lead_on_to_the_comparison_and_for_leaders_the_reports(client, personas, rounds):
    earlier, latest = rounds
    dimensions = list(earlier.framework.dimensions.order_by("order"))
    scored_assessment(
        council=personas.council_a, round=earlier, scores=dict.fromkeys(dimensions, "3.5")
    )
    assessment = submitted_assessment(
        council=personas.council_a, round=latest, lead=personas.lead_a, level=3
    )
    services.assessment_sign_off(assessment=assessment, by=personas.executive_a)
    url = reverse("assessments:results", args=[assessment.pk])
    gss = personas.council_a.gss_code

    client.force_login(personas.executive_a)
    leader = client.get(url).content.decode()
    client.force_login(personas.officer_a)
    officer = client.get(url).content.decode()

    assert reverse("benchmarks:council", args=[gss]) in leader
    assert reverse("reports:council", args=[gss]) in leader
    assert f"Down 0.5 since {earlier.name} (3.5)." in leader
    assert reverse("benchmarks:council", args=[gss]) in officer
    assert reverse("reports:council", args=[gss]) not in officer
