"""Open data: staff publish a closed round as a stored edition; anyone can download it, and a
correction is a new edition beside the earlier ones."""

import csv
import hashlib
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import DimensionScore, RoundStatus
from assessments.services import round_close
from benchmarks.models import PeerGroup, PeerGroupKind, PublishedSet, Release, ReleasedResult
from benchmarks.release_rule import Published, violations
from benchmarks.releases import release_make
from benchmarks.services import benchmarks_rebuild
from benchmarks.tests.dashboard_data import build_sector
from reports.models import OpenDataEdition
from reports.open_data import PUBLIC_KINDS


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


def current_release(round_) -> Release:
    return Release.objects.get(round=round_, current=True)


def publish(client, personas, round_, correction: str | None = None):
    """Through the confirmation page, as staff would: read it, then confirm."""
    client.force_login(personas.staff)
    url = reverse("reports:open-data-publish", args=[round_.slug])
    page = client.get(url)
    assert page.status_code == 200
    data = {"release": page.context["plan"].release.pk}
    if correction is not None:
        data["correction"] = correction
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    return page


def download(client, name: str, *args) -> bytes:
    response = client.get(reverse(f"open-data:{name}", args=args))
    assert response.status_code == 200
    return response.content


def rows_of(client, round_) -> list[dict]:
    return list(csv.DictReader(io.StringIO(download(client, "csv", round_.slug).decode())))


def change_scores(round_, councils, score: str) -> None:
    """Staff reopened these councils' assessments and they signed off again with other scores;
    the jobs then ran."""
    DimensionScore.objects.filter(council__in=councils, round=round_).update(score=Decimal(score))
    benchmarks_rebuild(round_id=round_.pk)
    release_make(round_id=round_.pk)


def test_the_confirmation_page_says_what_will_become_public_before_anything_is(
    client, personas, sector
):
    latest = sector["latest"]
    client.force_login(personas.staff)

    page = client.get(reverse("reports:open-data-publish", args=[latest.slug]))

    text = page.content.decode()
    assert "What will become public" in text and "cannot be changed or withdrawn" in text
    release = current_release(latest)
    assert f"Release {release.number}, made" in text
    tier = released(latest, "tier-unitary")
    assert f"From {tier.councils} councils" in text
    assert "Withheld: fewer than 3 councils" in text  # the rurality group of two
    assert "Hartlepool and its nearest neighbours" not in text  # never public
    assert not OpenDataEdition.objects.exists()
    assert client.get(reverse("open-data:csv", args=[latest.slug])).status_code == 404


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


def test_the_files_are_stored_and_their_sha256_is_on_the_page(client, personas, sector):
    latest = sector["latest"]
    publish(client, personas, latest)

    csv_bytes = download(client, "csv", latest.slug)
    json_bytes = download(client, "json", latest.slug)
    page = client.get(reverse("open-data:index")).content.decode()

    # The stable addresses serve edition 1, byte for byte, and the page shows both hashes.
    assert download(client, "edition-csv", latest.slug, 1) == csv_bytes
    assert download(client, "edition-json", latest.slug, 1) == json_bytes
    assert hashlib.sha256(csv_bytes).hexdigest() in page
    assert hashlib.sha256(json_bytes).hexdigest() in page
    document = json.loads(json_bytes)
    assert document["csv"]["sha256"] == hashlib.sha256(csv_bytes).hexdigest()
    assert document["edition"]["number"] == 1
    assert document["release"]["number"] == current_release(latest).number
    response = client.get(reverse("open-data:edition-csv", args=[latest.slug, 1]))
    assert "edition-1.csv" in response["Content-Disposition"]
    assert client.get(reverse("open-data:edition-csv", args=[latest.slug, 2])).status_code == 404


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

    document = json.loads(download(client, "json", latest.slug))

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


def test_a_corrected_edition_is_new_and_dated_and_the_first_stays_as_it_was(
    client, personas, sector
):
    latest = sector["latest"]
    publish(client, personas, latest)
    first_csv = download(client, "csv", latest.slug)
    others = list(latest.assessments.exclude(council__in=[personas.council_a, personas.council_b]))
    change_scores(latest, [a.council for a in others[:3]], "4.5")

    # The confirmation page names the edition a correction and shows what changed...
    client.force_login(personas.staff)
    url = reverse("reports:open-data-publish", args=[latest.slug])
    page = client.get(url)
    text = page.content.decode()
    assert "Publish a corrected edition" in text and "Since edition 1" in text
    assert "Changed" in text
    # ...and a correction must say what it corrects.
    release = page.context["plan"].release.pk
    refused = client.post(url, {"release": release, "correction": "  "})
    assert refused.status_code == 200
    assert "Say what this edition corrects" in refused.content.decode()
    assert OpenDataEdition.objects.count() == 1
    client.logout()
    publish(client, personas, latest, correction="Three councils' answers were corrected.")

    second_csv = download(client, "csv", latest.slug)
    assert second_csv != first_csv
    assert download(client, "edition-csv", latest.slug, 1) == first_csv
    assert download(client, "edition-csv", latest.slug, 2) == second_csv
    index = client.get(reverse("open-data:index")).content.decode()
    assert "Edition 1" in index and "Edition 2 (latest)" in index
    assert "Three councils&#x27; answers were corrected." in index
    document = json.loads(download(client, "json", latest.slug))
    assert document["edition"]["correction"] == "Three councils' answers were corrected."


