from django.urls import reverse

from assessments.models import RoundStatus
from assessments.tests.factories import AssessmentFactory, AssessmentRoundFactory, small_framework


def _act(client, action, *rounds):
    return client.post(
        reverse("admin:assessments_assessmentround_changelist"),
        {"action": action, "_selected_action": [r.pk for r in rounds]},
        follow=True,
    )


def test_staff_open_and_close_rounds_through_the_services(client, personas):
    upcoming = AssessmentRoundFactory(status=RoundStatus.UPCOMING)
    draft = AssessmentRoundFactory(
        status=RoundStatus.UPCOMING, framework=small_framework(status="draft")
    )
    client.force_login(personas.staff)
    response = _act(client, "open_rounds", upcoming, draft)
    html = response.content.decode()
    assert f"{upcoming}: opened" in html
    assert "only use a published framework" in html
    upcoming.refresh_from_db()
    draft.refresh_from_db()
    assert (upcoming.status, draft.status) == (RoundStatus.OPEN, RoundStatus.UPCOMING)
    _act(client, "close_rounds", upcoming)
    upcoming.refresh_from_db()
    assert upcoming.status == RoundStatus.CLOSED


def test_round_status_cannot_be_edited_in_the_form(client, personas):
    round_ = AssessmentRoundFactory(status=RoundStatus.UPCOMING)
    client.force_login(personas.staff)
    html = client.get(
        reverse("admin:assessments_assessmentround_change", args=[round_.pk])
    ).content.decode()
    assert 'name="status"' not in html
    assert 'name="framework"' not in html


def test_assessment_page_links_to_history_and_reopening(client, personas):
    assessment = AssessmentFactory(council=personas.council_a)
    client.force_login(personas.staff)
    html = client.get(
        reverse("admin:assessments_assessment_change", args=[assessment.pk])
    ).content.decode()
    assert reverse("assessments:history", args=[assessment.pk]) in html
    assert reverse("assessments:reopen", args=[assessment.pk]) in html


def test_non_staff_cannot_reach_the_admin(client, personas):
    client.force_login(personas.lead_a)
    response = client.get(reverse("admin:assessments_assessmentround_changelist"))
    assert response.status_code == 302
