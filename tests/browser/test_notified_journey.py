"""The assessment moves by itself: the lead shares the work out, each officer answers only
their parts and sends, and every step tells the next person by email (a real SMTP server),
whose link takes them to the exact page.

Lead assigns -> officers emailed -> each answers their part and sends -> lead emailed per send
and when every part is in -> lead sees who said what, agrees, submits -> chief executive
emailed -> signs off -> the whole team is told the results are ready.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.models import CouncilRole
from accounts.tests.factories import CouncilMembershipFactory, UserFactory
from assessments import services
from assessments.models import AssessmentStatus, Question
from assessments.tests.factories import AssessmentRoundFactory, small_framework
from tests.browser.support import assert_accessible, signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def link_in(message, text: str) -> str:
    """The address after the line "<text>:" in an email's plain text."""
    lines = message.get_body(("plain",)).get_content().splitlines()
    return lines[lines.index(f"{text}:") + 1].strip()


def only(smtp_server, to: str, subject_part: str):
    found = [m for m in smtp_server.to(to) if subject_part in str(m["Subject"])]
    assert len(found) == 1, [str(m["Subject"]) for m in smtp_server.to(to)]
    return found[0]


def choose(page: Page, code: str, label: str) -> None:
    question = Question.objects.get(code=code)
    page.locator(f"#question-{question.pk}").get_by_label(label, exact=True).check()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("h1")).to_have_text("You have signed out")


def answer_my_part(page: Page, link: str, part: str, levels, note: str) -> None:
    page.goto(link)
    expect(page.locator("main")).to_contain_text("Assigned to you")
    assert_accessible(page)
    page.get_by_role("link", name=part).click()
    number = part.split()[-1]
    for n, label in enumerate(levels, start=1):
        choose(page, f"DIM{number}-0{n}", label)
    question = Question.objects.get(code=f"DIM{number}-01")
    page.locator(f"#question-{question.pk}").get_by_label("Evidence (optional)", exact=True).fill(
        note
    )
    assert_accessible(page)
    page.get_by_role("button", name="Save and continue").click()
    # Their part done, the task list offers to check and send.
    page.goto(link)
    expect(page.locator(".govuk-task-list").last).to_contain_text("Ready to send")
    page.get_by_role("link", name="Check your answers").click()
    expect(page.locator("h1")).to_have_text("Check your answers")
    assert_accessible(page)
    page.get_by_role("button", name="Submit your answers").click()
    expect(page.locator(".govuk-panel__title")).to_contain_text("sent to your assessment lead")
    sign_out(page)


def test_each_step_tells_the_next_person(page, live_server, personas, smtp_server, settings):
    settings.PORTAL_BASE_URL = live_server.url
    round_ = AssessmentRoundFactory(framework=small_framework(dimensions=2, questions=2))
    priya = UserFactory(email="priya.shah@hartlepool.example", full_name="Priya Shah")
    CouncilMembershipFactory(user=priya, council=personas.council_a, role=CouncilRole.OFFICER)
    assessment = services.assessment_start(
        council=personas.council_a, round=round_, by=personas.lead_a
    )

    # The lead gives each officer one part, in one form.
    signed_in_page(page, live_server, personas.lead_a, personas.password)
    page.goto(live_server.url + reverse("assessments:assign", args=[assessment.pk]))
    assert_accessible(page)
    page.get_by_role("group", name="Who should answer Barrier 1?").get_by_label(
        "Olivia Okafor"
    ).check()
    page.get_by_role("group", name="Who should answer Barrier 2?").get_by_label(
        "Priya Shah"
    ).check()
    page.get_by_role("button", name="Save who answers each barrier").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Saved who answers")
    assert_accessible(page)
    sign_out(page)

    # Each officer follows their email's link, answers only their part and sends.
    smtp_server.wait_for(2)
    olivia_mail = only(smtp_server, personas.officer_a.email, "for you to answer")
    assert "- Barrier 1" in olivia_mail.get_body(("plain",)).get_content()
    signed_in_page(page, live_server, personas.officer_a, personas.password)
    # Home says what is waiting for her, on a phone too.
    expect(page.locator(".govuk-task-list")).to_contain_text("Answer your barrier: Barrier 1")
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1280, "height": 800})
    answer_my_part(
        page,
        link_in(olivia_mail, "Answer your barriers"),
        "Barrier 1",
        ["2 Developing", "3 Defined"],
        "The digital strategy, 2025",
    )
    smtp_server.wait_for(3)
    only(smtp_server, personas.lead_a.email, "Olivia Okafor has sent their answers")

    priya_mail = only(smtp_server, priya.email, "for you to answer")
    signed_in_page(page, live_server, priya, personas.password)
    answer_my_part(
        page,
        link_in(priya_mail, "Answer your barriers"),
        "Barrier 2",
        ["4 Embedded", "4 Embedded"],
        "Cyber audit report",
    )
    smtp_server.wait_for(5)
    only(smtp_server, personas.lead_a.email, "Priya Shah has sent their answers")
    every = only(smtp_server, personas.lead_a.email, "Every assigned barrier")

    # The lead follows that email, sees who said what and why, agrees and submits.
    signed_in_page(page, live_server, personas.lead_a, personas.password)
    page.goto(link_in(every, "Agree the council's answers"))
    expect(page.locator("h1")).to_have_text("Agree the council's answers")
    assert_accessible(page)
    for part, officer, level, note in (
        ("Barrier 1", "Olivia Okafor", "Level 2 (Developing)", "The digital strategy, 2025"),
        ("Barrier 2", "Priya Shah", "Level 4 (Embedded)", "Cyber audit report"),
    ):
        page.get_by_role("link", name=part).click()
        said = page.locator("main")
        expect(said).to_contain_text(officer)
        expect(said).to_contain_text(level)
        expect(said).to_contain_text(note)
        assert_accessible(page)
        page.get_by_role("button", name="Save agreed answers").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("Agreed answers saved")
    page.get_by_role("link", name="Check and submit the agreed answers").click()
    assert_accessible(page)
    page.get_by_role("button", name="Submit for sign-off").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("submitted")
    sign_out(page)

    # The chief executive follows their email to the sign-off page and signs off.
    smtp_server.wait_for(6)
    waiting = only(smtp_server, personas.executive_a.email, "waiting for your sign-off")
    signed_in_page(page, live_server, personas.executive_a, personas.password)
    expect(page.locator(".govuk-task-list")).to_contain_text("Sign off Hartlepool's assessment")
    page.goto(link_in(waiting, "Review and sign off"))
    expect(page.locator("h1")).to_have_text("Sign off the assessment")
    assert_accessible(page)
    page.get_by_role("button", name="Approve and sign off").click()
    expect(page.locator("h1")).to_have_text("Results")
    assert_accessible(page)

    # The whole team hears the results are ready, with a link to them.
    smtp_server.wait_for(10)
    results = reverse("assessments:results", args=[assessment.pk])
    for person in (personas.officer_a, priya, personas.lead_a, personas.executive_a):
        ready = only(smtp_server, person.email, "results are ready")
        assert link_in(ready, "See the results") == live_server.url + results
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SIGNED_OFF
    assert len(smtp_server.messages) == 10