def test_every_figure_in_every_edition_obeys_the_rule_against_every_other(client, personas, sector):
    latest = sector["latest"]
    publish(client, personas, latest)
    others = list(latest.assessments.exclude(council__in=[personas.council_a, personas.council_b]))
    change_scores(latest, [a.council for a in others[:3]], "4.5")
    publish(client, personas, latest, correction="Corrected.")

    sets = {s.pk: s for s in PublishedSet.objects.filter(round=latest)}
    # The rule compares figures of one subject (a dimension, or the overall score).
    published: dict[int | None, list[Published]] = {}
    for edition in OpenDataEdition.objects.filter(round=latest):
        # What the edition's files show: its release's figures for the public groups.
        rows = ReleasedResult.objects.filter(
            release=edition.release, suppressed=False, group_kind__in=PUBLIC_KINDS
        )
        assert rows
        for row in rows:
            members = frozenset((c, Decimal(s)) for c, s in sets[row.published_set_id].members)
            published.setdefault(row.dimension_id, []).append(Published(members, None))
    editions = OpenDataEdition.objects.filter(round=latest)
    assert [e.number for e in editions] == [1, 2]
    assert editions[0].release_id != editions[1].release_id
    assert len(published) == 3
    for subject in published.values():
        assert violations(subject, min_group=3) == []


def test_nothing_new_means_nothing_to_publish(client, personas, sector):
    latest = sector["latest"]
    publish(client, personas, latest)
    client.force_login(personas.staff)
    url = reverse("reports:open-data-publish", args=[latest.slug])

    page = client.get(url).content.decode()
    response = client.post(url, {"release": current_release(latest).pk, "correction": "None"})

    assert "There is nothing to correct" in page and ">Publish<" not in page
    assert response.status_code == 200
    assert OpenDataEdition.objects.count() == 1


def test_a_release_made_while_the_page_was_open_is_not_published_unseen(client, personas, sector):
    latest = sector["latest"]
    client.force_login(personas.staff)
    url = reverse("reports:open-data-publish", args=[latest.slug])
    seen = client.get(url).context["plan"].release.pk
    others = list(latest.assessments.exclude(council__in=[personas.council_a, personas.council_b]))
    change_scores(latest, [a.council for a in others[:3]], "4.5")
    assert current_release(latest).pk != seen

    response = client.post(url, {"release": seen})

    assert response.status_code == 200
    assert "the figures changed while this page was open" in response.content.decode()
    assert not OpenDataEdition.objects.exists()
    # The page now shows the new release, ready to publish.
    assert response.context["plan"].release == current_release(latest)
    assert response.context["form"].initial["release"] == current_release(latest).pk


def test_an_unpublished_round_is_404(client, personas, sector):
    latest = sector["latest"]
    for name in ("csv", "json"):
        assert client.get(reverse(f"open-data:{name}", args=[latest.slug])).status_code == 404
        address = reverse(f"open-data:edition-{name}", args=[latest.slug, 1])
        assert client.get(address).status_code == 404
    page = client.get(reverse("open-data:index"))
    assert page.status_code == 200 and "Nothing has been published yet" in page.content.decode()


@pytest.mark.parametrize("persona", ["officer_a", "lead_a", "executive_a", "analyst"])
def test_only_staff_may_publish(client, personas, sector, persona):
    client.force_login(getattr(personas, persona))
    url = reverse("reports:open-data-publish", args=[sector["latest"].slug])

    assert client.get(reverse("reports:open-data-manage")).status_code == 404
    assert client.get(url).status_code == 404
    response = client.post(url, {"release": current_release(sector["latest"]).pk})

    assert response.status_code == 404
    assert not OpenDataEdition.objects.exists()


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
    url = reverse("reports:open-data-publish", args=[empty.slug])

    assert client.get(url).status_code == 404
    assert client.post(url, {"release": "1"}).status_code == 404
    assert not OpenDataEdition.objects.exists()


def test_a_round_still_open_cannot_be_published(client, personas, open_sector):
    latest = open_sector["latest"]
    assert latest.status == RoundStatus.OPEN
    release = current_release(latest)
    client.force_login(personas.staff)

    # The staff page says why, and offers no link for it...
    manage = client.get(reverse("reports:open-data-manage")).content.decode()
    assert "Can be published once the round has closed" in manage
    assert f'Publish<span class="govuk-visually-hidden"> {latest.name}' not in manage
    # ...and the page or a post all the same (a page open since before the change) is refused
    # as the view refuses any round it cannot publish: the GOV.UK "Page not found" page, never
    # a server error. Two downloads while councils sign off could be subtracted.
    url = reverse("reports:open-data-publish", args=[latest.slug])
    assert client.get(url).status_code == 404
    response = client.post(url, {"release": release.pk})
    assert response.status_code == 404
    page = response.content.decode()
    assert "govuk-heading-l" in page and "Page not found" in page
    assert not OpenDataEdition.objects.exists()
    assert client.get(reverse("open-data:csv", args=[latest.slug])).status_code == 404
