from celery import shared_task

from .retention import inactive_accounts_retire


@shared_task
def retire_inactive_accounts() -> tuple[int, int]:
    return inactive_accounts_retire()
