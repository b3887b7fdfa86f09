"""Rounds keep their own dates, and staff manage them on portal pages."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from assessments import services
from assessments.models import AssessmentRound, RoundStatus
from assessments.tasks import apply_round_dates
from assessments.tests.factories import AssessmentRoundFactory, scored_assessment, small_framework
from notifications.models import OutboxEmail

pytestmark = pytest.mark.django_db


def on(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(0, 5)), tick=False)


def refresh(round_: AssessmentRound) -> str:
    round_.refresh_from_db()
    return round_.status


@pytest.fixture
def upcoming(db):
    return AssessmentRoundFactory(
        status=RoundStatus.UPCOMING,
        opens_on=datetime.date(2027, 4, 1),
        closes_on=datetime.date(2028, 3, 31),
    )


def test_a_round_opens_on_its_date_and_closes_after_its_last_day(personas, upcoming):
    with on(datetime.date(2027, 3, 31)):
        apply_round_dates()
    assert refresh(upcoming) == RoundStatus.UPCOMING

    with on(datetime.date(2027, 4, 1)):
        assert apply_round_dates() == {"opened": [upcoming.slug], "closed": []}
        assert apply_round_dates() == {"opened": [], "closed": []}  # twice is the same as once
    assert refresh(upcoming) == RoundStatus.OPEN
    assert OutboxEmail.objects.filter(key__startswith="round-opened:").count() == 1  # lead_a

    with on(datetime.date(2028, 3, 31)):
        apply_round_dates()
    assert refresh(upcoming) == RoundStatus.OPEN  # the closing date is the last day to answer
    with on(datetime.date(2028, 4, 1)):
        assert apply_round_dates() == {"opened": [], "closed": [upcoming.slug]}
    assert refresh(upcoming) == RoundStatus.CLOSED


def test_a_round_whose_dates_have_passed_is_not_opened_late(personas, upcoming):
    with on(datetime.date(2028, 4, 2)):
        assert apply_round_dates() == {"opened": [], "closed": []}
    assert refresh(upcoming) == RoundStatus.UPCOMING


def test_opening_early_or_beside_another_open_round_needs_confirming(personas, upcoming):
    AssessmentRoundFactory(name="2026 to 2027 (open)", slug="open-one", status=RoundStatus.OPEN)

    with on(datetime.date(2027, 1, 15)):
        with pytest.raises(services.NeedsConfirmation) as refused:
            services.round_open(round=upcoming, by=personas.staff)
        assert len(refused.value.reasons) == 2
        assert refresh(upcoming) == RoundStatus.UPCOMING
        services.round_open(round=upcoming, by=personas.staff, confirmed=True)
    assert refresh(upcoming) == RoundStatus.OPEN


def test_staff_open_a_round_on_its_confirmation_page(client, personas, upcoming):
    AssessmentRoundFactory(name="Open already", slug="open-already", status=RoundStatus.OPEN)
    url = reverse("rounds:open", args=[upcoming.slug])

    with on(datetime.date(2027, 3, 30)):
        client.force_login(personas.staff)
        page = client.get(url).content.decode()
        refused = client.post(url)
        opened = client.post(url, {"confirm": "on"})

    assert "Another round is open (Open already)" in page
    assert refused.status_code == 200
    assert "Confirm that you want to go ahead" in refused.content.decode()
    assert opened.status_code == 302
    assert refresh(upcoming) == RoundStatus.OPEN


def test_a_round_with_results_cannot_be_deleted(client, personas):
    framework = small_framework(dimensions=1, questions=1)
    round_ = AssessmentRoundFactory(framework=framework)
    dimension = framework.dimensions.get()
    scored_assessment(council=personas.council_a, round=round_, scores={dimension: "3.0"})
    client.force_login(personas.staff)
    url = reverse("rounds:delete", args=[round_.slug])

    page = client.get(url).content.decode()
    response = client.post(url)

    assert "1 council has started this round, so it cannot be deleted" in page
    assert response.status_code == 200
    assert AssessmentRound.objects.filter(pk=round_.pk).exists()
    with pytest.raises(services.AssessmentError):
        services.round_delete(round=round_, by=personas.staff)


def test_a_round_nobody_started_can_be_deleted(client, personas, upcoming):
    client.force_login(personas.staff)

    response = client.post(reverse("rounds:delete", args=[upcoming.slug]))

    assert response.status_code == 302
    assert not AssessmentRound.objects.filter(pk=upcoming.pk).exists()


def test_staff_create_a_round_with_gov_uk_date_inputs(client, personas, upcoming):
    client.force_login(personas.staff)
    data = {
        "name": "2028 to 2029",
        "name_cy": "2028 i 2029",
        "framework": upcoming.framework_id,
        "opens_on_0": "1",
        "opens_on_1": "4",
        "opens_on_2": "2028",
        "closes_on_0": "31",
        "closes_on_1": "3",
        "closes_on_2": "2028",
    }

    backwards = client.post(reverse("rounds:create"), data)
    data["closes_on_2"] = "2029"
    created = client.post(reverse("rounds:create"), data)

    assert backwards.status_code == 200
    html = backwards.content.decode()
    assert "The closing date must be on or after the opening date" in html
    assert 'href="#id_closes_on_0"' in html
    assert created.status_code == 302
    made = AssessmentRound.objects.get(slug="2028-to-2029")
    assert (made.name_en, made.name_cy, made.opens_on, made.closes_on, made.status) == (
        "2028 to 2029",
        "2028 i 2029",
        datetime.date(2028, 4, 1),
        datetime.date(2029, 3, 31),
        RoundStatus.UPCOMING,
    )


def test_a_round_needs_a_welsh_name_of_its_own(client, personas, upcoming):
    AssessmentRoundFactory(name="2030 to 2031", name_cy="2030 i 2031", slug="2030-to-2031")
    client.force_login(personas.staff)
    data = {
        "name": "2028 to 2029",
        "framework": upcoming.framework_id,
        "opens_on_0": "1",
        "opens_on_1": "4",
        "opens_on_2": "2028",
        "closes_on_0": "31",
        "closes_on_1": "3",
        "closes_on_2": "2029",
    }

    missing = client.post(reverse("rounds:create"), data).content.decode()
    taken = client.post(reverse("rounds:create"), {**data, "name_cy": "2030 i 2031"})

    assert "Enter the round&#x27;s name in Welsh" in missing
    assert 'href="#id_name_cy"' in missing
    assert "Another round has this Welsh name: choose another" in taken.content.decode()
    assert not AssessmentRound.objects.filter(slug="2028-to-2029").exists()


def test_a_round_is_named_in_the_readers_language(db):
    named = AssessmentRoundFactory(name="2027 to 2028", name_cy="2027 i 2028", slug="2027-28")
    unnamed = AssessmentRoundFactory(name="2031 to 2032", name_cy="", slug="2031-32")

    with translation.override("cy"):
        assert (named.name, str(named), unnamed.name) == (
            "2027 i 2028",
            "2027 i 2028",
            "2031 to 2032",
        )
    assert named.name == "2027 to 2028"


def test_a_bad_date_is_a_clear_error(client, personas, upcoming):
    client.force_login(personas.staff)
    response = client.post(
        reverse("rounds:edit", args=[upcoming.slug]),
        {
            "name": upcoming.name,
            "name_cy": upcoming.name_cy,
            "framework": upcoming.framework_id,
            "opens_on_0": "31",
            "opens_on_1": "2",
            "opens_on_2": "2027",
            "closes_on_0": "",
            "closes_on_1": "",
            "closes_on_2": "",
        },
    )

    assert response.status_code == 200
    assert "Enter the closing date" in response.content.decode()
    upcoming.refresh_from_db()
    assert upcoming.opens_on == datetime.date(2027, 4, 1)


@pytest.mark.parametrize("persona", ["officer_a", "lead_a", "executive_a", "analyst"])
def test_only_staff_manage_rounds(client, personas, upcoming, persona):
    client.force_login(getattr(personas, persona))

    for name in ("open", "close", "delete", "edit"):
        url = reverse(f"rounds:{name}", args=[upcoming.slug])
        assert client.get(url).status_code == 404
        assert client.post(url, {"confirm": "on"}).status_code == 404
    assert client.get(reverse("rounds:index")).status_code == 404
    assert refresh(upcoming) == RoundStatus.UPCOMING
