from celery import shared_task

from . import services


# acks_late + reject_on_worker_lost: a worker killed mid-rebuild leaves the message on the
# queue, and running the rebuild again is harmless because it replaces the round's results.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def rebuild_round_benchmarks(round_id: int) -> int:
    return services.benchmarks_rebuild(round_id=round_id)
