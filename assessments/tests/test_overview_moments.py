"""The task list says what fits the moment: a returned assessment's comment is a notification
banner for the lead, and once the lead submits, nobody is told "0 of 2 parts"."""

import pytest
from django.urls import reverse

from assessments import services
from assessments.tests.factories import AssessmentRoundFactory, submitted_assessment

pytestmark = pytest.mark.django_db


def test_a_returned_assessment_shows_the_comment_in_a_banner(client, personas):
    assessment = submitted_assessment(
        council=personas.council_a, round=AssessmentRoundFactory(), lead=personas.lead_a
    )
    services.assessment_return(
        assessment=assessment, by=personas.executive_a, comment="Check the cyber answers"
    )
    client.force_login(personas.lead_a)
    page = client.get(reverse("assessments:overview", args=[assessment.pk])).content.decode()
    banner = page[page.index('class="govuk-notification-banner"') :]
    assert "Check the cyber answers" in banner[: banner.index("</div>\n</div>")]
    assert "govuk-inset-text" not in page


def test_after_the_lead_submits_the_overview_says_so(client, personas):
    assessment = submitted_assessment(
        council=personas.council_a, round=AssessmentRoundFactory(), lead=personas.lead_a
    )
    client.force_login(personas.lead_a)
    page = client.get(reverse("assessments:overview", args=[assessment.pk])).content.decode()
    assert "You have completed 0 of" not in page
    assert "with the chief executive for sign-off" in page
