"""The two attacks of issue 12, replayed through the real views: figures read before and after
one council's sign-off (or a reopening and a changed score) must not differ, so subtracting
them recovers nothing. Each test also shows that the live results *did* change, so it would
fail if a page went back to reading them."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments import services as assessment_services
from assessments.models import AssessmentRound, Dimension, DimensionScore, RoundStatus
from assessments.tests.factories import AssessmentRoundFactory, scored_assessment, small_framework
from benchmarks.models import BenchmarkResult, PeerGroup, PeerGroupKind, Release
from benchmarks.releases import release_make
from benchmarks.services import benchmarks_rebuild
from benchmarks.tests.factories import make_group
from councils.tests.factories import CouncilFactory
from reports.models import OpenDataEdition, Report, ReportKind, ReportStatus

pytestmark = pytest.mark.django_db
K = 3


@pytest.fixture
def scene(personas, settings):
    """k = 3. Councils A, B and five others in one tier group and in the network; all but the
    last have signed off, each with a fixed score in both dimensions."""
    settings.BENCHMARK_MIN_GROUP = K
    framework = small_framework(dimensions=2, questions=1)
    round_ = AssessmentRoundFactory(framework=framework, slug="2026-2027")
    dimensions = list(Dimension.objects.filter(framework=framework).order_by("order"))
    others = [CouncilFactory(name=f"Other Council {n}", short_name=f"Other{n}") for n in range(5)]
    everyone = [personas.council_a, personas.council_b, *others]
    personas.network.members.add(*others)
    make_group("tier-unitary", PeerGroupKind.TIER, everyone)
    network_group = PeerGroup.objects.create(
        slug="network-north-east-digital",
        name="North East Digital Partnership",
        kind=PeerGroupKind.NETWORK,
        network=personas.network,
    )
    network_group.members.set(everyone)
    late = others[-1]
    for council, score in zip(
        everyone[:-1], ["2.0", "3.0", "2.5", "3.5", "4.0", "1.5"], strict=True
    ):
        scored_assessment(council=council, round=round_, scores=dict.fromkeys(dimensions, score))
    refresh(round_)
    return {"round": round_, "dimensions": dimensions, "late": late}


def refresh(round_: AssessmentRound) -> None:
    """What the jobs do after a sign-off, then at the next scheduled release."""
    benchmarks_rebuild(round_id=round_.pk)
    release_make(round_id=round_.pk)


def sign_off_late(scene) -> None:
    scored_assessment(
        council=scene["late"],
        round=scene["round"],
        scores=dict.fromkeys(scene["dimensions"], "5.0"),
    )
    refresh(scene["round"])


def live_tier_levels(round_: AssessmentRound) -> dict[str, int]:
    """The live level counts of the tier group: what the attack subtracted."""
    row = BenchmarkResult.objects.get(round=round_, peer_group__slug="tier-unitary", dimension=None)
    return row.level_counts


def peer_figures(client, personas) -> list:
    """What council B's officer is shown of the tier group: the group's figures, per subject."""
    client.force_login(personas.officer_b)
    response = client.get(
        reverse("benchmarks:council", args=[personas.council_b.gss_code]), {"group": "tier-unitary"}
    )
    assert response.status_code == 200
    dashboard = response.context["dashboard"]
    return [s.figures for s in [*dashboard.dimensions, dashboard.overall]]


def test_a_dashboard_reloaded_after_one_sign_off_shows_the_same_peer_figures(
    client, personas, scene
):
    live_before = live_tier_levels(scene["round"])
    before = peer_figures(client, personas)

    sign_off_late(scene)
    after = peer_figures(client, personas)

    live_after = live_tier_levels(scene["round"])
    # Live, the difference is the late council's level exactly: what used to be on the page.
    assert {
        lv: live_after[lv] - live_before[lv]
        for lv in live_after
        if live_after[lv] != live_before[lv]
    } == {"5": 1}
    assert after == before and all(f is not None and f.published for f in after)


def test_figures_move_only_when_k_councils_have_signed_off_since(client, personas, scene):
    before = peer_figures(client, personas)
    sign_off_late(scene)
    extra = [CouncilFactory() for _ in range(2)]
    PeerGroup.objects.get(slug="tier-unitary").members.add(*extra)
    for council in extra:
        scored_assessment(
            council=council,
            round=scene["round"],
            scores=dict.fromkeys(scene["dimensions"], "1.0"),
        )
    refresh(scene["round"])

    after = peer_figures(client, personas)

    # Three more councils (k) since the last figures: the group moves, by three at once.
    assert [f.councils for f in before] == [6, 6, 6]
    assert [f.councils for f in after] == [9, 9, 9]


def test_the_network_dashboard_reloaded_after_one_sign_off_shows_the_same_distributions(
    client, personas, scene
):
    client.force_login(personas.analyst)
    url = reverse("benchmarks:network", args=[personas.network.slug])
    page = client.get(url).context["dashboard"]
    before = ([d.figures for d in page.distributions], page.pooled_row)

    sign_off_late(scene)
    page = client.get(url).context["dashboard"]
    after = ([d.figures for d in page.distributions], page.pooled_row)

    # The distributions and the pooled row of members not named (all of them here) alike.
    assert after == before and all(f is not None and f.published for f in after[0])
    assert after[1] is not None and all(cell.score is not None for cell in after[1].cells)


def test_open_data_is_refused_for_an_open_round_and_never_changes_once_published(
    client, personas, scene
):
    round_ = scene["round"]
    client.force_login(personas.staff)
    publish = reverse("reports:open-data-publish", args=[round_.slug])
    release = Release.objects.get(round=round_, current=True)

    # Still open: the confirmation page and a post alike are refused.
    assert client.get(publish).status_code == 404
    assert client.post(publish, {"release": release.pk}).status_code == 404
    assert not OpenDataEdition.objects.filter(round=round_).exists()

    assessment_services.round_close(round=round_, by=personas.staff)
    refresh(round_)
    release = Release.objects.get(round=round_, current=True)
    assert client.post(publish, {"release": release.pk}).status_code == 302
    assert round_.status == RoundStatus.CLOSED and OpenDataEdition.objects.filter(round=round_)
    csv_url = reverse("open-data:csv", args=[round_.slug])
    client.logout()
    first = client.get(csv_url).content

    # Staff reopen one council, which signs off again with other scores; the jobs run.
    changed = personas.council_b.assessments.get(round=round_)
    DimensionScore.objects.filter(assessment=changed).update(score=Decimal("4.5"))
    sign_off_late(scene)
    # And the peer groups are rebuilt without the tier group.
    PeerGroup.objects.filter(slug="tier-unitary").delete()
    refresh(round_)
    second = client.get(csv_url).content

    assert b"tier-unitary" in first
    assert second == first


def test_a_sector_report_asked_for_again_after_one_sign_off_has_the_same_figures(
    client, personas, scene, django_capture_on_commit_callbacks
):
    client.force_login(personas.analyst)
    url = reverse("reports:network", args=[personas.network.slug])

    def sector_csv() -> bytes:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                url, {"round": scene["round"].slug, "kind": ReportKind.SECTOR_CSV}
            )
        report = Report.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
        assert report.status == ReportStatus.READY, report.error
        download = client.get(reverse("reports:download", args=[report.pk]))
        return b"".join(download.streaming_content)

    before = sector_csv()
    sign_off_late(scene)
    after = sector_csv()

    assert b"North East Digital Partnership" in before
    assert after == before
