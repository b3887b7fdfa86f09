"""How the assessment works: one public page, linked from the footer, the task list and every
part page, which also lists its own questions."""

import pytest
from django.urls import reverse

from assessments import services
from assessments.tests.factories import AssessmentRoundFactory, dims, questions

pytestmark = pytest.mark.django_db


def test_anyone_can_read_how_the_assessment_works(client):
    page = client.get(reverse("assessments:guidance")).content.decode()
    for heading in (
        "Who answers which barrier",
        "Choosing a level",
        "best fit",
        "What counts as evidence",
        "Not applicable and don",
        "How scores are worked out",
        "Comparing with similar councils",
    ):
        assert heading in page
    assert "at least 5 councils" in page


def test_the_task_list_and_each_part_link_to_it_and_a_part_lists_its_questions(client, personas):
    assessment = services.assessment_start(
        council=personas.council_a, round=AssessmentRoundFactory(), by=personas.lead_a
    )
    guidance = reverse("assessments:guidance")
    client.force_login(personas.officer_a)
    overview = client.get(reverse("assessments:overview", args=[assessment.pk])).content.decode()
    assert f'href="{guidance}"' in overview
    first = dims(assessment)[0]
    part = client.get(
        reverse("assessments:dimension", args=[assessment.pk, first.code])
    ).content.decode()
    assert f'href="{guidance}#choosing-a-level"' in part
    for question in questions(first):
        assert f'href="#question-{question.pk}"' in part
        assert f'id="question-{question.pk}"' in part
