"""The lead agrees the council's answers and submits; the chief executive signs off; axe passes."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.models import CouncilRole
from accounts.tests.factories import CouncilMembershipFactory, UserFactory
from assessments import services
from assessments.models import AnswerStatus, AssessmentStatus, Dimension, DimensionScore
from assessments.services import AgreedInput, AnswerInput
from assessments.tests.factories import AssessmentRoundFactory, small_framework
from tests.browser.support import assert_accessible, signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def _member(council, role, email, name):
    user = UserFactory(email=email, full_name=name)
    CouncilMembershipFactory(user=user, council=council, role=role)
    return user


def _answer(assessment, user, default: int, first: int, *, submit: bool) -> None:
    response = services.response_for(assessment=assessment, user=user)
    for dimension in Dimension.objects.filter(framework=assessment.round.framework):
        answers = {}
        for question in dimension.questions.all():
            value = first if question.code == "DIM1-01" else default
            answers[question.pk] = AnswerInput(
                status=AnswerStatus.ANSWERED, level=value, confidence="medium"
            )
        services.answers_save(response=response, dimension=dimension, answers=answers)
    if submit:
        services.response_submit(response=response)


def _go(page: Page, live_server, name: str, assessment, *args) -> None:
    response = page.goto(
        live_server.url + reverse(f"assessments:{name}", args=[assessment.pk, *args])
    )
    assert response is not None and response.status == 200


def test_lead_agrees_and_submits_then_the_chief_executive_signs_off(page, live_server, personas):
    round_ = AssessmentRoundFactory(framework=small_framework(dimensions=2, questions=2))
    assessment = services.assessment_start(
        council=personas.council_a, round=round_, by=personas.lead_a
    )
    other_officer = _member(
        personas.council_a, CouncilRole.OFFICER, "tom.two@hartlepool.example", "Tom Two"
    )
    other_lead = _member(
        personas.council_a, CouncilRole.LEAD, "olu.other@hartlepool.example", "Olu Other"
    )
    # The officers disagree on DIM1-01 (levels 1 and 4); one has submitted.
    _answer(assessment, personas.officer_a, 2, 1, submit=True)
    _answer(assessment, other_officer, 3, 4, submit=False)

    # The lead looks at progress.
    signed_in_page(page, live_server, personas.lead_a, personas.password)
    _go(page, live_server, "progress", assessment)
    expect(page.locator("h1")).to_have_text("Progress")
    expect(page.locator("main")).to_contain_text("Tom Two")
    expect(page.locator("main")).to_contain_text("Submitted")
    assert_accessible(page)

    # Asking officers to answer a dimension.
    page.get_by_role("link", name="Choose who answers each barrier").click()
    expect(page.locator("h1")).to_have_text("Choose who answers each barrier")
    assert_accessible(page)
    page.get_by_role("group", name="Who should answer Barrier 2?").get_by_label("Tom Two").check()
    page.get_by_role("button", name="Save who answers each barrier").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Saved who answers each barrier"
    )
    assert_accessible(page)
    page.get_by_role("link", name="Back to progress").click()

    # Agreeing answers: the task list, then the first dimension with its flag.
    page.get_by_role("link", name="Agree the council's answers").click()
    expect(page.locator("h1")).to_have_text("Agree the council's answers")
    expect(page.locator(".govuk-task-list")).to_contain_text("flagged because officers disagree")
    assert_accessible(page)
    page.get_by_role("link", name="Barrier 1").click()
    expect(page.locator("h1")).to_have_text("Agree answers: Barrier 1")
    expect(page.locator("#question-" + str(_question(assessment, "DIM1-01").pk))).to_contain_text(
        "Officers disagree"
    )
    assert_accessible(page)
    # Who said what, on only the questions where officers disagree, on a phone too.
    page.get_by_role("link", name="Show only questions where officers disagree").click()
    expect(page.locator("main")).to_contain_text("What each officer said about DIM1-01")
    expect(page.locator("main")).not_to_contain_text("What each officer said about DIM1-02")
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("link", name="Show all questions").click()

    first = page.get_by_role("group", name="Agreed answer for DIM1-01")
    first.get_by_label("2 Developing").check()
    page.get_by_label("Rationale for DIM1-01 (optional)").fill("Discussed at the board")
    page.get_by_role("group", name="Agreed answer for DIM1-02").get_by_label("4 Embedded").check()

    # Meanwhile, another lead agrees the same question.
    services.agreed_answers_save(
        assessment=assessment,
        answers={
            _question(assessment, "DIM1-01").pk: AgreedInput(
                AnswerStatus.ANSWERED, 4, "The cyber audit", 0
            )
        },
        by=other_lead,
    )
    page.get_by_role("button", name="Save agreed answers").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Someone else changed 1 answer while you were editing")
    conflict = page.locator(".govuk-summary-card")
    expect(conflict).to_contain_text("Level 4 (Embedded)")
    expect(conflict).to_contain_text("Olu Other")
    expect(conflict).to_contain_text("Level 2 (Developing)")
    assert page.title().startswith("Error: ")
    assert_accessible(page)

    # Saving again, knowingly, keeps the lead's answer.
    page.get_by_role("button", name="Save agreed answers").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Agreed answers saved for Barrier 1"
    )
    page.get_by_role("link", name="Barrier 2").click()
    page.get_by_role("button", name="Save agreed answers").click()
    expect(page.locator(".govuk-task-list")).to_contain_text("2 of 2 answers agreed")

    # Check and submit.
    page.get_by_role("link", name="Check and submit the agreed answers").click()
    expect(page.locator("h1")).to_have_text("Check the agreed answers and submit")
    expect(page.locator("main")).to_contain_text("Discussed at the board")
    assert_accessible(page)
    page.get_by_role("button", name="Submit for sign-off").click()
    expect(page).to_have_url(
        live_server.url + reverse("assessments:overview", args=[assessment.pk])
    )
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "You have submitted the assessment"
    )
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED

    # The chief executive returns it once without a comment, then signs it off.
    page.get_by_role("button", name="Sign out").click()
    signed_in_page(page, live_server, personas.executive_a, personas.password)
    _go(page, live_server, "sign-off", assessment)
    expect(page.locator("h1")).to_have_text("Sign off the assessment")
    assert_accessible(page)
    page.get_by_role("button", name="Return to the lead").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter what the lead needs to change"
    )
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    page.get_by_role("button", name="Approve and sign off").click()
    expect(page.locator("h1")).to_have_text("Results")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "You have signed off the assessment"
    )
    expect(page.locator("#results-summary")).to_have_text(
        "Highest: Barrier 1 3.0; lowest: Barrier 2 2.0."
    )
    assert_accessible(page)
    assert DimensionScore.objects.filter(assessment=assessment).count() == 2

    # The audit trail, as staff see it.
    page.get_by_role("button", name="Sign out").click()
    signed_in_page(page, live_server, personas.staff, personas.password)
    _go(page, live_server, "history", assessment)
    expect(page.locator("main")).to_contain_text("Level 2 (Developing)")
    expect(page.locator("main")).to_contain_text("Signed off")
    assert_accessible(page)
    page.get_by_role("link", name="Reopen this assessment").click()
    assert_accessible(page)
    page.get_by_role("button", name="Reopen assessment").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the reason for reopening")
    assert_accessible(page)
    page.get_by_label("Why are you reopening this assessment?").fill("The council found a typo")
    page.get_by_role("button", name="Reopen assessment").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "You have reopened the assessment"
    )
    expect(page.locator("main")).to_contain_text("The council found a typo")


def _question(assessment, code):
    return assessment.round.framework.questions.get(code=code)
