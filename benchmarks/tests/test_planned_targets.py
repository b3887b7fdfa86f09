"""Network counts of planned targets: never from fewer than five councils, never changed by
fewer than five, never five-or-fewer away from another network's."""

import pytest
from django.urls import reverse

from assessments.models import AssessmentStatus
from assessments.tests.factories import AssessmentFactory, AssessmentRoundFactory
from benchmarks.models import PlannedTargetRelease
from benchmarks.planned_targets import may_release, planned_targets, planned_targets_release_due
from councils.tests.factories import CouncilFactory, NetworkFactory
from plans.models import Plan, PlanStatus


def s(*ids):
    return frozenset(ids)


@pytest.mark.parametrize(
    ("current", "previous", "others", "expected"),
    [
        (s(1, 2, 3, 4), None, [], False),  # too few
        (s(1, 2, 3, 4, 5), None, [], True),
        (s(1, 2, 3, 4, 5), s(1, 2, 3, 4, 5), [], False),  # nothing new
        (s(*range(1, 7)), s(1, 2, 3, 4, 5), [], False),  # one more: subtractable
        (s(*range(1, 11)), s(1, 2, 3, 4, 5), [], True),  # five more
        (s(*range(2, 11)), s(1, 2, 3, 4, 5), [], False),  # one gone, five new
        (s(1, 2, 3, 4, 5), None, [s(1, 2, 3, 4, 5, 6)], False),  # another network, one apart
        (s(1, 2, 3, 4, 5), None, [s(*range(1, 11))], True),
    ],
)
def test_may_release(current, previous, others, expected):
    assert may_release(current, previous, others, min_group=5) is expected


def _approved(council, round_, barriers):
    assessment = AssessmentFactory(
        council=council, round=round_, status=AssessmentStatus.SIGNED_OFF
    )
    return Plan.objects.create(
        assessment=assessment,
        council=council,
        status=PlanStatus.APPROVED,
        approved_barriers=barriers,
    )


@pytest.mark.django_db
def test_counts_are_released_in_steps_of_five_and_shown_from_five(
    client, personas, settings, django_assert_max_num_queries
):
    settings.BENCHMARK_MIN_GROUP = 5
    round_ = AssessmentRoundFactory()
    network = personas.network
    councils = [CouncilFactory() for _ in range(9)]
    network.members.add(*councils)
    for council in councils[:5]:
        _approved(council, round_, ["DIM1", "DIM2"] if council == councils[0] else ["DIM1"])
    assert planned_targets_release_due() == 1
    assert planned_targets_release_due() == 0  # nothing new

    for council in councils[5:]:  # four more: not enough to move the figures
        _approved(council, round_, ["DIM2"])
    assert planned_targets_release_due() == 0
    _approved(personas.council_a, round_, ["DIM2"])  # a network member: the fifth new plan
    assert planned_targets_release_due() == 1
    assert PlannedTargetRelease.objects.count() == 2

    with django_assert_max_num_queries(2):
        found = planned_targets(network, round_.pk)
    assert found.councils == 10
    assert [(c.code, c.councils) for c in found.shown] == [("DIM1", 5), ("DIM2", 6)][::-1]

    client.force_login(personas.analyst)
    page = client.get(reverse("benchmarks:network", args=[network.slug])).content.decode()
    assert "What member councils plan to improve" in page
    assert "6 of 10" in page and "5 of 10" in page


@pytest.mark.django_db
def test_a_network_one_council_away_from_another_is_not_released(settings):
    settings.BENCHMARK_MIN_GROUP = 5
    round_ = AssessmentRoundFactory()
    councils = [CouncilFactory() for _ in range(6)]
    big, small = NetworkFactory(), NetworkFactory()
    big.members.add(*councils)
    small.members.add(*councils[:5])
    for council in councils:
        _approved(council, round_, ["DIM1"])
    assert planned_targets_release_due() == 1
    assert {r.network for r in PlannedTargetRelease.objects.all()} == {big} or {
        r.network for r in PlannedTargetRelease.objects.all()
    } == {small}


@pytest.mark.django_db
def test_the_sector_report_carries_the_same_counts(personas, settings, tmp_path):
    from openpyxl import load_workbook

    from reports.sector import sector_data, sector_report_html, write_sector_xlsx

    settings.BENCHMARK_MIN_GROUP = 5
    round_ = AssessmentRoundFactory()
    councils = [CouncilFactory() for _ in range(5)]
    personas.network.members.add(*councils)
    for council in councils:
        _approved(council, round_, ["DIM1"])
    data = sector_data(round_id=round_.pk, network_id=personas.network.pk)
    assert data.planned is None
    planned_targets_release_due()
    data = sector_data(round_id=round_.pk, network_id=personas.network.pk)
    html = sector_report_html(data, draw=lambda *a, **k: "")
    assert "What member councils plan to improve" in html and "5 of 5" in html
    write_sector_xlsx(data, tmp_path / "r.xlsx")
    rows = list(load_workbook(tmp_path / "r.xlsx")["Planned targets"].values)
    assert rows[1] == ("Barrier 1", 5, 5)
