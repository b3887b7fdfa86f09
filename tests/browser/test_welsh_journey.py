"""A Welsh council's whole journey in Welsh, in a browser (issue 19): the officer chooses
Cymraeg on the sign-in page and answers over two sittings; the lead and the chief executive,
whose accounts say Cymraeg, agree, submit and sign off. Every button and heading is looked for
by its Welsh from the catalogue, so an English word left on the way fails the test, and axe
reads the pages in Welsh.
"""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from assessments.models import AssessmentStatus, DimensionScore, Question
from assessments.tests.factories import AssessmentRoundFactory, small_framework
from tests.browser.support import assert_accessible, sign_in_url

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def cy(english: str) -> str:
    """The catalogue's Welsh for `english`; for a message with hidden words, its visible part."""
    with translation.override("cy"):
        welsh = translation.gettext(english)
    assert welsh != english or english in {"Ad hoc"}, f"no Welsh for {english!r}"
    return welsh.split("<span")[0]


def visible_start(english_message: str) -> re.Pattern[str]:
    return re.compile("^" + re.escape(cy(english_message)))


START = (
    'Start<span class="govuk-visually-hidden"> the %(round)s assessment for %(council_name)s</span>'
)
CONTINUE = (
    'Continue<span class="govuk-visually-hidden"> the %(round)s assessment for '
    "%(council_name)s</span>"
)
VIEW = (
    'View<span class="govuk-visually-hidden"> the %(round)s assessment for %(council_name)s</span>'
)
SIGN_OFF = 'Go to sign-off<span class="govuk-visually-hidden"> for %(council)s, %(round)s</span>'


def _sign_in(page: Page, live_server, email: str, password: str) -> None:
    """Through the sign-in form, in whichever language it is in (the cookie's, if any)."""
    page.goto(sign_in_url(live_server))
    words = cy if page.locator("html").get_attribute("lang") == "cy" else (lambda text: text)
    page.get_by_label(words("Email address")).fill(email)
    password_box = page.get_by_label(words("Password"), exact=True)
    if not password_box.count():
        page.get_by_role("button", name=words("Continue")).click()
    password_box.fill(password)
    page.get_by_role("button", name=words("Sign in")).click()
    expect(page).to_have_url(live_server.url + reverse("portal:home"))
    expect(page.locator("html")).to_have_attribute("lang", "cy")


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name=cy("Sign out")).click()
    expect(page.locator("h1")).to_have_text(cy("You have signed out"))


def _choose(page: Page, code: str, label: str) -> None:
    question = Question.objects.get(code=code)
    page.locator(f"#question-{question.pk}").get_by_label(label, exact=True).check()


def test_a_welsh_council_from_first_answer_to_sign_off_in_welsh(page, live_server, personas):
    round_ = AssessmentRoundFactory(framework=small_framework(dimensions=2, questions=2))
    for person in (personas.lead_a, personas.executive_a):
        person.language = "cy"
        person.save(update_fields=["language"])
    with translation.override("cy"):
        developing, defined, embedded = (
            f"{level} {translation.gettext(name)}"
            for level, name in ((2, "Developing"), (3, "Defined"), (4, "Embedded"))
        )

    # The officer has not chosen yet: the sign-in page is English until they choose Cymraeg,
    # which brings them back to the same page in Welsh.
    page.goto(sign_in_url(live_server))
    expect(page.locator("html")).to_have_attribute("lang", "en-gb")
    page.get_by_role("link", name=re.compile("Cymraeg")).click()
    expect(page).to_have_url(re.compile(re.escape(reverse("accounts:sign-in"))))
    _sign_in(page, live_server, personas.officer_a.email, personas.password)
    page.get_by_role("link", name=cy("Assessments"), exact=True).click()
    page.get_by_role("button", name=visible_start(START)).click()
    assert_accessible(page)
    page.get_by_role("link", name="Barrier 1").click()
    _choose(page, "DIM1-01", developing)
    page.get_by_role("button", name=cy("Save and come back later")).click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        cy("Your answers have been saved")
    )
    _sign_out(page)

    # Another device (no cookie): the sign-in page is English, and everything after it Welsh,
    # because the choice made before signing in was kept on the officer's account.
    page.context.clear_cookies()
    _sign_in(page, live_server, personas.officer_a.email, personas.password)
    page.get_by_role("link", name=cy("Assessments"), exact=True).click()
    page.get_by_role("link", name=visible_start(CONTINUE)).click()
    page.get_by_role("link", name="Barrier 1").click()
    expect(
        page.locator(f"#question-{Question.objects.get(code='DIM1-01').pk}").get_by_label(
            developing, exact=True
        )
    ).to_be_checked()
    assert_accessible(page)
    _choose(page, "DIM1-02", defined)
    page.get_by_role("button", name=cy("Save and continue")).click()
    _choose(page, "DIM2-01", embedded)
    _choose(page, "DIM2-02", cy("Not applicable"))
    page.get_by_role("button", name=cy("Save and continue")).click()
    expect(page.locator("h1")).to_have_text(cy("Check your answers"))
    assert_accessible(page)
    page.get_by_role("button", name=cy("Submit your answers")).click()
    expect(page.locator(".govuk-panel__title")).to_have_text(
        cy("Your answers have been sent to your assessment lead")
    )
    _sign_out(page)

    # The lead agrees the council's answers and submits, in Welsh from their account.
    page.context.clear_cookies()
    _sign_in(page, live_server, personas.lead_a.email, personas.password)
    page.get_by_role("link", name=cy("Assessments"), exact=True).click()
    page.get_by_role("link", name=visible_start(CONTINUE)).click()
    page.get_by_role("link", name=cy("Agree the council's answers")).click()
    assert_accessible(page)
    for name in ("Barrier 1", "Barrier 2"):
        page.get_by_role("link", name=name).click()
        if name == "Barrier 2":
            with translation.override("cy"):
                group = translation.gettext("Agreed answer for {code}").format(code="DIM2-02")
            page.get_by_role("group", name=group).get_by_label(cy("Not applicable")).check()
        page.get_by_role("button", name=cy("Save agreed answers")).click()
        expect(page.locator(".govuk-notification-banner")).to_be_visible()
    page.get_by_role("link", name=cy("Check and submit the agreed answers")).click()
    expect(page.locator("h1")).to_have_text(cy("Check the agreed answers and submit"))
    assert_accessible(page)
    page.get_by_role("button", name=cy("Submit for sign-off")).click()
    expect(page.locator(".govuk-notification-banner")).to_be_visible()
    _sign_out(page)

    # The chief executive signs off and sees the results, in Welsh.
    page.context.clear_cookies()
    _sign_in(page, live_server, personas.executive_a.email, personas.password)
    page.get_by_role("link", name=cy("Assessments"), exact=True).click()
    page.get_by_role("link", name=visible_start(VIEW)).first.click()
    page.get_by_role("link", name=visible_start(SIGN_OFF)).click()
    expect(page.locator("h1")).to_have_text(cy("Sign off the assessment"))
    assert_accessible(page)
    page.get_by_role("button", name=cy("Approve and sign off")).click()
    expect(page.locator("h1")).to_have_text(cy("Results"))
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    assert_accessible(page)

    assessment = round_.assessments.get()
    assert assessment.status == AssessmentStatus.SIGNED_OFF
    scores = dict(DimensionScore.objects.values_list("dimension__code", "score"))
    assert {code: str(score) for code, score in scores.items()} == {"DIM1": "2.5", "DIM2": "4.0"}
