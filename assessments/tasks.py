from celery import shared_task
from django.utils import timezone

from . import notices


@shared_task
def send_reminders() -> int:
    """Daily: remind people with unfinished work 14 and 3 days before a round closes (the
    outbox's keys make a second run the same day send nothing)."""
    return notices.reminders_send(today=timezone.localdate())
