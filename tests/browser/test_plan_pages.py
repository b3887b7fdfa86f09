"""Every plan page, as the person who uses it sees it: axe's WCAG 2.2 AA rules at desktop
width, and no sideways scrolling at 320 CSS px."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from assessments import services as assessment_services
from assessments.models import Dimension
from assessments.tests.factories import small_framework, submitted_assessment, two_rounds
from plans import services
from plans.services import ActionInput, TargetInput
from tests.browser.support import assert_accessible, signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def check(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, url
    page.set_viewport_size({"width": 1280, "height": 800})


def test_every_plan_page_passes_axe_and_reflows(page, live_server, personas):
    framework = small_framework(dimensions=2, questions=2)
    dimension = Dimension.objects.for_framework(framework).first()
    earlier, latest = two_rounds(framework)
    first = submitted_assessment(
        council=personas.council_a, round=earlier, lead=personas.lead_a, level=2
    )
    assessment_services.assessment_sign_off(assessment=first, by=personas.executive_a)
    today = datetime.date(2025, 6, 1)
    target = services.target_add(
        assessment=first,
        by=personas.lead_a,
        dimension=dimension,
        question=None,
        values=TargetInput(4, latest, None),
        first_action=ActionInput(
            "Agree a data sharing protocol with the integrated care board and the police, "
            "so that officers can share what they need to",
            personas.officer_a,
            "",
            datetime.date(2025, 9, 1),
        ),
        today=today,
    )
    services.plan_approve(plan=target.plan, by=personas.executive_a)
    action = target.actions.get()
    services.action_progress(
        action=action,
        by=personas.officer_a,
        status="blocked",
        blocked_reason="Waiting for the legal team",
        note="Draft sent to the board",
        expected_version=1,
    )
    services.sharing_offer_save(
        council=personas.council_a,
        dimension_code=dimension.code,
        contact_name="Digital team",
        contact_email="digital@hartlepool.example",
        note="We rebuilt our data sharing in a year.",
        by=personas.lead_a,
    )
    second = submitted_assessment(
        council=personas.council_a, round=latest, lead=personas.lead_a, level=3
    )
    assessment_services.assessment_sign_off(assessment=second, by=personas.executive_a)
    new_target = services.target_add(
        assessment=second,
        by=personas.lead_a,
        dimension=dimension,
        question=None,
        values=TargetInput(4, None, timezone.localdate() + datetime.timedelta(days=400)),
        first_action=ActionInput(
            "Publish the council's data sharing register",
            None,
            "Head of Information Governance",
            timezone.localdate() + datetime.timedelta(days=90),
        ),
        today=timezone.localdate(),
    )

    def url(name: str, slug: str, *args: object) -> str:
        return live_server.url + reverse(name, args=["E06000001", slug, *args])

    signed_in_page(page, live_server, personas.lead_a)
    for address in (
        url("plans:plan", earlier.slug),
        url("plans:plan", earlier.slug) + "?status=blocked",
        url("plans:history", earlier.slug),
        url("plans:plan", latest.slug),
        url("plans:target-add", latest.slug),
        url("plans:target-add", latest.slug) + f"?dimension={dimension.code}",
        url("plans:target-change", latest.slug, new_target.pk),
        url("plans:target-remove", latest.slug, new_target.pk),
        url("plans:action-change", latest.slug, new_target.actions.get().pk),
        url("plans:action-remove", latest.slug, new_target.actions.get().pk),
        url("plans:carry", latest.slug),
        live_server.url + reverse("plans:sharing", args=["E06000001"]),
        live_server.url + reverse("plans:sharing-change", args=["E06000001", dimension.code]),
    ):
        check(page, address)
    page.get_by_role("button", name="Sign out").click()

    signed_in_page(page, live_server, personas.officer_b)
    check(page, live_server.url + reverse("plans:latest", args=["E06000002"]))
