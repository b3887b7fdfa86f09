"""The nightly reconcile, `compute_benchmarks`, and how benchmark jobs are queued."""

from decimal import Decimal
from io import StringIO

import pytest
from celery.schedules import crontab
from django.conf import settings as django_settings
from django.core.management import call_command

from assessments.models import AssessmentStatus, DimensionScore
from assessments.tests.factories import (
    AssessmentRoundFactory,
    DimensionFactory,
    FrameworkFactory,
    scored_assessment,
)
from benchmarks import tasks
from benchmarks.models import BenchmarkResult, BenchmarkRun, PeerGroup, PeerGroupKind
from benchmarks.services import benchmarks_rebuild, benchmarks_reconcile
from config.celery import app as celery_app
from councils.tests.factories import CouncilFactory


@pytest.fixture
def rounds(db, settings):
    """Three rounds of one framework: two with sign-offs, built; one with none, never built."""
    settings.BENCHMARK_MIN_GROUP = 2
    first = AssessmentRoundFactory(framework=FrameworkFactory())
    dimension = DimensionFactory(framework=first.framework)
    second = AssessmentRoundFactory(framework=first.framework)
    empty = AssessmentRoundFactory(framework=first.framework)
    councils = [CouncilFactory() for _ in range(4)]
    group = PeerGroup.objects.create(slug="all", name="All", kind=PeerGroupKind.ALL)
    group.members.set(councils)
    for round_ in (first, second):
        for council in councils[:3]:
            scored_assessment(council=council, round=round_, scores={dimension: "3.0"})
        benchmarks_rebuild(round_id=round_.pk)
    return first, second, empty, dimension, councils, group


def run_ids() -> dict[int, tuple]:
    return {
        run.round_id: (run.pk, run.basis, run.council_scores, run.computed_at)
        for run in BenchmarkRun.objects.all()
    }


def test_nothing_to_do_when_every_round_is_up_to_date(rounds):
    before = run_ids()

    assert benchmarks_reconcile() == []
    assert run_ids() == before


def test_rebuilds_only_the_round_whose_scores_changed_then_nothing(rounds):
    first, second, empty, dimension, councils, group = rounds
    # A sign-off whose job never ran (the broker was down).
    scored_assessment(council=councils[3], round=second, scores={dimension: "5.0"})
    untouched = run_ids()[first.pk]

    assert benchmarks_reconcile() == [second.pk]

    assert run_ids()[first.pk] == untouched
    result = BenchmarkResult.objects.get(round=second, peer_group=group, dimension=None)
    assert (result.councils, result.mean) == (4, Decimal("3.50"))
    # The run now records the late council's scores; the groups (the basis) did not change.
    run = BenchmarkRun.objects.get(round=second)
    assert run.council_scores[f"c{councils[3].pk}"] == f"{dimension.pk}:5.00"
    assert run.basis == untouched[1]
    assert benchmarks_reconcile() == []


def test_a_reopening_whose_job_never_ran_is_caught_up(rounds):
    first, second, empty, dimension, councils, group = rounds
    DimensionScore.objects.filter(round=first, council=councils[0]).delete()
    first.assessments.filter(council=councils[0]).update(status=AssessmentStatus.IN_PROGRESS)

    assert benchmarks_reconcile() == [first.pk]
    assert BenchmarkResult.objects.get(round=first, peer_group=group, dimension=None).councils == 2
    assert f"c{councils[0].pk}" not in BenchmarkRun.objects.get(round=first).council_scores
    assert benchmarks_reconcile() == []


def test_a_score_changed_in_place_is_caught_up(rounds):
    first, second, empty, dimension, councils, group = rounds
    # Same councils, same count: only a score differs from what the results were built from.
    DimensionScore.objects.filter(round=first, council=councils[0]).update(score=Decimal("4.5"))

    assert benchmarks_reconcile() == [first.pk]
    result = BenchmarkResult.objects.get(round=first, peer_group=group, dimension=None)
    assert result.distribution == {"3.0": 2, "4.5": 1}
    assert benchmarks_reconcile() == []


