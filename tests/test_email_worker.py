"""Outbox emails sent by a real Celery worker, fed through Redis, to a real SMTP server; and a
worker killed in the middle of sending loses nothing and sends once."""

import signal
import threading
import time

import pytest
from django.db import transaction

from notifications.models import OutboxEmail, OutboxStatus
from notifications.services import email_queue, outbox_drain

pytestmark = [pytest.mark.worker, pytest.mark.usefixtures("transactional_db")]

NOTICE = {
    "heading": "An assessment is waiting for your sign-off",
    "paragraphs": ["Check the answers, then sign it off."],
    "quote": "",
    "items": [],
    "link_text": "Review and sign off",
    "link_url": "http://127.0.0.1:8000/assessments/7/sign-off/",
}


def queue(person) -> OutboxEmail:
    with transaction.atomic():
        email_queue(
            key="sign-off-waiting:1",
            to=person,
            subject="Waiting for your sign-off",
            template="assessment_notice",
            context=NOTICE,
        )
    return OutboxEmail.objects.get()


def wait_until(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


def test_a_worker_sends_an_outbox_email_over_smtp(start_worker, smtp_server, personas):
    worker = start_worker(EMAIL_URL=smtp_server.url)
    try:
        email = queue(personas.executive_a)

        [message] = smtp_server.wait_for(1, timeout=60)
        assert message["To"] == "ceo.a@hartlepool.example"
        wait_until(lambda: OutboxEmail.objects.get(pk=email.pk).status == OutboxStatus.SENT)
    except BaseException:
        print(worker.output())
        raise


def test_a_worker_killed_mid_send_loses_nothing_and_sends_once(
    start_worker, smtp_server, personas, settings
):
    settings.EMAIL_DRAIN_AFTER = 0
    first = start_worker(EMAIL_URL=smtp_server.url, EMAIL_CLAIM_SECONDS="2")
    smtp_server.hold = threading.Event()
    try:
        email = queue(personas.executive_a)
        # The worker is in the middle of sending it: the server holds the message.
        assert smtp_server.holding.wait(timeout=60), first.output()
        first.process.send_signal(signal.SIGKILL)
        first.process.wait(timeout=30)
        smtp_server.hold.set()  # the half-sent message is refused, never delivered
        smtp_server.hold = None
        assert OutboxEmail.objects.get(pk=email.pk).status == OutboxStatus.SENDING
        assert smtp_server.messages == []

        start_worker(EMAIL_URL=smtp_server.url, EMAIL_CLAIM_SECONDS="2")
        # The killed worker's claim runs out; the every-minute drain sends it again.
        time.sleep(2.5)
        assert outbox_drain() == 1
        smtp_server.wait_for(1, timeout=60)
        wait_until(lambda: OutboxEmail.objects.get(pk=email.pk).status == OutboxStatus.SENT)
        assert outbox_drain() == 0
        time.sleep(1)
        assert len(smtp_server.messages) == 1
        assert OutboxEmail.objects.get(pk=email.pk).attempts == 2
    except BaseException:
        print(first.output())
        raise
    finally:
        if smtp_server.hold is not None:
            smtp_server.hold.set()
