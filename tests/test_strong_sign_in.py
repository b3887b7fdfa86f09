"""The rule for strong actions: signing off, agreeing answers, submitting, reopening, publishing,
changing sharing or sign-in settings, and the admin site need a session that passed a code from
an authenticator app, or came through the council's own identity provider."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from accounts.tests.two_factor_support import code_for, with_app
from accounts.two_factor import DOING, SSO_SESSION_KEY
from assessments import services as assessment_services
from assessments.tests.factories import AssessmentRoundFactory, dims
from plans.tests.factories import planned_assessment


@pytest.fixture
def pages(personas):
    round_ = AssessmentRoundFactory()
    assessment = assessment_services.assessment_start(
        council=personas.council_a, round=round_, by=personas.lead_a
    )
    first = dims(assessment)[0]
    return {
        "agree": (
            personas.lead_a,
            reverse("assessments:agree-dimension", args=[assessment.pk, first.code]),
        ),
        "submit": (personas.lead_a, reverse("assessments:submit", args=[assessment.pk])),
        "sign off": (personas.executive_a, reverse("assessments:sign-off", args=[assessment.pk])),
        "reopen": (personas.staff, reverse("assessments:reopen", args=[assessment.pk])),
        "sharing": (personas.lead_a, reverse("councils:sharing", args=["E06000001"])),
        "sign-in settings": (
            personas.lead_a,
            reverse("accounts:sign-in-settings", args=["E06000001"]),
        ),
        "publish": (personas.staff, reverse("reports:open-data-publish", args=[round_.slug])),
    }


PAGES = ["agree", "submit", "sign off", "reopen", "sharing", "sign-in settings", "publish"]


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED = True


def path_and_next(response):
    location = urlsplit(response["Location"])
    return location.path, parse_qs(location.query).get("next", [""])[0]


@pytest.mark.usefixtures("required")
@pytest.mark.parametrize("page", PAGES)
def test_without_an_app_the_person_is_asked_to_set_one_up_first(client, pages, page):
    user, url = pages[page]
    client.force_login(user)

    response = client.get(url)

    assert response.status_code == 302
    assert path_and_next(response) == (reverse("accounts:two-factor-set-up"), url)


@pytest.mark.usefixtures("required")
@pytest.mark.parametrize("page", PAGES)
def test_with_an_app_a_session_without_a_code_is_asked_for_one(client, pages, page):
    user, url = pages[page]
    with_app(user)
    client.force_login(user)

    response = client.get(url)

    assert response.status_code == 302
    assert path_and_next(response) == (reverse("accounts:sign-in-code"), url)


@pytest.mark.usefixtures("required")
@pytest.mark.parametrize("page", PAGES)
def test_a_session_that_passed_a_code_goes_straight_on(client, pages, page, personas):
    user, url = pages[page]
    device, _ = with_app(user)
    client.post(
        reverse("accounts:sign-in"), {"username": user.email, "password": personas.password}
    )
    client.post(reverse("accounts:sign-in-code"), {"code": code_for(device, at=time.time() + 30)})

    response = client.get(url)

    assert not (response.status_code == 302 and "two-factor" in response["Location"])
    assert not (response.status_code == 302 and "/sign-in/" in response["Location"])


@pytest.mark.usefixtures("required")
@pytest.mark.parametrize("page", PAGES)
def test_a_session_from_the_councils_identity_provider_goes_straight_on(client, pages, page):
    user, url = pages[page]
    client.force_login(user)
    session = client.session
    session[SSO_SESSION_KEY] = 1
    session.save()

    response = client.get(url)

    assert not (response.status_code == 302 and "two-factor" in response["Location"])


@pytest.mark.usefixtures("required")
def test_staff_need_a_code_for_the_admin_site(client, personas):
    client.force_login(personas.staff)

    first = client.get("/admin/")
    assert urlsplit(first["Location"]).path == "/admin/login/"
    second = client.get(first["Location"])
    assert path_and_next(second)[0] == reverse("accounts:two-factor-set-up")


def test_the_demo_setting_relaxes_the_rule(client, pages, settings):
    settings.TWO_FACTOR_REQUIRED = False
    user, url = pages["sign off"]
    client.force_login(user)

    response = client.get(url)

    assert not (response.status_code == 302 and "two-factor" in response["Location"])


@pytest.mark.usefixtures("required")
def test_approving_a_plan_needs_a_strong_sign_in_too(client, personas):
    signed = planned_assessment(
        council=personas.council_a, lead=personas.lead_a, owner=personas.officer_a, scores="2.0"
    )
    url = reverse("plans:approve", args=["E06000001", signed.round.slug])
    client.force_login(personas.executive_a)

    response = client.get(url)

    assert path_and_next(response) == (reverse("accounts:two-factor-set-up"), url)


@pytest.mark.usefixtures("required")
@pytest.mark.parametrize("page", PAGES)
def test_the_reason_is_a_whole_sentence_in_the_readers_language(client, pages, page):
    """Each page's words finish "... before you ..." in Welsh, mutated as the sentence needs
    (accounts.two_factor.DOING): none is left in English."""
    user, url = pages[page]
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    with translation.override("cy"):
        welsh = {str(words) for words in DOING.values()}

    response = client.get(url, follow=True)

    [shown] = [str(message) for message in response.context["messages"]]
    assert shown.startswith("Gosodwch ap dilysu cyn i chi "), shown
    assert shown.removeprefix("Gosodwch ap dilysu cyn i chi ") in welsh, shown
