from celery import shared_task
from django.utils import timezone

from . import notices, services


@shared_task
def send_reminders() -> int:
    """Daily: remind people with unfinished work 14 and 3 days before a round closes (the
    outbox's keys make a second run the same day send nothing)."""
    return notices.reminders_send(today=timezone.localdate())


@shared_task
def apply_round_dates() -> dict[str, list[str]]:
    """Daily, just after midnight: open and close rounds on their dates."""
    changes = services.rounds_apply_dates(today=timezone.localdate())
    return {
        "opened": [r.slug for r in changes.opened],
        "closed": [r.slug for r in changes.closed],
    }
