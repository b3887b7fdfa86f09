"""Benchmarks computed by a real Celery worker through Redis: after a sign-off, and after a
worker is killed in the middle of a recompute."""

import signal
import time
from decimal import Decimal

import pytest
from django.db import connection

# Sign-off queues "benchmarks.tasks.update_benchmarks_for_council" by name, so this (the web)
# process must have the task registered: nothing in the project imports benchmarks.tasks
# outside a worker, so a test run on its own got NotRegistered (logged) and no recompute.
import benchmarks.tasks  # noqa: F401
from assessments import services
from assessments.tests.factories import (
    AssessmentRoundFactory,
    scored_assessment,
    submitted_assessment,
)
from benchmarks.models import BenchmarkResult, BenchmarkRun, PeerGroup, Release
from benchmarks.peer_groups import peer_groups_build
from benchmarks.queries import council_positions
from benchmarks.services import benchmarks_rebuild
from councils.tests.factories import CouncilFactory
from tests.support import lock_held_elsewhere, require, wait_for

pytestmark = [pytest.mark.worker]


def _round_with_peers(personas, peers: int = 5):
    """A round in which `peers` other councils have signed off, with peer groups built."""
    round_ = AssessmentRoundFactory()
    dimensions = list(round_.framework.dimensions.all())
    for n in range(peers):
        council = CouncilFactory(gss_code=f"E0690000{n}", short_name=f"Peer {n}")
        scored_assessment(
            council=council, round=round_, scores={d: f"{2 + n % 3}.0" for d in dimensions}
        )
    peer_groups_build()
    return round_


def _sign_off_council_a(personas, round_) -> None:
    assessment = submitted_assessment(
        council=personas.council_a, round=round_, lead=personas.lead_a, level=4
    )
    # Commits, then queues the council's benchmark update for the worker.
    services.assessment_sign_off(assessment=assessment, by=personas.executive_a)


@pytest.mark.usefixtures("transactional_db")
def test_a_sign_off_makes_the_councils_results_appear(start_worker, personas):
    start_worker()
    round_ = _round_with_peers(personas)
    everyone = PeerGroup.objects.get(kind="all")
    _sign_off_council_a(personas, round_)

    wait_for(
        lambda: BenchmarkResult.objects.filter(
            round=round_, peer_group=everyone, dimension=None, councils=6
        ).exists(),
        what="the worker to count council A in the all-UK group",
    )
    overall = BenchmarkResult.objects.get(round=round_, peer_group=everyone, dimension=None)
    assert (overall.councils, overall.suppressed) == (6, False)
    # Council A agreed level 4 everywhere; its peers score 2, 3, 4, 2 and 3 (overall too).
    assert overall.distribution == {"2.0": 2, "3.0": 2, "4.0": 2}
    # A position is counted against the round's release, which the next release job makes
    # from these results (daily, or when the round closes): here, the worker makes it now.
    benchmarks.tasks.make_release.delay(round_.pk)
    wait_for(
        lambda: Release.objects.filter(round=round_, current=True).exists(),
        what="the worker to release the round's figures",
    )
    positions = council_positions(round_id=round_.pk, council_id=personas.council_a.pk)
    position = positions[(everyone.pk, None)]
    # Tied with one peer at the top; four of the five others are lower.
    assert (position.rank, position.councils, position.percentile) == (1, 6, Decimal("80.00"))


@pytest.mark.usefixtures("transactional_db")
def test_a_worker_killed_mid_recompute_leaves_correct_results_after_redelivery(
    start_worker, personas
):
    # Holding the round's row lock keeps the worker inside the job; SQLite has no row locks.
    require(
        connection.vendor == "postgresql",
        "needs PostgreSQL row locks (DATABASE_URL=postgres://...)",
    )
    round_ = _round_with_peers(personas, peers=6)
    from benchmarks.tasks import rebuild_round_benchmarks

    first = start_worker(CELERY_VISIBILITY_TIMEOUT="3")
    round_lock = "SELECT id FROM assessments_assessmentround WHERE id = %s FOR UPDATE"
    with lock_held_elsewhere(round_lock, [round_.pk]):
        rebuild_round_benchmarks.delay(round_.pk)
        wait_for(
            lambda: "rebuild_round_benchmarks" in first.output() and "received" in first.output(),
            what="the first worker to take the job",
        )
        time.sleep(1)  # it is now waiting for the lock, inside the job
        first.process.send_signal(signal.SIGKILL)
        first.process.wait(timeout=10)
    assert not BenchmarkRun.objects.filter(round=round_).exists()

    # The job was never acknowledged, so Redis hands it to the next worker.
    second = start_worker(CELERY_VISIBILITY_TIMEOUT="3")
    wait_for(
        lambda: BenchmarkRun.objects.filter(round=round_).exists(),
        timeout=90,
        what="the redelivered job to finish on the second worker",
    )
    # The job's rows are committed a moment before the worker logs that it succeeded.
    wait_for(
        lambda: "succeeded" in second.output(),
        timeout=30,
        what="the second worker to log that the job succeeded",
    )
    after_redelivery = sorted(
        BenchmarkResult.objects.filter(round=round_).values_list(
            "peer_group_id", "dimension_id", "councils", "suppressed", "mean", "median"
        ),
        key=str,
    )
    benchmarks_rebuild(round_id=round_.pk)
    fresh = sorted(
        BenchmarkResult.objects.filter(round=round_).values_list(
            "peer_group_id", "dimension_id", "councils", "suppressed", "mean", "median"
        ),
        key=str,
    )
    assert after_redelivery == fresh
    assert BenchmarkRun.objects.filter(round=round_).count() == 1


def test_benchmark_jobs_are_acknowledged_only_when_done():
    from benchmarks import tasks

    for task in (
        tasks.rebuild_round_benchmarks,
        tasks.update_benchmarks_for_council,
        tasks.reconcile_benchmarks,
        tasks.make_release,
        tasks.make_releases,
    ):
        assert task.acks_late and task.reject_on_worker_lost, task.name
