"""Queue and send emails through the outbox.

Guarantees: an email is stored with the change that causes it, or not at all; one per key and
person; sent after the commit by a job, and by a beat job every minute for any the broker
lost. Sending claims the row first (a conditional update), so two workers never send the same
email at once. A worker killed mid-send leaves its claim to expire, and the email is then sent
again: delivery is at least once. A duplicate is possible only if a worker dies after the mail
server accepted the email and before the row was marked sent; every attempt carries the same
Message-ID, so a mail system can recognise it.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise

from accounts.models import User
from core.queue import enqueue_after_commit

from .models import OutboxEmail, OutboxStatus

logger = logging.getLogger(__name__)

SEND_TASK = "notifications.tasks.send_email"


def email_queue(
    *,
    key: str,
    to: User,
    subject: str | Promise,
    template: str,
    context: dict[str, Any],
    reminder: bool = False,
) -> bool:
    """Store an email to `to` for this occasion (`key`) and send it once the caller's
    transaction commits. Renders notifications/email/<template>.txt and .html. Returns False
    if this occasion's email to this person exists already, or if it is a reminder and they
    turned reminders off.

    The subject and both bodies are rendered here, in the recipient's language
    (`to.written_in`), whoever's request or job queues the email: pass the subject and the
    context's words unworked, as `gettext_lazy` strings or `core.formatting.lazy_format(...)`,
    so they are translated now, for this reader."""
    if not to.is_active or (reminder and not to.reminder_emails):
        return False
    full_key = f"{key}:user-{to.pk}"
    if OutboxEmail.objects.filter(key=full_key).exists():
        return False
    with translation.override(to.written_in):
        values = {
            **context,
            "recipient": to,
            "reminder": reminder,
            "service_name": settings.SERVICE_NAME,
            "portal_url": settings.PORTAL_BASE_URL,
            "account_url": settings.PORTAL_BASE_URL + "/account/",
        }
        written = {
            "subject": str(subject),
            "text_body": render_to_string(f"notifications/email/{template}.txt", values),
            "html_body": render_to_string(f"notifications/email/{template}.html", values),
        }
    try:
        with transaction.atomic():
            email = OutboxEmail.objects.create(key=full_key, user=to, to_email=to.email, **written)
    except IntegrityError:
        # Another request stored it between the check and the insert.
        return False
    enqueue_after_commit(SEND_TASK, email.pk)
    return True


def _claim(outbox_id: int) -> OutboxEmail | None:
    now = timezone.now()
    claimed = (
        OutboxEmail.objects.claimable()
        .filter(pk=outbox_id)
        .update(
            status=OutboxStatus.SENDING,
            claimed_until=now + timedelta(seconds=settings.EMAIL_CLAIM_SECONDS),
            attempts=F("attempts") + 1,
        )
    )
    return OutboxEmail.objects.get(pk=outbox_id) if claimed == 1 else None


def email_send(*, outbox_id: int) -> bool:
    """Send one outbox email, unless it is sent or being sent already (False). A failure
    gives the claim back, records the error and re-raises, so the job is retried; after
    EMAIL_MAX_ATTEMPTS the email is marked failed and left for staff to see in the admin."""
    email = _claim(outbox_id)
    if email is None:
        return False
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text_body,
        to=[email.to_email],
        headers={"Message-ID": email.message_id},
    )
    message.attach_alternative(email.html_body, "text/html")
    try:
        message.send()
    except Exception as error:
        status = (
            OutboxStatus.FAILED
            if email.attempts >= settings.EMAIL_MAX_ATTEMPTS
            else OutboxStatus.QUEUED
        )
        OutboxEmail.objects.filter(pk=email.pk, status=OutboxStatus.SENDING).update(
            status=status, claimed_until=None, last_error=f"{type(error).__name__}: {error}"
        )
        raise
    OutboxEmail.objects.filter(pk=email.pk).update(
        status=OutboxStatus.SENT, sent_at=timezone.now(), claimed_until=None, last_error=""
    )
    return True


def outbox_drain() -> int:
    """Queue a send for every email still waiting: a broker that was down, a job that gave
    up, or a worker that was killed mid-send. Returns how many were queued."""
    waiting = list(
        OutboxEmail.objects.claimable()
        .filter(created_at__lt=timezone.now() - timedelta(seconds=settings.EMAIL_DRAIN_AFTER))
        .order_by("created_at")
        .values_list("pk", flat=True)[:500]
    )
    for outbox_id in waiting:
        enqueue_after_commit(SEND_TASK, outbox_id)
    return len(waiting)
