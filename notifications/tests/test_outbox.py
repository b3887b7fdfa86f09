"""The outbox against a real SMTP server: stored with the change, sent once, never lost."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from notifications.models import OutboxEmail, OutboxStatus
from notifications.services import email_queue, email_send, outbox_drain

pytestmark = pytest.mark.django_db(transaction=True)

NOTICE = {
    "heading": "An assessment is waiting for your sign-off",
    "paragraphs": ["Check the answers, then sign it off."],
    "quote": "",
    "items": [],
    "link_text": "Review and sign off",
    "link_url": "http://127.0.0.1:8000/assessments/7/sign-off/",
}


def queue(person, key="sign-off-waiting:1", **extra) -> bool:
    with transaction.atomic():
        return email_queue(
            key=key,
            to=person,
            subject="Waiting for your sign-off",
            template="assessment_notice",
            context=NOTICE,
            **extra,
        )


def test_an_email_is_sent_after_the_commit_with_text_html_and_the_link(smtp_server, personas):
    assert queue(personas.executive_a) is True

    [message] = smtp_server.wait_for(1)
    assert message["To"] == "ceo.a@hartlepool.example"
    assert message["Subject"] == "Waiting for your sign-off"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Dear Eleanor Evans" in text
    assert "http://127.0.0.1:8000/assessments/7/sign-off/" in text
    assert 'href="http://127.0.0.1:8000/assessments/7/sign-off/"' in html
    assert "Review and sign off" in html
    email = OutboxEmail.objects.get()
    assert email.status == OutboxStatus.SENT and email.attempts == 1
    assert message["Message-ID"] == email.message_id


def test_the_same_occasion_is_stored_and_sent_once(smtp_server, personas):
    assert queue(personas.executive_a) is True
    assert queue(personas.executive_a) is False  # a double click, a retried job

    smtp_server.wait_for(1)
    assert email_send(outbox_id=OutboxEmail.objects.get().pk) is False  # a retried send
    assert outbox_drain() == 0
    assert len(smtp_server.messages) == 1
    assert OutboxEmail.objects.count() == 1


def test_nothing_is_stored_if_the_change_is_rolled_back(smtp_server, personas):
    with transaction.atomic():
        email_queue(
            key="returned:9",
            to=personas.lead_a,
            subject="Returned",
            template="assessment_notice",
            context=NOTICE,
        )
        transaction.set_rollback(True)

    assert not OutboxEmail.objects.exists()
    assert smtp_server.messages == []


def test_a_mail_server_that_refuses_loses_nothing_and_the_drain_sends_it_later(
    smtp_server, personas, settings
):
    settings.EMAIL_DRAIN_AFTER = 0
    smtp_server.refuse = True

    queue(personas.executive_a)  # its job fails and is logged; the request carries on

    email = OutboxEmail.objects.get()
    assert email.status == OutboxStatus.QUEUED and email.attempts == 1
    assert "451" in email.last_error
    smtp_server.refuse = False
    assert outbox_drain() == 1
    smtp_server.wait_for(1)
    email.refresh_from_db()
    assert email.status == OutboxStatus.SENT and email.attempts == 2
    assert len(smtp_server.messages) == 1


def test_an_email_that_keeps_failing_is_marked_failed(smtp_server, personas, settings):
    settings.EMAIL_DRAIN_AFTER = 0
    settings.EMAIL_MAX_ATTEMPTS = 2
    smtp_server.refuse = True

    queue(personas.executive_a)
    outbox_drain()

    email = OutboxEmail.objects.get()
    assert (email.status, email.attempts) == (OutboxStatus.FAILED, 2)
    assert outbox_drain() == 0


def test_a_killed_workers_claim_runs_out_and_the_email_is_sent_once(smtp_server, personas):
    smtp_server.refuse = True
    queue(personas.executive_a)
    # As a worker killed mid-send leaves it: claimed, its claim now run out.
    OutboxEmail.objects.update(
        status=OutboxStatus.SENDING, claimed_until=timezone.now() - timedelta(seconds=1)
    )
    smtp_server.refuse = False
    claimed_elsewhere = OutboxEmail.objects.get()

    assert email_send(outbox_id=claimed_elsewhere.pk) is True
    assert email_send(outbox_id=claimed_elsewhere.pk) is False
    assert len(smtp_server.wait_for(1)) == 1


def test_an_email_being_sent_by_another_worker_is_left_alone(smtp_server, personas):
    smtp_server.refuse = True
    queue(personas.executive_a)
    OutboxEmail.objects.update(
        status=OutboxStatus.SENDING, claimed_until=timezone.now() + timedelta(minutes=5)
    )

    assert email_send(outbox_id=OutboxEmail.objects.get().pk) is False


def test_reminders_respect_the_persons_choice(smtp_server, personas):
    personas.lead_a.reminder_emails = False
    personas.lead_a.save()

    assert queue(personas.lead_a, key="reminder:1:14", reminder=True) is False
    # An email asking them to act is still sent.
    assert queue(personas.lead_a, key="returned:3") is True
    assert [e.key for e in OutboxEmail.objects.all()] == [f"returned:3:user-{personas.lead_a.pk}"]


def test_a_reminder_says_how_to_stop_them(smtp_server, personas):
    queue(personas.lead_a, key="reminder:1:3", reminder=True)

    [message] = smtp_server.wait_for(1)
    assert "To stop reminder emails" in message.get_body(("plain",)).get_content()
    assert "/account/" in message.get_body(("html",)).get_content()
