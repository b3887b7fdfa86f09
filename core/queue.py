"""Queue background jobs once the change that needs them is safely committed."""

from typing import Any

from celery import Task
from django.db import transaction


def enqueue_after_commit(task: Task, *args: Any) -> None:
    """Send `task.delay(*args)` after the current transaction commits.

    Like Celery's delay_on_commit, but robust: if the broker is down the error is logged
    and the request carries on, because the change itself is already committed. Jobs
    queued this way must be idempotent and have a catch-up path (a beat job or a resend).
    """
    transaction.on_commit(lambda: task.delay(*args), robust=True)
