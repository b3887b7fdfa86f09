"""Who is emailed when, delivered to a real SMTP server (aiosmtpd)."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from accounts.models import CouncilRole
from accounts.tests.factories import CouncilMembershipFactory, UserFactory
from assessments import notices, services
from assessments.models import AuditEvent, RoundStatus
from assessments.tasks import send_reminders
from assessments.tests.factories import (
    AssessmentRoundFactory,
    dims,
    level,
    questions,
    small_framework,
    submitted_assessment,
)
from councils.tests.factories import CouncilFactory
from notifications.models import OutboxEmail

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(db):
    return AssessmentRoundFactory(
        framework=small_framework(dimensions=2, questions=2),
        closes_on=datetime.date(2027, 3, 31),
    )


@pytest.fixture
def sent(django_capture_on_commit_callbacks, smtp_server):
    """Run a change, let it commit, and give back the emails the SMTP server received."""

    def run(change, *args, **kwargs):
        before = len(smtp_server.messages)
        with django_capture_on_commit_callbacks(execute=True):
            change(*args, **kwargs)
        return smtp_server.messages[before:]

    return run


def recipients(messages) -> list[str]:
    return sorted(str(m["To"]) for m in messages)


def text(message) -> str:
    return message.get_body(("plain",)).get_content()


def answer_dimension(assessment, user, dimension, n=3):
    response = services.response_for(assessment=assessment, user=user)
    services.answers_save(
        response=response,
        dimension=dimension,
        answers={q.pk: level(n) for q in questions(dimension)},
    )


def test_a_submitted_assessment_asks_the_chief_executive_to_sign_off(personas, round_, sent):
    messages = sent(
        submitted_assessment, council=personas.council_a, round=round_, lead=personas.lead_a
    )

    assert recipients(messages) == ["ceo.a@hartlepool.example"]
    assessment = personas.council_a.assessments.get(round=round_)
    assert "waiting for your sign-off" in messages[0]["Subject"]
    assert reverse("assessments:sign-off", args=[assessment.pk]) in text(messages[0])


def test_a_returned_assessment_tells_the_lead_with_the_comment(personas, round_, sent):
    assessment = submitted_assessment(
        council=personas.council_a, round=round_, lead=personas.lead_a
    )

    messages = sent(
        services.assessment_return,
        assessment=assessment,
        by=personas.executive_a,
        comment="Check the cyber answers against the audit.",
    )

    assert recipients(messages) == ["lead.a@hartlepool.example"]
    assert '"Check the cyber answers against the audit."' in text(messages[0])
    assert reverse("assessments:agree", args=[assessment.pk]) in text(messages[0])


def test_sign_off_tells_the_whole_team_and_no_other_council(personas, round_, sent):
    assessment = submitted_assessment(
        council=personas.council_a, round=round_, lead=personas.lead_a
    )

    messages = sent(services.assessment_sign_off, assessment=assessment, by=personas.executive_a)

    assert recipients(messages) == [
        "ceo.a@hartlepool.example",
        "lead.a@hartlepool.example",
        "officer.a@hartlepool.example",
    ]
    assert all("results are ready" in m["Subject"] for m in messages)
    assert reverse("assessments:results", args=[assessment.pk]) in text(messages[0])


def test_the_same_occasion_twice_sends_one_email(personas, round_, sent):
    assessment = submitted_assessment(
        council=personas.council_a, round=round_, lead=personas.lead_a
    )
    event = AuditEvent.objects.filter(assessment=assessment).latest("pk")

    again = sent(notices.submitted, assessment, event)

    assert again == []
    assert OutboxEmail.objects.filter(key__startswith="sign-off-waiting:").count() == 1


def test_assigned_parts_are_emailed_to_the_officer_and_sending_them_tells_the_lead(
    personas, round_, sent
):
    assessment = services.assessment_start(
        council=personas.council_a, round=round_, by=personas.lead_a
    )
    first, second = dims(assessment)

    assigned = sent(
        services.assignments_set,
        assessment=assessment,
        dimension=first,
        users=[personas.officer_a],
        by=personas.lead_a,
    )
    assert recipients(assigned) == ["officer.a@hartlepool.example"]
    assert f"- {first.name}" in text(assigned[0])
    # Saving the same assignment again tells nobody again.
    assert (
        sent(
            services.assignments_set,
            assessment=assessment,
            dimension=first,
            users=[personas.officer_a],
            by=personas.lead_a,
        )
        == []
    )

    answer_dimension(assessment, personas.officer_a, first)
    answer_dimension(assessment, personas.officer_a, second)
    messages = sent(services.response_submit_for, assessment=assessment, user=personas.officer_a)

    subjects = sorted(m["Subject"] for m in messages)
    assert recipients(messages) == ["lead.a@hartlepool.example"] * 2
    assert subjects == [
        "Every assigned barrier in Hartlepool's assessment is answered",
        "Olivia Okafor has sent their answers for Hartlepool",
    ]


def test_a_round_opening_tells_every_councils_leads(personas, sent):
    lead_b = CouncilMembershipFactory(
        user=UserFactory(email="lead.b@middlesbrough.example", full_name="Lara Brown"),
        council=personas.council_b,
        role=CouncilRole.LEAD,
    ).user
    round_ = AssessmentRoundFactory(status=RoundStatus.UPCOMING)

    messages = sent(services.round_open, round=round_, by=personas.staff)

    assert recipients(messages) == ["lead.a@hartlepool.example", lead_b.email]
    assert all(
        f"The {round_.name} digital maturity round is open" == m["Subject"] for m in messages
    )


def test_each_lead_reads_the_round_and_council_named_in_their_language(personas, sent):
    """Words are worked when the outbox writes each email, so a staff member opening the round
    from an English page still names a Welsh council, and the round, in Welsh to its lead."""
    cardiff = CouncilFactory(
        gss_code="W06000015",
        name="City of Cardiff Council",
        short_name="Cardiff",
        name_cy="Cyngor Caerdydd",
        short_name_cy="Caerdydd",
    )
    welsh_lead = CouncilMembershipFactory(
        user=UserFactory(email="lead@caerdydd.example", language="cy"),
        council=cardiff,
        role=CouncilRole.LEAD,
    ).user
    round_ = AssessmentRoundFactory(
        name="2031 to 2032", name_cy="2031 i 2032", status=RoundStatus.UPCOMING
    )

    with translation.override("en-gb"):
        messages = sent(services.round_open, round=round_, by=personas.staff)

    by_reader = {str(m["To"]): text(m) for m in messages}
    welsh = " ".join(by_reader[welsh_lead.email].split())
    assert "Caerdydd" in welsh and "2031 i 2032" in welsh
    assert "Cardiff" not in welsh and "2031 to 2032" not in welsh
    english = " ".join(by_reader["lead.a@hartlepool.example"].split())
    assert "You can now start Hartlepool's assessment for 2031 to 2032" in english


# Reminders, on a clock stopped at chosen days ---------------------------------------------------


def remind_on(day: datetime.date, sent):
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(9)), tick=False):
        return sent(send_reminders)


def test_reminders_14_and_3_days_before_closing_say_what_is_left(personas, round_, sent):
    assessment = services.assessment_start(
        council=personas.council_a, round=round_, by=personas.lead_a
    )
    first, _second = dims(assessment)
    services.assignments_set(
        assessment=assessment, dimension=first, users=[personas.officer_a], by=personas.lead_a
    )

    messages = remind_on(datetime.date(2027, 3, 17), sent)

    by_person = {str(m["To"]): text(m) for m in messages}
    assert sorted(by_person) == ["lead.a@hartlepool.example", "officer.a@hartlepool.example"]
    assert f"Answer your barrier: {first.name}" in by_person["officer.a@hartlepool.example"]
    assert (
        "Agree the council's answers: 4 questions to go" in by_person["lead.a@hartlepool.example"]
    )
    assert "To stop reminder emails" in by_person["lead.a@hartlepool.example"]
    assert "in 14 days, on 31 March 2027" in messages[0]["Subject"]
    # The same day again (a retried job) sends nothing; a day between reminders neither.
    assert remind_on(datetime.date(2027, 3, 17), sent) == []
    assert remind_on(datetime.date(2027, 3, 20), sent) == []
    assert len(remind_on(datetime.date(2027, 3, 28), sent)) == 2


def test_nobody_with_nothing_left_or_who_turned_reminders_off_is_reminded(personas, round_, sent):
    submitted_assessment(council=personas.council_a, round=round_, lead=personas.lead_a)
    personas.executive_a.reminder_emails = False
    personas.executive_a.save()

    messages = remind_on(datetime.date(2027, 3, 28), sent)

    # The lead has submitted and the officer has nothing assigned: only the chief executive
    # has something left, and they turned reminders off. Council B has no lead to remind.
    assert messages == []
