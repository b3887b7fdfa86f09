"""The plan where people meet it: emails to owners (real SMTP), "Waiting for you", the
dashboard's "Add to plan" and "planned against achieved", and the results page."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from assessments import services as assessment_services
from assessments.tests.factories import submitted_assessment
from plans import services
from plans.models import Action
from plans.services import ActionInput
from plans.tasks import send_action_reminders
from portal.waiting import waiting_for

from .conftest import TODAY, first_target

pytestmark = pytest.mark.django_db


def _plan(planning, personas, *due):
    target = first_target(planning, personas.lead_a)
    for i, day in enumerate(due):
        services.action_add(
            target=target,
            by=personas.lead_a,
            values=ActionInput(f"Action {i}", personas.officer_a, "", day),
            today=TODAY,
        )
    return target


@pytest.fixture
def sent(django_capture_on_commit_callbacks, smtp_server):
    def run(day):
        before = len(smtp_server.messages)
        with time_machine.travel(datetime.datetime.combine(day, datetime.time(9, 10)), tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                send_action_reminders()
        return smtp_server.messages[before:]

    return run


def test_owners_hear_a_week_before_and_once_overdue_and_never_twice(planning, personas, sent):
    _plan(planning, personas, datetime.date(2026, 7, 10))

    assert sent(datetime.date(2026, 7, 2)) == []  # eight days before
    week = sent(datetime.date(2026, 7, 3))
    assert [m["To"] for m in week] == ["officer.a@hartlepool.example"]
    assert week[0]["Subject"] == "Due on 10 July 2026: an action in Hartlepool's improvement plan"
    body = week[0].get_body(("plain",)).get_content()
    assert "Action 0" in body and "/plans/E06000001/2025-2026/actions/" in body
    assert sent(datetime.date(2026, 7, 4)) == []  # already told
    late = sent(datetime.date(2026, 7, 11))
    assert [m["Subject"] for m in late] == ["Overdue: an action in Hartlepool's improvement plan"]
    assert sent(datetime.date(2026, 7, 12)) == []


def test_done_actions_and_owners_who_turned_reminders_off_hear_nothing(planning, personas, sent):
    target = _plan(planning, personas, datetime.date(2026, 7, 10))
    Action.objects.filter(target=target).update(status="done")
    assert sent(datetime.date(2026, 7, 11)) == []
    Action.objects.filter(target=target).update(status="in_progress")
    personas.officer_a.reminder_emails = False
    personas.officer_a.save()
    assert sent(datetime.date(2026, 7, 11)) == []


def test_waiting_for_you_lists_my_actions_and_a_plan_to_approve(planning, personas):
    _plan(planning, personas, datetime.date(2026, 7, 10), datetime.date(2026, 6, 5))
    with time_machine.travel(datetime.datetime(2026, 6, 20, 12, tzinfo=datetime.UTC), tick=False):
        mine = waiting_for(personas.officer_a)
        chief = waiting_for(personas.executive_a)
        other = waiting_for(personas.officer_b)
    assert [(w.text, w.overdue) for w in mine] == [
        ("Update your action: Action 1", True),
        ("Update your action: Action 0", False),
    ]
    assert [w.text for w in chief] == ["Approve Hartlepool's improvement plan for 2025 to 2026"]
    assert other == []


def test_waiting_for_you_costs_the_same_with_many_actions(
    planning, personas, django_assert_max_num_queries
):
    _plan(planning, personas, datetime.date(2026, 7, 10))
    with django_assert_max_num_queries(12) as few:
        waiting_for(personas.officer_a)
    _plan_more = [
        services.action_add(
            target=Action.objects.first().target,
            by=personas.lead_a,
            values=ActionInput(f"More {i}", personas.officer_a, "", datetime.date(2026, 8, 1)),
            today=TODAY,
        )
        for i in range(15)
    ]
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(waiting_for(personas.officer_a)) == 16


def test_results_page_offers_add_to_plan_to_the_lead_only(client, planning, personas):
    url = reverse("assessments:results", args=[planning.assessment.pk])
    add = reverse("plans:target-add", args=["E06000001", "2025-2026"])
    client.force_login(personas.lead_a)
    page = client.get(url).content.decode()
    assert f"{add}?question=DIM1-01" in page
    assert "Make or change the council's improvement plan" in page
    client.force_login(personas.officer_a)
    page = client.get(url).content.decode()
    assert add not in page and "Read the council's improvement plan" in page


def test_the_next_sign_off_shows_planned_against_achieved_on_the_dashboard(
    client, planning, personas
):
    _plan(planning, personas, datetime.date(2026, 7, 10))
    nxt = submitted_assessment(
        council=personas.council_a, round=planning.latest, lead=personas.lead_a, level=3
    )
    assessment_services.assessment_sign_off(assessment=nxt, by=personas.executive_a)
    client.force_login(personas.executive_a)
    page = client.get(
        reverse("benchmarks:council", args=["E06000001"]) + "?round=2026-2027"
    ).content.decode()
    assert "Planned against achieved" in page
    assert (
        "The 2025 to 2026 plan, checked against the 2026 to 2027 results: 1 of 1 target met."
        in page
    )


def test_the_lead_offers_to_share_and_withdraws(client, planning, personas):
    client.force_login(personas.lead_a)
    listing = reverse("plans:sharing", args=["E06000001"])
    assert "Not offered" in client.get(listing).content.decode()
    url = reverse("plans:sharing-change", args=["E06000001", "DIM1"])
    bad = client.post(url, {"contact_name": "Dee", "contact_email": "not an email"})
    assert "Enter an email address in the correct format" in bad.content.decode()
    saved = client.post(
        url,
        {
            "contact_name": "Dee Digital",
            "contact_email": "dee@hartlepool.example",
            "note": "Ask us",
        },
    )
    assert saved.status_code == 302
    assert "dee@hartlepool.example" in client.get(listing).content.decode()
    assert client.post(url, {"withdraw": "1"}).status_code == 302
    assert "Not offered" in client.get(listing).content.decode()
    assert (
        client.get(reverse("plans:sharing-change", args=["E06000001", "NOPE"])).status_code == 404
    )
    client.force_login(personas.officer_a)
    assert client.get(listing).status_code == 404


def test_an_owner_who_left_the_council_hears_nothing(planning, personas, sent):
    from accounts.models import CouncilMembership

    _plan(planning, personas, datetime.date(2026, 7, 10))
    CouncilMembership.objects.filter(user=personas.officer_a).delete()
    assert sent(datetime.date(2026, 7, 11)) == []