def test_a_round_with_a_sign_off_but_no_run_is_built(rounds):
    first, second, empty, dimension, councils, group = rounds
    scored_assessment(council=councils[0], round=empty, scores={dimension: "2.0"})

    assert benchmarks_reconcile() == [empty.pk]
    assert BenchmarkRun.objects.filter(round=empty).exists()
    assert benchmarks_reconcile() == []


def test_results_without_a_run_are_rebuilt_once(rounds):
    first, second, empty, dimension, councils, group = rounds
    # Left from before runs were recorded: results but no run.
    BenchmarkRun.objects.filter(round=first).delete()

    assert benchmarks_reconcile() == [first.pk]
    assert benchmarks_reconcile() == []


def test_changed_memberships_and_minimum_rebuild_every_built_round(rounds, settings):
    first, second, empty, dimension, councils, group = rounds
    group.members.remove(councils[0])
    scores = {pk: council_scores for pk, _, council_scores, _ in run_ids().values()}

    assert benchmarks_reconcile() == sorted([first.pk, second.pk])
    # Only the basis differed: the scores the results are built from are the same.
    assert {pk: council_scores for pk, _, council_scores, _ in run_ids().values()} == scores
    assert benchmarks_reconcile() == []

    settings.BENCHMARK_MIN_GROUP = 3
    assert benchmarks_reconcile() == sorted([first.pk, second.pk])
    assert BenchmarkResult.objects.get(round=first, peer_group=group, dimension=None).suppressed

    PeerGroup.objects.create(slug="region-empty", name="Empty", kind=PeerGroupKind.REGION)
    assert benchmarks_reconcile() == sorted([first.pk, second.pk])
    assert BenchmarkResult.objects.filter(round=first, peer_group__slug="region-empty").exists()


def test_the_nightly_task_reconciles(rounds):
    first, second, empty, dimension, councils, group = rounds
    scored_assessment(council=councils[3], round=first, scores={dimension: "1.0"})

    assert tasks.reconcile_benchmarks.delay().get() == [first.pk]
    assert tasks.reconcile_benchmarks.delay().get() == []


def run_command(*args: str) -> str:
    out = StringIO()
    call_command("compute_benchmarks", *args, stdout=out, stderr=out)
    return out.getvalue()


def test_compute_benchmarks_without_a_round_reconciles(rounds):
    first, second, empty, dimension, councils, group = rounds
    scored_assessment(council=councils[3], round=first, scores={dimension: "1.0"})

    output = run_command()

    assert f"{first}: 2 results." in output  # one dimension and the overall score
    assert "for 1 round." in output
    output = run_command()
    assert "nothing to do" in output
    assert "for 0 rounds." in output


def test_compute_benchmarks_with_a_round_always_rebuilds_it(rounds):
    first, *_ = rounds
    before = run_ids()[first.pk]

    assert f"{first}: 2 results." in run_command("--round", first.slug)
    assert run_ids()[first.pk] != before


# Celery: queue, schedule and delivery options -------------------------------------------------


def queue_of(task_name: str) -> str:
    return celery_app.amqp.router.route({}, task_name)["queue"].name


@pytest.mark.parametrize(
    "name", ["rebuild_round_benchmarks", "update_benchmarks_for_council", "reconcile_benchmarks"]
)
def test_benchmark_jobs_go_to_the_benchmarks_queue_and_survive_a_lost_worker(name):
    task = getattr(tasks, name)

    assert queue_of(task.name) == "benchmarks"
    assert task.acks_late is True
    assert task.reject_on_worker_lost is True


def test_other_jobs_stay_on_the_default_queue():
    assert queue_of("accounts.tasks.send_invitation_email") == celery_app.conf.task_default_queue


def test_the_benchmarks_queue_is_read_when_a_job_is_sent(settings):
    # So that a test with a real worker can keep benchmark jobs on its private queue.
    settings.BENCHMARKS_QUEUE = "portal-test-private"

    assert queue_of(tasks.update_benchmarks_for_council.name) == "portal-test-private"


def test_the_reconcile_runs_every_night_at_half_past_two():
    entry = django_settings.CELERY_BEAT_SCHEDULE["benchmarks-reconcile"]

    assert entry["task"] == tasks.reconcile_benchmarks.name
    assert entry["schedule"] == crontab(hour="2", minute="30")
    assert django_settings.CELERY_TIMEZONE == "Europe/London"
