"""A council's own data, in Chromium with axe on every page: the lead makes an API token, sees
it once and reads the API with it, then revokes it; the chief executive downloads the council's
data; an officer downloads theirs and asks to be erased, and staff erase them."""

import json
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import User
from assessments import services as assessment_services
from assessments.tests.factories import (
    AssessmentRoundFactory,
    answered_assessment,
    dims,
    level,
)
from tests.browser.support import assert_accessible, signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_the_lead_makes_a_token_reads_the_api_with_it_and_revokes_it(page, live_server, personas):
    signed_in_page(page, live_server, personas.lead_a)
    page.goto(live_server.url + reverse("accounts:team", args=["E06000001"]))
    page.get_by_role("link", name="API tokens").click()
    assert_accessible(page)
    page.get_by_role("button", name="Create a token").click()
    page.get_by_role("button", name="Create token").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a name for the token")
    assert_accessible(page)
    page.get_by_label("Name").fill("Power BI board report")
    page.get_by_label("90 days").check()
    page.get_by_role("button", name="Create token").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("Token created")
    assert_accessible(page)
    token = page.locator("#new-token").inner_text()

    answer = page.request.get(
        live_server.url + reverse("api:council"), headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status == 200 and json.loads(answer.body())["gss_code"] == "E06000001"

    page.reload()
    expect(page.locator("#new-token")).to_have_count(0)
    page.get_by_role("link", name="Revoke Power BI board report").click()
    assert_accessible(page)
    page.get_by_role("button", name="Revoke token").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("no longer works")
    refused = page.request.get(
        live_server.url + reverse("api:council"), headers={"Authorization": f"Bearer {token}"}
    )
    assert refused.status == 401


def test_an_officer_asks_to_be_erased_and_staff_erase_them(page, live_server, personas):
    assessment = answered_assessment(
        council=personas.council_a,
        lead=personas.lead_a,
        officer=personas.officer_a,
        answer=level(2),
    )
    first = dims(assessment)[0]

    signed_in_page(page, live_server, personas.officer_a)
    page.goto(live_server.url + reverse("accounts:account"))
    page.get_by_role("link", name="Download everything the portal holds about you").click()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download your data as JSON").click()
    held = json.loads(open(download.value.path()).read())
    assert held["your_answers"][0]["level"] == 2
    page.get_by_role("link", name="ask for your account to be erased").click()
    assert_accessible(page)
    page.get_by_role("button", name="Ask for my account to be erased").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("asked for your account")
    page.get_by_role("button", name="Sign out").first.click()

    signed_in_page(page, live_server, personas.staff)
    page.goto(live_server.url + reverse("accounts:erasure-requests"))
    assert_accessible(page)
    page.get_by_role("link", name="Erase Olivia Okafor").click()
    assert_accessible(page)
    page.get_by_label("Type their email address to confirm").fill(personas.officer_a.email)
    page.get_by_role("button", name="Erase this account").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("erased")
    assert_accessible(page)
    assert not User.objects.filter(email=personas.officer_a.email).exists()
    page.get_by_role("button", name="Sign out").first.click()

    signed_in_page(page, live_server, personas.lead_a)
    page.goto(
        live_server.url + reverse("assessments:agree-dimension", args=[assessment.pk, first.code])
    )
    expect(page.locator("main")).to_contain_text("Former officer 1")
    expect(page.locator("main")).not_to_contain_text("Olivia Okafor")
    assert_accessible(page)


def test_the_chief_executive_downloads_the_councils_data(page, live_server, personas):
    round_ = AssessmentRoundFactory()
    assessment_services.assessment_start(
        council=personas.council_a, round=round_, by=personas.lead_a
    )
    signed_in_page(page, live_server, personas.executive_a)
    page.goto(live_server.url + reverse("reports:council", args=["E06000001"]))
    page.get_by_role("link", name=re.compile("download your council's data")).click()
    expect(page.locator("h1")).to_contain_text("Your council's data")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download everything (Excel, XLSX)").click()
    assert download.value.suggested_filename.endswith("-all.xlsx")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download agreed answers (CSV)").click()
    first_line = open(download.value.path()).readline().strip()
    assert first_line.startswith("round,barrier_code,barrier,question_code")
