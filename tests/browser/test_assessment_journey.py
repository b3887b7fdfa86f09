"""The whole journey, by people in a browser: answer over two sittings, agree, submit, sign off.

The officer and review journeys test each side in depth; this one proves they join up.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from assessments.models import AssessmentStatus, DimensionScore, Question
from assessments.tests.factories import AssessmentRoundFactory, small_framework
from tests.browser.support import assert_accessible, signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def _choose(page: Page, code: str, label: str) -> None:
    question = Question.objects.get(code=code)
    page.locator(f"#question-{question.pk}").get_by_label(label, exact=True).check()


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("h1")).to_have_text("You have signed out")


def test_from_first_answer_to_sign_off(page, live_server, personas):
    round_ = AssessmentRoundFactory(framework=small_framework(dimensions=2, questions=2))

    # The officer starts, answers part of the first barrier and comes back later.
    signed_in_page(page, live_server, personas.officer_a, personas.password)
    page.get_by_role("link", name="Assessments", exact=True).click()
    page.get_by_role("button", name=re.compile(r"^Start")).click()
    assert_accessible(page)
    page.get_by_role("link", name="Barrier 1").click()
    _choose(page, "DIM1-01", "2 Developing")
    page.get_by_role("button", name="Save and come back later").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("saved")
    _sign_out(page)

    # Next sitting: the answer is kept; finish and send.
    signed_in_page(page, live_server, personas.officer_a, personas.password)
    page.get_by_role("link", name="Assessments", exact=True).click()
    page.get_by_role("link", name=re.compile(r"^Continue")).click()
    page.get_by_role("link", name="Barrier 1").click()
    expect(
        page.locator(f"#question-{Question.objects.get(code='DIM1-01').pk}").get_by_label(
            "2 Developing", exact=True
        )
    ).to_be_checked()
    assert_accessible(page)
    _choose(page, "DIM1-02", "3 Defined")
    page.get_by_role("button", name="Save and continue").click()
    _choose(page, "DIM2-01", "4 Embedded")
    _choose(page, "DIM2-02", "Not applicable")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("h1")).to_have_text("Check your answers")
    assert_accessible(page)
    page.get_by_role("button", name="Submit your answers").click()
    expect(page.locator(".govuk-panel__title")).to_contain_text("sent to your assessment lead")
    assert_accessible(page)
    _sign_out(page)

    # The lead agrees the council's answers (the officer's are suggested) and submits.
    signed_in_page(page, live_server, personas.lead_a, personas.password)
    page.get_by_role("link", name="Assessments", exact=True).click()
    page.get_by_role("link", name=re.compile(r"^Continue")).click()
    page.get_by_role("link", name="Agree the council's answers").click()
    assert_accessible(page)
    for name in ("Barrier 1", "Barrier 2"):
        page.get_by_role("link", name=name).click()
        assert_accessible(page)
        if name == "Barrier 2":
            # Only levels are suggested; "not applicable" is the lead's own call.
            page.get_by_role("group", name="Agreed answer for DIM2-02").get_by_label(
                "Not applicable"
            ).check()
        page.get_by_role("button", name="Save agreed answers").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("Agreed answers saved")
    page.get_by_role("link", name="Check and submit the agreed answers").click()
    # A click does not wait for the next page: axe must not run on the one being left.
    expect(page.locator("h1")).to_have_text("Check the agreed answers and submit")
    assert_accessible(page)
    page.get_by_role("button", name="Submit for sign-off").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("submitted")
    _sign_out(page)

    # The chief executive signs off and sees the results.
    signed_in_page(page, live_server, personas.executive_a, personas.password)
    page.get_by_role("link", name="Assessments", exact=True).click()
    page.get_by_role("link", name=re.compile(r"^(Continue|View|Sign)")).first.click()
    page.get_by_role("link", name=re.compile("Go to sign-off")).click()
    expect(page.locator("h1")).to_have_text("Sign off the assessment")
    assert_accessible(page)
    page.get_by_role("button", name="Approve and sign off").click()
    expect(page.locator("h1")).to_have_text("Results")
    assert_accessible(page)

    assessment = round_.assessments.get()
    assert assessment.status == AssessmentStatus.SIGNED_OFF
    scores = dict(DimensionScore.objects.values_list("dimension__code", "score"))
    # Dimension 1: the officer's 2 and 3 were agreed as suggested; Dimension 2: 4 and N/A.
    assert {code: str(score) for code, score in scores.items()} == {"DIM1": "2.5", "DIM2": "4.0"}
    assert page.url == live_server.url + reverse("assessments:results", args=[assessment.pk])
