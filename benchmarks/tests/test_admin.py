import pytest
from django.urls import reverse

from assessments.tests.factories import AssessmentRoundFactory, DimensionFactory, FrameworkFactory
from benchmarks.peer_groups import peer_groups_build
from benchmarks.services import benchmarks_rebuild

pytestmark = pytest.mark.django_db


@pytest.fixture
def results(personas):
    round_ = AssessmentRoundFactory(framework=FrameworkFactory())
    DimensionFactory(framework=round_.framework)
    peer_groups_build()
    benchmarks_rebuild(round_id=round_.pk)


@pytest.mark.parametrize("model", ["peergroup", "benchmarkresult"])
def test_staff_can_list_and_view_but_not_change(client, personas, results, model):
    client.force_login(personas.staff)

    changelist = client.get(reverse(f"admin:benchmarks_{model}_changelist"))
    assert changelist.status_code == 200
    obj = changelist.context["cl"].result_list[0]
    detail = client.get(reverse(f"admin:benchmarks_{model}_change", args=[obj.pk]))
    assert detail.status_code == 200
    assert not detail.context["has_change_permission"]
    assert client.get(reverse(f"admin:benchmarks_{model}_add")).status_code == 403


def test_peer_group_list_shows_member_count(client, personas, results):
    client.force_login(personas.staff)

    response = client.get(reverse("admin:benchmarks_peergroup_changelist"), {"q": "network"})

    assert "Member councils" in response.content.decode()
    assert "North East Digital Partnership" in response.content.decode()


def test_council_officer_cannot_see_benchmark_admin(client, personas, results):
    client.force_login(personas.officer_a)

    response = client.get(reverse("admin:benchmarks_benchmarkresult_changelist"))

    assert response.status_code == 302
