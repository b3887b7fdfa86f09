"""No Python value reaches a page: a dimension without a score says "No score", not None."""

import re

import pytest
from django.urls import reverse

from assessments import services
from assessments.tests.factories import AssessmentRoundFactory, dims, scored_assessment

pytestmark = pytest.mark.django_db

PYTHON_WORDS = re.compile(r">\s*(None|True|False)\s*<")


def test_results_without_a_score_say_so(client, personas):
    round_ = AssessmentRoundFactory()
    first, second = list(round_.framework.dimensions.order_by("order"))
    assessment = scored_assessment(
        council=personas.council_a, round=round_, scores={first: "3.0", second: None}
    )
    client.force_login(personas.lead_a)
    page = client.get(reverse("assessments:results", args=[assessment.pk])).content.decode()
    assert "No score" in page
    assert not PYTHON_WORDS.search(page)


def test_the_leads_submit_page_without_agreed_answers_says_no_score(client, personas):
    round_ = AssessmentRoundFactory()
    assessment = services.assessment_start(
        council=personas.council_a, round=round_, by=personas.lead_a
    )
    assert dims(assessment)
    client.force_login(personas.lead_a)
    page = client.get(reverse("assessments:submit", args=[assessment.pk])).content.decode()
    assert "No score" in page
    assert not PYTHON_WORDS.search(page)
