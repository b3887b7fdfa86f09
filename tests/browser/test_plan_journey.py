"""From score to plan, in a browser: the chief executive signs off; the lead adds two
priorities from the dashboard to the plan and a third action; the chief executive approves;
the owner updates progress from "Waiting for you"; the next round is signed off and the
dashboard shows what was planned against what was achieved. axe on every page."""

import datetime
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from assessments import services as assessment_services
from assessments.models import Dimension
from assessments.tests.factories import (
    scored_assessment,
    small_framework,
    submitted_assessment,
    two_rounds,
)
from benchmarks.models import PeerGroupKind
from benchmarks.releases import release_make
from benchmarks.services import benchmarks_rebuild
from benchmarks.tests.factories import make_group
from councils.tests.factories import CouncilFactory
from plans.models import ActionStatus, Outcome, Plan
from tests.browser.support import assert_accessible, signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("h1")).to_have_text("You have signed out")


def release(*rounds) -> None:
    """What the worker and the daily release job do after a sign-off."""
    for round_ in rounds:
        benchmarks_rebuild(round_id=round_.pk)
        release_make(round_id=round_.pk)


def fill_date(page: Page, legend: str, day: datetime.date) -> None:
    group = page.locator("fieldset", has_text=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_from_sign_off_to_planned_against_achieved(
    page, live_server, personas, settings, poppler, tmp_path
):
    settings.BENCHMARK_MIN_GROUP = 3
    framework = small_framework(dimensions=3, questions=2)
    dimensions = list(Dimension.objects.for_framework(framework))
    earlier, latest = two_rounds(framework)
    others = [CouncilFactory(name=f"Other Council {n}", short_name=f"Other{n}") for n in range(4)]
    for council in others:
        for round_ in (earlier, latest):
            scored_assessment(council=council, round=round_, scores={d: "3.5" for d in dimensions})
    make_group(
        "neighbours-a",
        PeerGroupKind.NEAREST_NEIGHBOURS,
        [personas.council_a, *others],
        owner=personas.council_a,
        name="Hartlepool and its nearest neighbours",
    )
    assessment = submitted_assessment(
        council=personas.council_a, round=earlier, lead=personas.lead_a, level=2
    )

    # The chief executive signs off.
    signed_in_page(page, live_server, personas.executive_a)
    page.goto(live_server.url + reverse("assessments:sign-off", args=[assessment.pk]))
    page.get_by_role("button", name="Approve and sign off").click()
    expect(page.locator("h1")).to_have_text("Results")
    assert_accessible(page)
    sign_out(page)
    release(earlier)

    # The lead adds the first two priorities to the plan from the dashboard.
    signed_in_page(page, live_server, personas.lead_a)
    page.get_by_role("link", name="Benchmarks", exact=True).click()
    expect(page.locator("h1")).to_have_text("How your council compares")
    assert_accessible(page)
    for n, dimension in enumerate(dimensions[:2]):
        page.get_by_role("link", name=f"Add to plan for {dimension.name}", exact=True).click()
        expect(page.locator("h1")).to_have_text("Add to the plan")
        expect(page.get_by_label("Level 3 (Defined)")).to_be_checked()
        assert_accessible(page)
        page.get_by_label("Owner", exact=True).select_option(label="Olivia Okafor")
        fill_date(page, "Due date", timezone.localdate() + datetime.timedelta(days=30 + n))
        page.get_by_role("button", name="Add to the plan").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("Added to the plan")
        assert_accessible(page)
        page.goto(live_server.url + reverse("benchmarks:council", args=["E06000001"]))

    # A third action, owned outside the portal; a date in the past is refused first.
    page.goto(live_server.url + reverse("plans:plan", args=["E06000001", earlier.slug]))
    page.get_by_role("link", name=f"Add an action to {dimensions[0].name}").click()
    page.get_by_label("What will be done").fill("Brief the cabinet member for digital")
    page.get_by_label("Owner", exact=True).select_option(
        label="Someone outside the portal (name the role below)"
    )
    page.get_by_label("Role outside the portal (optional)").fill("Head of Policy")
    fill_date(page, "Due date", datetime.date(2020, 1, 1))
    page.get_by_role("button", name="Save the action").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The due date must be today or in the future"
    )
    assert_accessible(page)
    fill_date(page, "Due date", timezone.localdate() + datetime.timedelta(days=60))
    page.get_by_role("button", name="Save the action").click()
    expect(page.locator("main")).to_contain_text("Brief the cabinet member for digital")
    assert_accessible(page)
    sign_out(page)

    # The chief executive approves from "Waiting for you".
    signed_in_page(page, live_server, personas.executive_a)
    page.get_by_role("link", name="Approve Hartlepool's improvement plan").click()
    expect(page.locator("h1")).to_have_text("Approve the plan")
    assert_accessible(page)
    page.get_by_role("button", name="Approve the plan").click()
    expect(page.locator("main")).to_contain_text("Approved")
    sign_out(page)

    # The owner updates progress on their action from "Waiting for you".
    signed_in_page(page, live_server, personas.officer_a)
    page.get_by_role("link", name="Update your action").first.click()
    expect(page.locator("h1")).to_have_text("Update progress")
    assert_accessible(page)
    page.get_by_role("radio", name="Blocked").check()
    page.get_by_role("button", name="Save the update").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say what is blocking the action")
    assert_accessible(page)
    page.get_by_role("radio", name="In progress").check()
    page.get_by_label("What has happened since the last update?").fill("Met the IT team")
    page.get_by_role("button", name="Save the update").click()
    expect(page.locator("main")).to_contain_text("Met the IT team")
    assert_accessible(page)
    sign_out(page)

    plan = Plan.objects.get(assessment=assessment)
    assert plan.is_approved and plan.actions.count() == 3
    assert plan.actions.filter(status=ActionStatus.IN_PROGRESS).count() == 1

    # The next round is signed off at level 3: both barrier targets are met.
    nxt = submitted_assessment(
        council=personas.council_a, round=latest, lead=personas.lead_a, level=3
    )
    assessment_services.assessment_sign_off(assessment=nxt, by=personas.executive_a)
    release(latest)
    assert set(plan.targets.values_list("outcome", flat=True)) == {Outcome.MET}

    signed_in_page(page, live_server, personas.executive_a)
    page.get_by_role("link", name="Benchmarks", exact=True).click()
    planned = page.locator("main")
    expect(planned).to_contain_text("Planned against achieved")
    expect(planned).to_contain_text(
        f"The {earlier.name} plan, checked against the {latest.name} results: 2 of 2 targets met."
    )
    assert_accessible(page)
    page.goto(live_server.url + reverse("plans:plan", args=["E06000001", earlier.slug]))
    expect(page.locator("main")).to_contain_text(f"Checked against {latest.name}")
    assert_accessible(page)

    # The council report says the same, read back from the PDF with pdftotext.
    page.goto(live_server.url + reverse("reports:council", args=["E06000001"]))
    page.get_by_label("Council report", exact=False).check()
    page.get_by_role("button", name="Make the report").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("Your report is ready")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report").click()
    pdf = tmp_path / "report.pdf"
    download.value.save_as(pdf)
    text = " ".join(
        subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
            capture_output=True,
            check=True,
            text=True,
            timeout=60,
        ).stdout.split()
    )
    assert "What we planned and what we achieved" in text
    assert "2 of 2 targets met" in text
