from celery import shared_task
from django.utils import timezone

from . import notices


@shared_task
def send_action_reminders() -> int:
    """Daily: a week before an action is due, and once it is overdue, tell its owner (the
    outbox's keys make a second run send nothing)."""
    return notices.action_reminders_send(today=timezone.localdate())
