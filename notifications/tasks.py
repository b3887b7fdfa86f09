from smtplib import SMTPException

from celery import shared_task

from . import services


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=6,
)
def send_email(outbox_id: int) -> bool:
    return services.email_send(outbox_id=outbox_id)


@shared_task
def drain_outbox() -> int:
    return services.outbox_drain()
