"""The plan's pages as each persona sees them."""

import csv
import datetime
import io
import re

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from plans import services
from plans.models import Action, ActionStatus, Plan, PlanEventAction, Target
from plans.services import ActionInput, TargetInput

from .conftest import TODAY, first_target

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 6, 1, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


def _url(planning, name="plans:plan", *args):
    return reverse(name, args=["E06000001", planning.earlier.slug, *args])


def _date(prefix, d):
    return {f"{prefix}_0": str(d.day), f"{prefix}_1": str(d.month), f"{prefix}_2": str(d.year)}


def _add_form(planning, personas, **extra):
    return {
        "dimension": planning.dimensions[0].code,
        "target_level": "3",
        "target_round": str(planning.latest.pk),
        "action_description": "Agree a data sharing protocol",
        "action_owner": str(personas.officer_a.pk),
        "action_owner_name": "",
        **_date("action_due_on", datetime.date(2026, 9, 30)),
        **extra,
    }


def _plan_with_actions(planning, personas, n=1):
    target = first_target(planning, personas.lead_a)
    for i in range(n):
        services.action_add(
            target=target,
            by=personas.lead_a,
            values=ActionInput(
                f"Action {i}",
                personas.officer_a if i % 2 == 0 else None,
                "" if i % 2 == 0 else "Head of IT",
                datetime.date(2026, 7, 1 + i % 28),
            ),
            today=TODAY,
        )
    return target


def test_add_to_plan_prefills_the_next_level_and_its_wording(client, planning, personas):
    client.force_login(personas.lead_a)
    question = planning.questions[0]
    page = client.get(_url(planning, "plans:target-add") + f"?question={question.code}")
    body = page.content.decode()
    assert page.status_code == 200
    # Level 2 now, so level 3 is suggested, with its descriptor (small_framework's wording).
    assert re.search(r'value="3"\s+checked', body)
    assert re.search(r'name="action_description"[^>]*>\s*Level 3</textarea>', body)


