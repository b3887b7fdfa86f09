"""Queue background jobs once the change that needs them is safely committed."""

from typing import Any

from celery import Task, current_app
from django.db import transaction


def enqueue_after_commit(task: Task | str, *args: Any) -> None:
    """Send `task.delay(*args)` after the current transaction commits.

    Like Celery's delay_on_commit, but robust: if the broker is down the error is logged
    and the request carries on, because the change itself is already committed. Jobs
    queued this way must be idempotent and have a catch-up path (a beat job or a resend).

    `task` may be a task's name ("benchmarks.tasks.update_benchmarks_for_council"): a lower
    app queues a higher app's job that way without importing it. It is looked up in the
    Celery app's registry, so it still runs at once where tasks run eagerly.
    """

    def send() -> None:
        found = current_app.tasks[task] if isinstance(task, str) else task
        found.delay(*args)

    transaction.on_commit(send, robust=True)
