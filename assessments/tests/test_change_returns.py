"""The GOV.UK "Change" pattern: saving a change made from a check page goes back to it."""

import pytest
from django.urls import reverse

from assessments import services
from assessments.tests.factories import AssessmentRoundFactory, dims, questions

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(personas):
    return services.assessment_start(
        council=personas.council_a, round=AssessmentRoundFactory(), by=personas.lead_a
    )


def test_an_officers_change_returns_to_check_your_answers(client, personas, assessment):
    first = dims(assessment)[0]
    client.force_login(personas.officer_a)
    check = reverse("assessments:check-answers", args=[assessment.pk])
    page = client.get(check).content.decode()
    change = reverse("assessments:dimension", args=[assessment.pk, first.code]) + "?return=check"
    assert change in page
    response = client.post(change, {f"q{q.pk}-answer": "3" for q in questions(first)})
    assert response.status_code == 302 and response["Location"] == check
    # Without it, saving goes on to the next part, as before.
    response = client.post(
        reverse("assessments:dimension", args=[assessment.pk, first.code]),
        {f"q{q.pk}-answer": "3" for q in questions(first)},
    )
    assert response["Location"] == reverse(
        "assessments:dimension", args=[assessment.pk, dims(assessment)[1].code]
    )


def test_a_leads_change_returns_to_the_submit_page(client, personas, assessment):
    first = dims(assessment)[0]
    client.force_login(personas.lead_a)
    submit = reverse("assessments:submit", args=[assessment.pk])
    page = client.get(submit).content.decode()
    change = (
        reverse("assessments:agree-dimension", args=[assessment.pk, first.code]) + "?return=submit"
    )
    assert change in page
    # Nobody has answered yet, so the lead confirms agreeing unanswered questions.
    form = {"confirm_unanswered": "on"}
    for q in questions(first):
        form[f"q{q.pk}_answer"] = "3"
        form[f"q{q.pk}_version"] = "0"
    response = client.post(change, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == submit
