"""Benchmark jobs: each takes ids and calls one service (routed to the "benchmarks" queue).

acks_late + reject_on_worker_lost: a worker killed mid-job leaves the message on the queue and
the job runs again. That is harmless: every service here computes its answer from the current
inputs in one transaction, so a half-done run left nothing behind and a second run writes the
same rows (or nothing, when the round is already up to date).
"""

from celery import shared_task

from . import planned_targets, releases, services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def rebuild_round_benchmarks(round_id: int) -> int:
    return services.benchmarks_rebuild(round_id=round_id)


# Queued by assessments after a sign-off or a reopening has committed.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def update_benchmarks_for_council(round_id: int, council_id: int) -> int:
    return services.benchmarks_update_for_council(round_id=round_id, council_id=council_id)


# Nightly, from CELERY_BEAT_SCHEDULE: catches up any job that never ran.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def reconcile_benchmarks() -> list[int]:
    return services.benchmarks_reconcile()


# Daily from CELERY_BEAT_SCHEDULE (after the reconcile), and queued by assessments when a round
# closes: the figures everyone but the council itself sees.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def make_release(round_id: int, reason: str = "scheduled") -> int | None:
    release = releases.release_make(round_id=round_id, reason=reason)
    return None if release is None else release.number


@shared_task(acks_late=True, reject_on_worker_lost=True)
def make_releases() -> list[int]:
    made = releases.releases_make_due()
    planned_targets.planned_targets_release_due()
    return made
