"""Report jobs: each takes ids and calls one service. generate_report runs on the "reports"
queue (settings.REPORTS_QUEUE); acks_late + reject_on_worker_lost mean a worker killed while
making a report leaves the job queued, and the next worker makes the report from scratch
(services.report_generate is safe to repeat)."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def generate_report(report_id: int) -> str:
    return services.report_generate(report_id=report_id)


# Hourly, from CELERY_BEAT_SCHEDULE.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def expire_reports() -> tuple[int, int]:
    return services.reports_expire()
