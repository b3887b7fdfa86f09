"""An officer answers over two sittings, checks the answers and sends them; axe on every page."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from assessments import services
from assessments.models import Answer, AnswerStatus, Question, ResponseStatus
from assessments.tests.factories import AssessmentRoundFactory
from tests.browser.support import assert_accessible, signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def question(code: str) -> Question:
    return Question.objects.get(code=code)


def on_question(page: Page, code: str):
    return page.locator(f"#question-{question(code).pk}")


def choose(page: Page, code: str, label: str) -> None:
    on_question(page, code).get_by_label(label, exact=True).check()


def test_officer_answers_over_two_sittings_and_sends_the_answers(page, live_server, personas):
    round_ = AssessmentRoundFactory()  # two dimensions of three questions
    officer = personas.officer_a
    signed_in_page(page, live_server, officer, personas.password)

    page.get_by_role("link", name="Assessments", exact=True).click()
    expect(page.locator("h1")).to_have_text("Assessments")
    assert_accessible(page)

    page.get_by_role("button", name=re.compile(r"^Start")).click()
    expect(page.locator("h1")).to_have_text(f"Hartlepool: {round_.name}")
    expect(page.locator(".govuk-task-list__status").first).to_have_text("Not started")
    assert_accessible(page)

    page.get_by_role("link", name="Barrier 1").click()
    expect(page.locator("h1")).to_have_text("Barrier 1")
    expect(page.locator(".govuk-caption-l")).to_contain_text("Barrier 1 of 2")
    assert_accessible(page)

    # A mistake first: nothing is kept, and the error summary says what to fix.
    choose(page, "DIM1-01", "3 Defined")
    on_question(page, "DIM1-01").get_by_label("Link to evidence (optional)").fill("not a link")
    page.get_by_role("button", name="Save and come back later").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the evidence link for DIM1-01 in the correct format")
    assert page.title().startswith("Error: ")
    assert not Answer.objects.exists()
    assert_accessible(page)
    summary.get_by_role("link").click()
    expect(on_question(page, "DIM1-01").get_by_label("Link to evidence (optional)")).to_be_focused()

    # Part of the first dimension, then come back later.
    on_question(page, "DIM1-01").get_by_label("Link to evidence (optional)").fill(
        "https://intranet.example.gov.uk/digital-strategy"
    )
    on_question(page, "DIM1-01").get_by_label("High").check()
    on_question(page, "DIM1-01").get_by_label("Evidence (optional)", exact=True).fill(
        "Cabinet agreed it."
    )
    choose(page, "DIM1-02", "Not applicable")
    page.get_by_role("button", name="Save and come back later").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Your answers have been saved"
    )
    expect(page.locator("#task-1-status")).to_have_text("In progress")
    assert_accessible(page)

    # A new sitting: sign out, sign back in, and the answers are still there.
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("h1")).to_have_text("You have signed out")
    signed_in_page(page, live_server, officer, personas.password)
    page.get_by_role("link", name="Assessments", exact=True).click()
    page.get_by_role("link", name=re.compile(r"^Continue")).click()
    page.get_by_role("link", name="Barrier 1").click()
    expect(on_question(page, "DIM1-01").get_by_label("3 Defined", exact=True)).to_be_checked()
    expect(on_question(page, "DIM1-01").get_by_label("High")).to_be_checked()
    expect(
        on_question(page, "DIM1-01").get_by_label("Evidence (optional)", exact=True)
    ).to_have_value("Cabinet agreed it.")
    expect(on_question(page, "DIM1-02").get_by_label("Not applicable")).to_be_checked()

    # Finish the first part and the second.
    choose(page, "DIM1-03", "Don't know")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("h1")).to_have_text("Barrier 2")
    for code, label in [
        ("DIM2-01", "1 Ad hoc"),
        ("DIM2-02", "4 Embedded"),
        ("DIM2-03", "5 Leading"),
    ]:
        choose(page, code, label)
    page.get_by_role("button", name="Save and continue").click()

    expect(page.locator("h1")).to_have_text("Check your answers")
    main = page.locator("main")
    for text in [
        "Level 3 (Defined)",
        "Not applicable",
        "Don't know",
        "Level 4 (Embedded)",
        "Cabinet agreed it.",
    ]:
        expect(main).to_contain_text(text)
    expect(main).not_to_contain_text("Not answered")
    assert_accessible(page)

    page.get_by_role("button", name="Submit your answers").click()
    expect(page.locator(".govuk-panel__title")).to_have_text(
        "Your answers have been sent to your assessment lead"
    )
    assert officer.responses.get().status == ResponseStatus.SUBMITTED
    assert_accessible(page)

    # Now read-only.
    page.get_by_role("link", name="Go back to the assessment").click()
    expect(page.locator(".govuk-inset-text")).to_contain_text("You can view your answers")
    assert_accessible(page)
    page.get_by_role("link", name="Barrier 2").click()
    expect(page.locator("main form")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("Level 4 (Embedded)")
    assert_accessible(page)


def test_a_dimension_page_works_without_javascript(browser, live_server, personas):
    round_ = AssessmentRoundFactory()
    assessment = services.assessment_start(
        council=personas.council_a, round=round_, by=personas.officer_a
    )
    context = browser.new_context(java_script_enabled=False, bypass_csp=True)
    try:
        page = context.new_page()
        signed_in_page(page, live_server, personas.officer_a, personas.password)
        page.goto(live_server.url + reverse("assessments:dimension", args=[assessment.pk, "DIM1"]))
        # No script ran: GOV.UK Frontend marks the body when its JavaScript starts.
        expect(page.locator("body")).not_to_have_class(re.compile("govuk-frontend-supported"))
        choose(page, "DIM1-01", "2 Developing")
        on_question(page, "DIM1-01").get_by_label("Evidence (optional)", exact=True).fill(
            "Team survey"
        )
        choose(page, "DIM1-03", "Don't know")
        page.get_by_role("button", name="Save and continue").click()
        expect(page.locator("h1")).to_have_text("Barrier 2")

        page.goto(live_server.url + reverse("assessments:dimension", args=[assessment.pk, "DIM1"]))
        expect(on_question(page, "DIM1-01").get_by_label("2 Developing")).to_be_checked()
        expect(
            on_question(page, "DIM1-01").get_by_label("Evidence (optional)", exact=True)
        ).to_have_value("Team survey")
        expect(on_question(page, "DIM1-03").get_by_label("Don't know")).to_be_checked()
        assert {a.question.code: a.status for a in Answer.objects.select_related("question")} == {
            "DIM1-01": AnswerStatus.ANSWERED,
            "DIM1-03": AnswerStatus.DONT_KNOW,
        }
    finally:
        context.close()