def test_the_lead_adds_a_target_and_the_plan_page_shows_it(client, planning, personas):
    client.force_login(personas.lead_a)
    response = client.post(_url(planning, "plans:target-add"), _add_form(planning, personas))
    assert response.status_code == 302 and response["Location"] == _url(planning)
    page = client.get(_url(planning)).content.decode()
    assert "Barrier 1" in page and "Agree a data sharing protocol" in page
    assert "Olivia Okafor" in page and "Draft" in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_date("action_due_on", datetime.date(2026, 5, 1)), "The due date must be today or in"),
        ({"action_owner": "999999"}, "Choose an owner from the list"),
        ({"action_owner": "", "action_owner_name": ""}, "Name the role outside the portal"),
        ({"target_level": "2"}, "Choose a level from the list"),
        ({"target_level": "9"}, "Choose a level from the list"),
        (
            {"target_round": "", **_date("target_date", datetime.date(2026, 1, 1))},
            "must be in the future",
        ),
        ({"target_round": ""}, "Choose the round to reach the target by, or enter a date"),
        (
            {"target_date_0": "31", "target_date_1": "2", "target_date_2": "2027"},
            "Enter the target date as a real date",
        ),
        ({"action_description": ""}, "Enter what will be done"),
    ],
)
def test_bad_input_is_a_clear_error_and_saves_nothing(client, planning, personas, change, message):
    client.force_login(personas.lead_a)
    response = client.post(
        _url(planning, "plans:target-add"), _add_form(planning, personas, **change)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Target.objects.exists()


def test_an_owner_from_another_council_is_not_offered_and_is_refused(client, planning, personas):
    client.force_login(personas.lead_a)
    page = client.get(_url(planning, "plans:target-add") + "?dimension=DIM1").content.decode()
    assert "Omar Bashir" not in page
    response = client.post(
        _url(planning, "plans:target-add"),
        _add_form(planning, personas, action_owner=str(personas.officer_b.pk)),
    )
    assert "Choose an owner from the list" in response.content.decode()


@pytest.mark.parametrize("who", ["officer_a", "executive_a", "officer_b", "analyst"])
def test_only_the_lead_reaches_the_drafting_pages(client, planning, personas, who):
    target = _plan_with_actions(planning, personas)
    action = target.actions.get()
    client.force_login(getattr(personas, who))
    for url in (
        _url(planning, "plans:target-add"),
        _url(planning, "plans:target-change", target.pk),
        _url(planning, "plans:target-remove", target.pk),
        _url(planning, "plans:action-add", target.pk),
        _url(planning, "plans:action-change", action.pk),
        _url(planning, "plans:action-remove", action.pk),
    ):
        assert client.get(url).status_code == 404, url


def test_everyone_in_the_council_reads_the_plan_and_nobody_else(client, planning, personas):
    _plan_with_actions(planning, personas)
    for who in ("officer_a", "lead_a", "executive_a"):
        client.force_login(getattr(personas, who))
        assert client.get(_url(planning)).status_code == 200
        assert client.get(_url(planning, "plans:export-csv")).status_code == 200
    for who in ("officer_b", "analyst"):
        client.force_login(getattr(personas, who))
        assert client.get(_url(planning)).status_code == 404
        assert client.get(_url(planning, "plans:export-csv")).status_code == 404


def test_a_target_or_action_of_another_plan_is_a_404(client, planning, personas):
    target = _plan_with_actions(planning, personas)
    client.force_login(personas.lead_a)
    other_round = reverse(
        "plans:target-change", args=["E06000001", planning.latest.slug, target.pk]
    )
    assert client.get(other_round).status_code == 404  # not signed off in that round
    assert client.get(_url(planning, "plans:target-change", target.pk + 1000)).status_code == 404
    assert client.get(_url(planning, "plans:action-progress", 10**9)).status_code == 404


def test_the_owner_updates_progress_and_another_officer_cannot(client, planning, personas):
    target = _plan_with_actions(planning, personas)
    action = target.actions.get()
    client.force_login(personas.officer_a)
    url = _url(planning, "plans:action-progress", action.pk)
    response = client.post(
        url, {"status": "in_progress", "blocked_reason": "", "note": "Met IT", "version": "1"}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS
    stale = client.post(url, {"status": "done", "note": "", "version": "1"})
    assert "Someone else changed this" in stale.content.decode()
    client.force_login(personas.executive_a)
    assert client.get(url).status_code == 404


def test_the_chief_executive_approves(client, planning, personas):
    _plan_with_actions(planning, personas)
    client.force_login(personas.executive_a)
    page = client.get(_url(planning)).content.decode()
    assert "Review and approve the plan" in page
    response = client.post(_url(planning, "plans:approve"), {})
    assert response.status_code == 302
    assert Plan.objects.get().is_approved
    history = client.get(_url(planning, "plans:history")).content.decode()
    assert "Plan approved" in history and "Eleanor Evans" in history


def test_overdue_actions_are_highlighted_and_filters_work(client, planning, personas):
    target = _plan_with_actions(planning, personas, n=2)
    Action.objects.filter(description="Action 0").update(due_on=datetime.date(2026, 5, 1))
    client.force_login(personas.officer_a)
    page = client.get(_url(planning)).content.decode()
    assert "1 overdue" in page and "Overdue" in page
    only_it = client.get(_url(planning) + "?owner=name-Head+of+IT").content.decode()
    assert "Action 1" in only_it and "Action 0" not in only_it
    nonsense = client.get(_url(planning) + "?owner=x&status=nonsense")
    assert nonsense.status_code == 200 and "Action 0" in nonsense.content.decode()
    assert target


def test_the_plan_page_costs_the_same_queries_whatever_its_size(
    client, planning, personas, django_assert_max_num_queries
):
    target = _plan_with_actions(planning, personas, n=2)
    client.force_login(personas.officer_a)
    with django_assert_max_num_queries(20) as small:
        client.get(_url(planning))
    for i in range(30):
        services.action_progress(
            action=target.actions.first(),
            by=personas.lead_a,
            status="in_progress",
            blocked_reason="",
            note=f"note {i}",
            expected_version=i + 1,
        )
    _extra = [
        services.action_add(
            target=target,
            by=personas.lead_a,
            values=ActionInput(f"More {i}", personas.officer_a, "", datetime.date(2026, 8, 1)),
            today=TODAY,
        )
        for i in range(20)
    ]
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(_url(planning))


def test_exports_neutralise_formulas_and_keep_numbers(client, planning, personas):
    target = _plan_with_actions(planning, personas)
    Action.objects.filter(target=target).update(description="=HYPERLINK(1)")
    client.force_login(personas.officer_a)
    text = client.get(_url(planning, "plans:export-csv")).content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "Barrier" and rows[1][7] == "'=HYPERLINK(1)"
    assert rows[1][3] == "3"
    book = load_workbook(io.BytesIO(client.get(_url(planning, "plans:export-xlsx")).content))
    sheet = book.worksheets[0]
    values = [c.value for c in sheet[2]]
    assert values[7] == "'=HYPERLINK(1)" and values[3] == 3


def test_a_change_after_approval_is_shown_in_the_history(client, planning, personas):
    target = _plan_with_actions(planning, personas)
    services.plan_approve(plan=target.plan, by=personas.executive_a)
    client.force_login(personas.lead_a)
    response = client.post(
        _url(planning, "plans:target-change", target.pk),
        {"target_level": "4", "target_round": str(planning.latest.pk), "version": "1"},
    )
    assert response.status_code == 302
    history = client.get(_url(planning, "plans:history")).content.decode()
    assert "After approval" in history and "Target level: 3 to 4" in history
    assert target.plan.events.filter(action=PlanEventAction.TARGET_CHANGED).exists()


@pytest.mark.parametrize(
    ("who", "name", "needs"),
    [
        ("lead_a", "plans:plan", None),
        ("lead_a", "plans:target-add", None),
        ("lead_a", "plans:target-change", "target"),
        ("lead_a", "plans:action-add", "target"),
        ("lead_a", "plans:action-change", "action"),
        ("officer_a", "plans:action-progress", "action"),
        ("executive_a", "plans:approve", None),
        ("lead_a", "plans:history", None),
        ("officer_a", "plans:export-csv", None),
        ("officer_a", "plans:export-xlsx", None),
    ],
)
def test_every_plan_page_costs_the_same_whatever_the_plans_size(
    client, planning, personas, who, name, needs
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    target = _plan_with_actions(planning, personas, n=1)
    action = target.actions.get()
    args = {"target": [target.pk], "action": [action.pk], None: []}[needs]
    url = _url(planning, name, *args) + ("?dimension=DIM2" if name == "plans:target-add" else "")
    client.force_login(getattr(personas, who))

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    small = count()
    for i in range(12):
        services.action_add(
            target=target,
            by=personas.lead_a,
            values=ActionInput(f"More {i}", personas.officer_a, "", datetime.date(2026, 8, 1)),
            today=TODAY,
        )
        services.action_progress(
            action=action,
            by=personas.lead_a,
            status="in_progress",
            blocked_reason="",
            note=f"note {i}",
            expected_version=i + 1,
        )
    assert count() == small


def test_a_stale_target_change_shows_what_is_saved_now(client, planning, personas):
    target = _plan_with_actions(planning, personas)
    services.target_change(
        target=target,
        by=personas.lead_a,
        values=TargetInput(4, None, datetime.date(2027, 6, 30)),
        expected_version=1,
        today=TODAY,
    )
    client.force_login(personas.lead_a)
    page = client.post(
        _url(planning, "plans:target-change", target.pk),
        {"target_level": "5", "target_round": str(planning.latest.pk), "version": "1"},
    ).content.decode()
    assert "Someone else changed this" in page
    # The other person's change: level 4, by 30 June 2027, no round.
    assert re.search(r'value="4"\s+checked', page)
    assert 'name="target_date_0" value="30"' in page
    assert re.search(r'<option value=""\s+selected', page)
    assert 'name="version" value="2"' in page
