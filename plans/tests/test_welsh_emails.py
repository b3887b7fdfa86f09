"""An action's reminder is written in its owner's language, through the real beat job and the
outbox, to a real SMTP server: Welsh for an owner who chose Cymraeg, English for one who chose
English, whatever language was active when the job ran."""

import datetime

import pytest
import time_machine
from django.utils import formats, translation

from plans import services
from plans.services import ActionInput
from plans.tasks import send_action_reminders

from .conftest import TODAY, first_target

with translation.override("cy"):
    # The month's name comes from Django's own Welsh catalogue.
    JULY_10 = formats.date_format(datetime.date(2026, 7, 10), "j F Y")

pytestmark = pytest.mark.django_db


def test_each_owner_reads_their_reminder_in_their_language(
    planning, personas, smtp_server, django_capture_on_commit_callbacks
):
    personas.officer_a.language = "cy"
    personas.officer_a.save()
    personas.lead_a.language = "en-gb"
    personas.lead_a.save()
    planning.dimensions[0].name_cy = "Arweinyddiaeth a strategaeth"
    planning.dimensions[0].save()
    target = first_target(planning, personas.lead_a)
    for owner in (personas.officer_a, personas.lead_a):
        services.action_add(
            target=target,
            by=personas.lead_a,
            values=ActionInput(f"Action for {owner.email}", owner, "", datetime.date(2026, 7, 10)),
            today=TODAY,
        )

    day = datetime.datetime(2026, 7, 3, 9, 10, tzinfo=datetime.UTC)
    with time_machine.travel(day, tick=False), translation.override("cy"):
        with django_capture_on_commit_callbacks(execute=True):
            assert send_action_reminders() == 2

    messages = {m["To"]: m for m in smtp_server.wait_for(2)}
    welsh = messages["officer.a@hartlepool.example"]
    assert welsh["Subject"] == f"Erbyn {JULY_10}: cam gweithredu yng nghynllun gwella Hartlepool"
    text = " ".join(welsh.get_body(("plain",)).get_content().split())
    assert f"Mae cam gweithredu rydych chi'n berchen arno i'w wneud erbyn {JULY_10}" in text
    assert f"(Arweinyddiaeth a strategaeth) i'w wneud erbyn {JULY_10}" in text
    assert "Diweddaru eich cam gweithredu" in text
    assert "Action for officer.a@hartlepool.example" in text  # what the council typed, as typed

    english = messages["lead.a@hartlepool.example"]
    assert english["Subject"] == "Due on 10 July 2026: an action in Hartlepool's improvement plan"
    text = " ".join(english.get_body(("plain",)).get_content().split())
    assert "An action you own is due on 10 July 2026" in text
    assert f"({planning.dimensions[0].name_en}) is due on 10 July 2026" in text
    assert "Update your action" in text
