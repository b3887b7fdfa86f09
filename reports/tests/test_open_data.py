"""Open data: staff publish a round; anyone can download its public aggregates."""

import csv
import io
import json

import pytest
from django.urls import reverse

from assessments.models import RoundStatus
from assessments.services import round_close
from benchmarks.models import PeerGroup, PeerGroupKind, Release, ReleasedResult
from benchmarks.releases import release_make
from benchmarks.services import benchmarks_rebuild
from benchmarks.tests.dashboard_data import build_sector
from reports.models import PublishedRound


@pytest.fixture
def open_sector(personas, settings):
    """The dashboard's sector, its latest round still open (released, as the daily job would)."""
    data = build_sector(personas, settings)
    network = personas.network
    group = PeerGroup.objects.create(
        slug="network-ne", name=network.name, kind=PeerGroupKind.NETWORK, network=network
    )
    group.members.set(PeerGroup.objects.get(slug="tier-unitary").members.all())
    # A group whose name a spreadsheet would take for a formula.
    PeerGroup.objects.filter(slug="region-ne").update(name='=HYPERLINK("x")')
    benchmarks_rebuild(round_id=data["latest"].pk)
    release_make(round_id=data["latest"].pk)
    return data


@pytest.fixture
def sector(open_sector, personas, django_capture_on_commit_callbacks):
    """The same, with the latest round closed (only a closed round can be published); closing
    makes the round's final release through the real job."""
    with django_capture_on_commit_callbacks(execute=True):
        round_close(round=open_sector["latest"], by=personas.staff)
    return open_sector


def released(round_, slug: str):
    """The group's overall figures in the round's current release: what open data publishes."""
    return ReleasedResult.objects.current().get(round=round_, peer_group__slug=slug, dimension=None)


def publish(client, personas, round_) -> None:
    client.force_login(personas.staff)
    response = client.post(reverse("reports:open-data-publish", args=[round_.slug]))
    assert response.status_code == 302
    client.logout()


def rows_of(client, round_) -> list[dict]:
    response = client.get(reverse("open-data:csv", args=[round_.slug]))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_a_published_round_is_open_to_anyone_with_public_groups_only(client, personas, sector):
    latest = sector["latest"]
    publish(client, personas, latest)

    rows = rows_of(client, latest)

    kinds = {row["group_kind"] for row in rows}
    assert kinds <= {
        "all",
        "nation",
        "tier",
        "council_type",
        "region",
        "population_band",
        "deprivation",
        "rurality",
    }
    assert "nearest_neighbours" not in kinds and "network" not in kinds
    tier = released(latest, "tier-unitary")
    overall = {
        r["statistic"]: r["value"]
        for r in rows
        if r["group"] == "tier-unitary" and r["dimension"] == "Overall score"
    }
    assert overall["median"] == f"{tier.median:.2f}"
    assert overall["councils"] == str(tier.councils)
    text = json.dumps(rows)
    for name in ("Hartlepool", "Middlesbrough", "Other Council"):
        assert name not in text


def test_withheld_groups_say_why_and_give_no_figure(client, personas, sector):
    latest = sector["latest"]
    publish(client, personas, latest)

    rows = [r for r in rows_of(client, latest) if r["group"] == "rurality-urban"]

    assert rows and {r["statistic"] for r in rows} == {"suppressed"}
    assert {r["value"] for r in rows} == {"fewer than 3 councils"}


def test_cells_that_look_like_formulas_are_neutralised(client, personas, sector):
    publish(client, personas, sector["latest"])

    groups = {r["group"] for r in rows_of(client, sector["latest"])}

    assert '\'=HYPERLINK("x")' in groups
    assert '=HYPERLINK("x")' not in groups


def test_the_json_has_licence_method_and_the_same_figures(client, personas, sector):
    latest = sector["latest"]
    publish(client, personas, latest)

    response = client.get(reverse("open-data:json", args=[latest.slug]))

    document = json.loads(b"".join(response.streaming_content))
    assert document["licence"]["url"].startswith("https://creativecommons.org/licenses/by/4.0")
    assert document["minimum_group_size"] == 3
    assert document["method"]
    entry = next(
        e
        for e in document["results"]
        if e["group"] == "tier-unitary" and e["dimension"] == "Overall score"
    )
    tier = released(latest, "tier-unitary")
    assert entry["median"] == float(tier.median)
    withheld = [e for e in document["results"] if e["group"] == "rurality-urban"]
    assert all(
        set(e) == {"group", "group_name", "group_kind", "dimension", "withheld"} for e in withheld
    )


def test_unpublished_and_withdrawn_rounds_are_404(client, personas, sector):
    latest = sector["latest"]
    assert client.get(reverse("open-data:csv", args=[latest.slug])).status_code == 404
    publish(client, personas, latest)
    assert client.get(reverse("open-data:json", args=[latest.slug])).status_code == 200

    client.force_login(personas.staff)
    client.post(reverse("reports:open-data-publish", args=[latest.slug]), {"action": "withdraw"})
    client.logout()

    assert not PublishedRound.objects.exists()
    assert client.get(reverse("open-data:json", args=[latest.slug])).status_code == 404
    assert client.get(reverse("open-data:index")).status_code == 200


@pytest.mark.parametrize("persona", ["officer_a", "lead_a", "executive_a", "analyst"])
def test_only_staff_may_publish(client, personas, sector, persona):
    client.force_login(getattr(personas, persona))

    assert client.get(reverse("reports:open-data-manage")).status_code == 404
    response = client.post(reverse("reports:open-data-publish", args=[sector["latest"].slug]))

    assert response.status_code == 404
    assert not PublishedRound.objects.exists()


def test_the_open_data_page_lists_published_rounds(client, personas, sector):
    publish(client, personas, sector["latest"])

    page = client.get(reverse("open-data:index")).content.decode()

    assert sector["latest"].name in page
    assert "CC BY 4.0" in page


def test_a_round_without_results_cannot_be_published(client, personas, db):
    from assessments.tests.factories import AssessmentRoundFactory, FrameworkFactory

    # Closed, so it is refused for having no results, not for being open.
    empty = AssessmentRoundFactory(framework=FrameworkFactory(), status=RoundStatus.CLOSED)
    client.force_login(personas.staff)

    response = client.post(reverse("reports:open-data-publish", args=[empty.slug]))

    assert response.status_code == 404
    assert not PublishedRound.objects.exists()


def test_a_round_still_open_cannot_be_published(client, personas, open_sector):
    latest = open_sector["latest"]
    assert latest.status == RoundStatus.OPEN
    assert Release.objects.filter(round=latest, current=True).exists()
    client.force_login(personas.staff)

    # The staff page says why, and offers no button for it...
    manage = client.get(reverse("reports:open-data-manage")).content.decode()
    assert "Can be published once the round has closed" in manage
    assert f'Publish<span class="govuk-visually-hidden"> {latest.name}' not in manage
    # ...and a post all the same (a page open since before the change) is refused as the view
    # refuses any round it cannot publish: the GOV.UK "Page not found" page, never a server
    # error. Two downloads while councils sign off could be subtracted.
    response = client.post(reverse("reports:open-data-publish", args=[latest.slug]))
    assert response.status_code == 404
    page = response.content.decode()
    assert "govuk-heading-l" in page and "Page not found" in page
    assert not PublishedRound.objects.exists()
    assert client.get(reverse("open-data:csv", args=[latest.slug])).status_code == 404
