"""The network dashboard: participation, the network group's distributions and the heatmap of
member councils, for the network's analysts only. Councils appear by name only with their
consent to this network; the pooled row follows the publication rule."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from accounts.tests.factories import NetworkMembershipFactory, UserFactory
from assessments.models import AssessmentStatus
from assessments.tests.factories import (
    AssessmentRoundFactory,
    DimensionFactory,
    FrameworkFactory,
    scored_assessment,
)
from benchmarks import charts
from benchmarks.models import PeerGroup, PeerGroupKind, ReleasedResult
from benchmarks.network_dashboard import (
    Column,
    heatmap_rows,
    mean_one_place,
    network_dashboard,
    pooled_publishable,
    pooled_reason,
    published_public_groups,
)
from benchmarks.publication import OVERLAP, TOO_SMALL, too_close
from councils.models import Council, Network, NetworkSharing
from councils.tests.factories import CouncilFactory, NetworkFactory

from .factories import release

K = 3


def d(value: str) -> Decimal:
    return Decimal(value)


# Pure: the pooled row -------------------------------------------------------------------------

council_sets = st.frozensets(st.integers(min_value=0, max_value=12), max_size=12)


@given(
    pool=council_sets,
    published=st.lists(council_sets, max_size=5),
    known=council_sets,
    k=st.integers(1, 5),
)
def test_a_pooled_mean_is_shown_only_when_no_published_group_is_within_k(pool, published, known, k):
    """Apart from the councils the viewer sees by name (`known`, never in the pool), every
    published group is 0 or at least k councils away from the pool on each side."""
    pool = pool - known
    shown = pooled_publishable(pool, published, min_group=k, known=known)

    if shown:
        assert len(pool) >= k
        for group in published:
            unknown = group - known
            assert not 0 < len(pool - unknown) < k
            assert not 0 < len(unknown - pool) < k
    else:
        assert len(pool) < k or any(too_close(pool, g - known, min_group=k) for g in published)


def test_councils_seen_by_name_do_not_hold_back_the_pool():
    network = frozenset(range(8))
    named = frozenset({0, 1})  # fewer than k = 3 named: the pool is two away from the network

    assert pooled_reason(network - named, [network], min_group=3) == OVERLAP
    assert pooled_reason(network - named, [network], min_group=3, known=named) == ""
    # An anonymous council outside the pool still counts.
    assert pooled_reason(network - named - {7}, [network], min_group=3, known=named) == OVERLAP


def test_pooled_reason_says_why():
    five = frozenset(range(5))

    assert pooled_reason(frozenset(range(2)), [], min_group=3) == TOO_SMALL
    assert pooled_reason(five, [five | {9}], min_group=3) == OVERLAP
    assert pooled_reason(five, [five - {0}], min_group=3) == OVERLAP
    assert pooled_reason(five, [five, five | {7, 8, 9}, frozenset({20, 21, 22})], min_group=3) == ""


def test_mean_rounds_half_up_to_one_place():
    assert mean_one_place([d("2.0"), d("2.5")]) == d("2.3")  # 2.25
    assert mean_one_place([d("1.0"), d("1.1"), d("1.1")]) == d("1.1")  # 1.0666...
    with pytest.raises(ValueError):
        mean_one_place([])


COLUMNS = [Column(10, "D1", "One"), Column(11, "D2", "Two"), Column(None, "overall", "Overall")]


def scores_of(*values: str) -> dict:
    found = {10: d(values[0]), 11: d(values[1])}
    return {**found, None: mean_one_place(list(found.values()))}


def test_heatmap_rows_name_only_consenting_scored_councils_and_pool_the_rest():
    scores = {1: scores_of("4.0", "3.0"), 2: scores_of("2.0", "2.0"), 3: scores_of("3.0", "4.0")}
    scores[4] = scores_of("1.0", "5.0")
    names = {c: (f"Council {c}", f"C{c}") for c in range(1, 6)}

    rows = heatmap_rows(
        columns=COLUMNS, scores=scores, names=names, named={1, 5}, published={}, min_group=3
    )

    # 5 consents but has no signed-off scores: not shown.
    assert [r.label for r in rows] == ["Council 1", "Other member councils (3)"]
    assert [c.score for c in rows[0].cells] == [d("4.0"), d("3.0"), d("3.5")]
    # Pool 2, 3, 4: D1 (2+3+1)/3 = 2.0; D2 (2+4+5)/3 = 3.67 -> 3.7; overall (2+3.5+3)/3 = 2.83.
    assert [c.score for c in rows[1].cells] == [d("2.0"), d("3.7"), d("2.8")]
    assert rows[1].councils == 3


def test_heatmap_pooled_cells_follow_the_rule_per_subject():
    scores = {c: scores_of("3.0", "3.0") for c in (1, 2, 3)}
    scores[3].pop(11)  # council 3 has no score in D2: the D2 pool has 2 councils
    names = {c: (f"Council {c}", f"C{c}") for c in range(1, 4)}
    close = {10: [frozenset({1, 2, 3, 9})]}  # a published group one council away, D1 only

    pooled = heatmap_rows(
        columns=COLUMNS, scores=scores, names=names, named=set(), published=close, min_group=3
    )[0]
    unknown = heatmap_rows(
        columns=COLUMNS, scores=scores, names=names, named=set(), published=None, min_group=3
    )[0]

    assert [(c.score, c.reason) for c in pooled.cells] == [
        (None, OVERLAP),
        (None, TOO_SMALL),
        (d("3.0"), ""),
    ]
    assert [c.reason for c in unknown.cells] == [OVERLAP, TOO_SMALL, OVERLAP]


# The page -------------------------------------------------------------------------------------


@pytest.fixture
def k3(settings):
    settings.BENCHMARK_MIN_GROUP = K


def council(name: str, code: str) -> Council:
    return CouncilFactory(gss_code=code, name=f"{name} Council", short_name=name)


def share(council: Council, network: Network, by_name: bool = True) -> None:
    NetworkSharing.objects.create(
        council=council, network=network, by_name=by_name, updated_at=timezone.now()
    )


def network_group(network: Network, members) -> PeerGroup:
    group = PeerGroup.objects.create(
        slug=f"network-{network.slug}",
        name=network.name,
        kind=PeerGroupKind.NETWORK,
        network=network,
    )
    group.members.set(members)
    return group


@pytest.fixture
def scene(personas, k3):
    """The personas' network with seven members: Hartlepool (A), Ashby and Barton share by
    name; Middlesbrough (B), Crewe and Dunston are anonymous; Eston has not signed off.
    Three dimensions, the third scored by only two councils (so suppressed). Released."""
    framework = FrameworkFactory()
    dims = [DimensionFactory(framework=framework, name=n) for n in ("Leadership", "Data", "Cyber")]
    round_ = AssessmentRoundFactory(framework=framework, name="2026 to 2027", slug="2026-2027")
    network = personas.network
    a, b = personas.council_a, personas.council_b
    ashby, barton = council("Ashby", "E07000101"), council("Barton", "E07000102")
    crewe, dunston = council("Crewe", "E07000103"), council("Dunston", "E07000104")
    eston = council("Eston", "E07000105")
    network.members.add(ashby, barton, crewe, dunston, eston)
    for named in (a, ashby, barton):
        share(named, network)
    share(crewe, network, by_name=False)
    scores = {
        a: ("4.0", "3.0", "2.0"),
        ashby: ("3.0", "3.0", None),
        barton: ("2.0", "4.0", None),
        b: ("1.0", "2.0", "5.0"),
        crewe: ("2.0", "2.5", None),
        dunston: ("4.0", "4.0", None),
    }
    for c, values in scores.items():
        scored_assessment(council=c, round=round_, scores=dict(zip(dims, values, strict=True)))
    scored_assessment(
        council=eston,
        round=round_,
        scores=dict.fromkeys(dims, "5.0"),
        status=AssessmentStatus.SUBMITTED,
    )
    group = network_group(network, [a, b, ashby, barton, crewe, dunston, eston])
    assert release(round_) is not None
    return locals()


def url(network: Network, **query) -> str:
    base = reverse("benchmarks:network", args=[network.slug])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def chart_json(content: str, chart_id: str) -> dict | None:
    found = re.search(rf'<script id="{chart_id}" type="application/json">(.*?)</script>', content)
    return json.loads(found.group(1)) if found else None


def as_analyst(client, personas):
    client.force_login(personas.analyst)
    return client


def test_participation_counts_signed_off_members(client, personas, scene):
    response = as_analyst(client, personas).get(url(scene["network"]))

    assert response.status_code == 200
    dashboard = response.context["dashboard"]
    assert (dashboard.signed_off, dashboard.members) == (6, 7)
    assert dashboard.round.slug == "2026-2027"
    assert '<strong class="govuk-!-font-size-24">6</strong> of 7' in response.content.decode()


def test_distribution_chart_is_the_stored_figures_and_honours_suppression(client, personas, scene):
    response = as_analyst(client, personas).get(url(scene["network"]))

    content = response.content.decode()
    figure = chart_json(content, "chart-network-distributions")
    assert figure is not None
    boxes = {trace["y"][0]: trace for trace in figure["data"]}
    leadership, data, cyber = scene["dims"]
    # Cyber has two scores: suppressed, so no box and no figures anywhere.
    assert set(boxes) == {"Leadership", "Data", "Overall score"}
    stored = {
        r.dimension_id: r
        for r in ReleasedResult.objects.current().filter(
            peer_group=scene["group"], round=scene["round_"]
        )
    }
    assert stored[cyber.pk].suppressed and stored[cyber.pk].suppression_reason == TOO_SMALL
    for name, key in (("Leadership", leadership.pk), ("Data", data.pk), ("Overall score", None)):
        result, box = stored[key], boxes[name]
        assert not result.suppressed
        assert result.councils == 6  # twice K: the 10th and 90th percentiles are published
        assert box["q1"] == [float(result.q1)]
        assert box["median"] == [float(result.median)]
        assert box["q3"] == [float(result.q3)]
        assert box["lowerfence"] == [float(result.p10)]
        assert box["upperfence"] == [float(result.p90)]
    cyber_row = re.search(
        r"<th scope=\"row\" class=\"govuk-table__header\">Cyber</th>\s*<td[^>]*>"
        r"([^<]*)</td>",
        content,
    )
    assert cyber_row is not None and cyber_row.group(1).strip() == f"Fewer than {K} councils"


def test_heatmap_names_consenting_councils_and_pools_the_rest(client, personas, scene):
    response = as_analyst(client, personas).get(url(scene["network"]))

    dashboard = response.context["dashboard"]
    rows = {row.label: row for row in dashboard.rows}
    assert list(rows) == [
        "Ashby Council",
        "Barton Council",
        "Hartlepool Borough Council",
        "Other member councils (3)",
    ]
    assert [c.score for c in rows["Hartlepool Borough Council"].cells] == [
        d("4.0"),
        d("3.0"),
        d("2.0"),
        d("3.0"),  # overall: (4 + 3 + 2) / 3
    ]
    pooled = rows["Other member councils (3)"]
    # Middlesbrough, Crewe, Dunston: (1 + 2 + 4) / 3 = 2.33; (2 + 2.5 + 4) / 3 = 2.83; Cyber has
    # one pooled score; overall (2.7 + 2.3 + 4.0) / 3 = 3.0 (Middlesbrough's 2.67 is 2.7).
    assert [(c.score, c.reason) for c in pooled.cells] == [
        (d("2.3"), ""),
        (d("2.8"), ""),
        (None, TOO_SMALL),
        (d("3.0"), ""),
    ]
    figure = chart_json(response.content.decode(), "chart-network-heatmap")
    assert figure is not None
    (trace,) = figure["data"]
    assert trace["type"] == "heatmap"
    assert trace["y"] == ["Other member councils (3)", "Hartlepool", "Barton", "Ashby"]
    assert trace["x"] == ["Leadership", "Data", "Cyber", "Overall score"]
    assert trace["z"][0] == [2.3, 2.8, None, 3.0]  # the gap is None, never 0
    assert trace["z"][1] == [4.0, 3.0, 2.0, 3.0]
    assert trace["text"][0] == ["2.3", "2.8", "", "3.0"]


def test_a_welsh_reader_sees_named_councils_by_their_welsh_names_in_that_order(
    client, personas, scene
):
    Council.objects.filter(pk=scene["barton"].pk).update(
        name_cy="Cyngor Abertawe", short_name_cy="Abertawe"
    )
    Council.objects.filter(pk=scene["ashby"].pk).update(name_cy="Sir Ashby")
    client.cookies["django_language"] = "cy"

    response = as_analyst(client, personas).get(url(scene["network"]))

    rows = [row.label for row in response.context["dashboard"].rows]
    assert rows[:3] == ["Cyngor Abertawe", "Hartlepool Borough Council", "Sir Ashby"]
    figure = chart_json(response.content.decode(), "chart-network-heatmap")
    assert figure is not None
    assert "Abertawe" in figure["data"][0]["y"]
    assert "Barton" not in response.content.decode()


def test_anonymous_councils_never_appear_by_name(client, personas, scene):
    response = as_analyst(client, personas).get(url(scene["network"]))

    content = response.content.decode()
    assert "Hartlepool" in content
    for c in (scene["b"], scene["crewe"], scene["dunston"], scene["eston"]):
        assert c.name not in content
        assert c.short_name not in content
        assert c.gss_code not in content
    heatmap = json.dumps(chart_json(content, "chart-network-heatmap"))
    assert "Middlesbrough" not in heatmap and "Hartlepool" in heatmap


def test_only_consent_to_this_network_while_a_signed_off_member_names_a_council(
    client, personas, scene
):
    network = scene["network"]
    other = NetworkFactory(members=[scene["crewe"], scene["dunston"]])
    share(scene["crewe"], other)  # named to another network: still anonymous here
    network.members.remove(scene["ashby"])  # left, though its sharing row stays
    share(scene["eston"], network)  # consents, but has not signed off
    release(scene["round_"])

    response = as_analyst(client, personas).get(url(network))

    content = response.content.decode()
    labels = [row.label for row in response.context["dashboard"].rows]
    # Ashby left the network, but the network group (not rebuilt) keeps the figures that
    # counted it, and the pool is made of exactly those: Ashby is pooled, never named.
    assert labels == ["Barton Council", "Hartlepool Borough Council", "Other member councils (4)"]
    for c in (scene["ashby"], scene["crewe"], scene["eston"]):
        assert c.short_name not in content
        assert c.gss_code not in content


def test_pooled_row_is_withheld_below_the_minimum(client, personas, scene):
    # Dunston shares by name too: two councils are left in the pool.
    share(scene["dunston"], scene["network"])

    response = as_analyst(client, personas).get(url(scene["network"]))

    pooled = response.context["dashboard"].pooled_row
    assert pooled is not None and pooled.councils == 2
    assert {(c.score, c.reason) for c in pooled.cells} == {(None, TOO_SMALL)}
    figure = chart_json(response.content.decode(), "chart-network-heatmap")
    assert figure["data"][0]["z"][0] == [None, None, None, None]
    assert f"Fewer than {K} councils" in response.content.decode()


def close_region(scene) -> PeerGroup:
    """A region of Hartlepool (named) and two pooled councils, released: three councils from
    the network group as released, and, apart from Hartlepool, one council from the pool.
    (Under releases a region of the pool and one outsider is never released: it is one council
    from the network group as released.)"""
    region = PeerGroup.objects.create(slug="region-x", name="Region X", kind=PeerGroupKind.REGION)
    region.members.set([scene["a"], scene["b"], scene["crewe"]])
    assert release(scene["round_"]) is not None
    published = ReleasedResult.objects.current().filter(peer_group=region, suppressed=False)
    assert published.count() == 3  # Cyber: two scores
    return region


def test_pooled_row_is_withheld_when_one_council_from_a_published_public_group(
    client, personas, scene
):
    close_region(scene)

    response = as_analyst(client, personas).get(url(scene["network"]))

    pooled = response.context["dashboard"].pooled_row
    assert [c.reason for c in pooled.cells] == [OVERLAP, OVERLAP, TOO_SMALL, OVERLAP]
    content = response.content.decode()
    assert "Withheld to protect individual councils" in content
    assert chart_json(content, "chart-network-heatmap")["data"][0]["z"][0] == [None] * 4


def test_pooled_row_is_checked_against_every_set_released(client, personas, scene):
    # Hull signs off after the release. A pool of today's scores (Middlesbrough, Crewe,
    # Dunston, Hull) would be one council away from the network group as released, and give
    # Hull's score away; the pool is made of the released scores instead.
    network, group, round_ = scene["network"], scene["group"], scene["round_"]
    leadership, data, cyber = scene["dims"]
    hull = council("Hull", "E07000108")
    network.members.add(hull)
    group.members.add(hull)
    scored_assessment(council=hull, round=round_, scores=dict.fromkeys(scene["dims"], "3.0"))
    client = as_analyst(client, personas)

    before = client.get(url(network)).context["dashboard"].pooled_row
    # One council more is fewer than k: the network group keeps its figures without Hull.
    # Only Cyber, withheld until now (two councils), is released for the first time with
    # Hull, and its pool (Middlesbrough and Hull) is too small to show.
    release(round_)
    kept = client.get(url(network)).context["dashboard"].pooled_row
    # Two more anonymous members sign off: with three come, the network group's new figures
    # are released, and the pool is three councils from every set ever released.
    for name, code in (("Ilkley", "E07000109"), ("Jarrow", "E07000110")):
        extra = council(name, code)
        network.members.add(extra)
        group.members.add(extra)
        scored_assessment(
            council=extra, round=round_, scores={leadership: "3.0", data: "3.0", cyber: None}
        )
    assert release(round_) is not None
    after = client.get(url(network)).context["dashboard"].pooled_row

    assert (before.councils, kept.councils) == (3, 4)
    # (1 + 2 + 4) / 3 = 2.33; (2 + 2.5 + 4) / 3 = 2.83; (2.3 + 2.8 + 4) / 3 = 3.03.
    assert (
        [(c.score, c.reason) for c in before.cells]
        == [(c.score, c.reason) for c in kept.cells]
        == [(d("2.3"), ""), (d("2.8"), ""), (None, TOO_SMALL), (d("3.0"), "")]
    )
    # (1 + 2 + 4 + 3 + 3 + 3) / 6 = 2.67; (2 + 2.5 + 4 + 3 + 3 + 3) / 6 = 2.92;
    # (2.7 + 2.3 + 4 + 3 + 3 + 3) / 6 = 3.
    assert after.councils == 6
    assert [(c.score, c.reason) for c in after.cells] == [
        (d("2.7"), ""),
        (d("2.9"), ""),
        (None, TOO_SMALL),
        (d("3.0"), ""),
    ]


def test_a_set_released_once_withholds_the_pool_after_its_group_is_gone(client, personas, scene):
    # Replaces "results older than a changed group withhold the pool": released sets are
    # exact and kept for good, so a group changed or gone since still counts as released.
    region = close_region(scene)
    members = frozenset(region.members.values_list("pk", flat=True))
    region.delete()  # gone from the register (peer_groups_build), with its released rows
    assert release(scene["round_"]) is None  # nothing else has changed
    assert not ReleasedResult.objects.filter(peer_group__slug="region-x").exists()
    assert members in published_public_groups(scene["round_"].pk)[None]

    response = as_analyst(client, personas).get(url(scene["network"]))

    pooled = response.context["dashboard"].pooled_row
    assert [(c.score, c.reason) for c in pooled.cells] == [
        (None, OVERLAP),
        (None, OVERLAP),
        (None, TOO_SMALL),
        (None, OVERLAP),
    ]


def test_the_round_picker_lists_rounds_with_sign_offs_and_defaults_to_the_latest(
    client, personas, scene
):
    older = AssessmentRoundFactory(
        framework=scene["framework"],
        name="2025 to 2026",
        slug="2025-2026",
        opens_on=datetime.date(2025, 4, 1),
        closes_on=datetime.date(2026, 3, 31),
    )
    scored_assessment(council=scene["a"], round=older, scores={scene["dims"][0]: "2.0"})
    AssessmentRoundFactory(framework=scene["framework"], slug="empty")  # nobody signed off
    client = as_analyst(client, personas)

    latest = client.get(url(scene["network"]))
    chosen = client.get(url(scene["network"], round="2025-2026"))
    unknown = client.get(url(scene["network"], round="empty"))

    assert [r.slug for r in latest.context["dashboard"].rounds] == ["2026-2027", "2025-2026"]
    assert latest.context["dashboard"].round.slug == "2026-2027"
    assert chosen.context["dashboard"].round.slug == "2025-2026"
    assert chosen.context["dashboard"].signed_off == 1
    # One council alone: no figures, and only its own row (it consents).
    assert [r.label for r in chosen.context["dashboard"].rows] == ["Hartlepool Borough Council"]
    assert unknown.status_code == 404
    content = latest.content.decode()
    assert 'name="round"' in content and "2025 to 2026 (1 of 7 member councils" in content


def test_a_network_with_no_sign_offs_says_so(client, personas):
    response = as_analyst(client, personas).get(url(personas.network))

    assert response.status_code == 200
    assert response.context["dashboard"].round is None
    assert "has signed off an assessment yet" in response.content.decode()
    assert "data-app-chart" not in response.content.decode()


def test_the_page_has_no_inline_scripts_or_styles_and_a_table_for_every_chart(
    client, personas, scene
):
    content = as_analyst(client, personas).get(url(scene["network"])).content.decode()

    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", content, flags=re.S)
    for attributes, body in scripts:
        assert "src=" in attributes or 'type="application/json"' in attributes, attributes
        if "src=" in attributes:
            assert not body.strip()
    assert "style=" not in content and "<style" not in content
    for chart_id in ("chart-network-distributions", "chart-network-heatmap"):
        assert f'data-app-chart="{chart_id}" aria-hidden="true"' in content
        assert f'id="{chart_id}-summary"' in content
    assert content.count('<table class="govuk-table') == 2


# Access ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["officer_a", "lead_a", "executive_a", "officer_b", "staff"])
def test_council_people_and_staff_get_404(client, personas, scene, persona):
    client.force_login(getattr(personas, persona))

    assert client.get(url(scene["network"])).status_code == 404


def test_analyst_of_another_network_gets_404(client, personas, scene):
    elsewhere = NetworkMembershipFactory(user=UserFactory(), network=NetworkFactory()).user
    client.force_login(elsewhere)

    assert client.get(url(scene["network"])).status_code == 404
    assert client.get(url(NetworkFactory.build(slug="no-such-network"))).status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in(client, personas):
    response = client.get(url(personas.network))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


def test_network_pages_link_to_the_dashboard(client, personas):
    client = as_analyst(client, personas)
    link = url(personas.network)

    assert link in client.get(reverse("councils:networks")).content.decode()
    detail = reverse("councils:network-detail", args=[personas.network.slug])
    assert link in client.get(detail).content.decode()


# Cost -----------------------------------------------------------------------------------------


def _grow(scene, n: int) -> None:
    """n more member councils (some named), n outside the network, public groups containing
    them, and an older round with sign-offs; then rebuild and release both rounds."""
    network, dims = scene["network"], scene["dims"]
    older = AssessmentRoundFactory(framework=scene["framework"], opens_on=datetime.date(2024, 4, 1))
    region = PeerGroup.objects.create(slug="region-y", name="Region Y", kind=PeerGroupKind.REGION)
    everyone = PeerGroup.objects.create(slug="all", name="All", kind=PeerGroupKind.ALL)
    for i in range(n):
        inside = council(f"Inside {i}", f"E08{i:06d}")
        outside = council(f"Outside {i}", f"E09{i:06d}")
        network.members.add(inside)
        scene["group"].members.add(inside)
        if i % 3 == 0:
            share(inside, network)
        region.members.add(inside, outside)
        everyone.members.add(inside, outside)
        for c in (inside, outside):
            for r in (scene["round_"], older):
                scored_assessment(council=c, round=r, scores=dict.fromkeys(dims, "3.5"))
    for r in (scene["round_"], older):
        assert release(r) is not None


def test_queries_are_bounded_and_the_same_at_two_sizes(
    client, personas, scene, django_assert_max_num_queries
):
    client = as_analyst(client, personas)
    client.get(url(scene["network"]))
    with CaptureQueriesContext(connection) as small:
        response = client.get(url(scene["network"]))
    assert response.status_code == 200

    _grow(scene, 30)
    # The first view after a release reads everything: the user, the network, nine for the
    # dashboard, one for the navigation, and up to two for the planned targets (the snapshot,
    # and barrier names when there is one).
    with django_assert_max_num_queries(14):
        response = client.get(url(scene["network"]))
    # Later views find what only a release changes in the cache (benchmarks.release_cache).
    with CaptureQueriesContext(connection) as big:
        response = client.get(url(scene["network"]))

    assert response.status_code == 200
    assert len(response.context["dashboard"].rows) == 3 + 10 + 1
    assert len(big.captured_queries) == len(small.captured_queries)


def test_the_read_and_its_charts_directly(personas, scene, django_assert_max_num_queries):
    with django_assert_max_num_queries(9):
        dashboard = network_dashboard(scene["network"])

    found = {c.id: c for c in charts.network_charts(dashboard)}
    assert set(found) == {"chart-network-distributions", "chart-network-heatmap"}
    for chart in found.values():
        # No trace has a legend entry; plotly.js's validate throws on legend settings then.
        assert "legend" not in chart.figure["layout"]
    assert found["chart-network-heatmap"].summary == (
        "The heatmap shows the 3 member councils that share their results with North East "
        "Digital Partnership by name; the other 3 signed-off member councils are shown "
        "together as their mean where that cannot reveal any one council's scores."
    )


def test_it_opens_on_the_latest_round_with_figures_and_the_report_keeps_it(client, personas, scene):
    """A newer round where one member has signed off (no figures yet) does not take the
    dashboard away from the round that has them; its report link keeps the round."""
    later = AssessmentRoundFactory(
        framework=scene["framework"],
        name="2027 to 2028",
        slug="2027-2028",
        opens_on=scene["round_"].opens_on.replace(year=scene["round_"].opens_on.year + 1),
        closes_on=scene["round_"].closes_on.replace(year=scene["round_"].closes_on.year + 1),
    )
    scored_assessment(council=scene["a"], round=later, scores=dict.fromkeys(scene["dims"], "3.0"))
    assert network_dashboard(scene["network"]).round.slug == "2026-2027"

    client.force_login(personas.analyst)
    page = client.get(url(scene["network"])).content.decode()
    report_link = reverse("reports:network", args=[scene["network"].slug]) + "?round=2026-2027"
    assert report_link in page
    form = client.get(report_link).content.decode()
    assert re.search(r'<option value="2026-2027"\s+selected', form)
    # Without a round from the dashboard, the form also starts on the round with figures.
    form = client.get(reverse("reports:network", args=[scene["network"].slug])).content.decode()
    assert re.search(r'<option value="2026-2027"\s+selected', form)
