from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from assessments.tests.factories import (
    AssessmentRoundFactory,
    DimensionFactory,
    FrameworkFactory,
    scored_assessment,
)
from benchmarks.models import BenchmarkResult, PeerGroup
from councils.tests.factories import CouncilFactory

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=out)
    return out.getvalue()


def test_build_peer_groups():
    CouncilFactory()

    assert "Built 8 peer groups." in run("build_peer_groups")
    # all, nation, type, tier, region, population band, deprivation, rurality
    assert PeerGroup.objects.count() == 8


def test_compute_benchmarks_for_every_round_with_a_sign_off():
    signed = AssessmentRoundFactory(framework=FrameworkFactory())
    dimension = DimensionFactory(framework=signed.framework)
    scored_assessment(council=CouncilFactory(), round=signed, scores={dimension: "3.0"})
    AssessmentRoundFactory(framework=FrameworkFactory())  # nothing signed off
    run("build_peer_groups")

    output = run("compute_benchmarks")

    assert f"{signed}: 16 results." in output
    assert "for 1 round." in output
    assert set(BenchmarkResult.objects.values_list("round", flat=True)) == {signed.pk}


def test_compute_benchmarks_for_one_round_by_slug_or_id():
    round_ = AssessmentRoundFactory(framework=FrameworkFactory())
    DimensionFactory(framework=round_.framework)
    CouncilFactory()
    run("build_peer_groups")

    assert "16 results" in run("compute_benchmarks", "--round", round_.slug)
    assert "16 results" in run("compute_benchmarks", "--round", str(round_.pk))
    assert BenchmarkResult.objects.filter(round=round_).count() == 16


def test_compute_benchmarks_refuses_an_unknown_round():
    with pytest.raises(CommandError, match="no round"):
        run("compute_benchmarks", "--round", "nonsense")


def test_compute_benchmarks_warns_without_peer_groups():
    round_ = AssessmentRoundFactory(framework=FrameworkFactory())

    assert "run build_peer_groups first" in run("compute_benchmarks", "--round", round_.slug)
