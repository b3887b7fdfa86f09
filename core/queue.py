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
        found = registered(task) if isinstance(task, str) else task
        found.delay(*args)

    transaction.on_commit(send, robust=True)


def registered(name: str) -> Task:
    """The task of that name. A web process never imports the apps' tasks modules (Celery's
    autodiscovery runs when a worker starts), so the first lookup by name imports them."""
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()
    return current_app.tasks[name]
