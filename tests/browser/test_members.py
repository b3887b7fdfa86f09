"""A lead changes a member's role in a real browser, and is stopped from leaving no lead."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import CouncilMembership, CouncilRole
from tests.browser.support import assert_accessible, signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_lead_changes_a_role_and_cannot_demote_the_last_lead(page, live_server, personas):
    signed_in_page(page, live_server, personas.lead_a, personas.password)
    page.goto(live_server.url + reverse("accounts:team", args=[personas.council_a.gss_code]))

    officer = str(personas.officer_a)
    page.get_by_role("link", name=f"Change role or remove {officer}").click()
    expect(page.locator("h1")).to_have_text(f"Change role or remove {officer}")
    expect(page.get_by_label("Officer", exact=True)).to_be_checked()
    assert_accessible(page)

    page.get_by_label("Chief executive", exact=True).check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"{officer} is now a chief executive"
    )
    expect(page.locator("h1")).to_have_text("Your council's team")
    assert_accessible(page)
    assert CouncilMembership.objects.get(user=personas.officer_a).role == CouncilRole.EXECUTIVE

    # The only lead tries to step down: refused, with nothing changed.
    lead = str(personas.lead_a)
    page.get_by_role("link", name=f"Change role or remove {lead}").click()
    page.get_by_label("Officer", exact=True).check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Hartlepool must have at least one assessment lead. Make someone else a lead first."
    )
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    assert CouncilMembership.objects.get(user=personas.lead_a).role == CouncilRole.LEAD
