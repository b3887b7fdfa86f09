"""The council dashboard: what it shows, that it shows only what it may, and what it costs."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.lineage import dimension_lineage
from assessments.models import Dimension, DimensionScore, Question
from assessments.outline import forget_outlines
from assessments.tests.factories import AssessmentRoundFactory, scored_assessment, small_framework
from benchmarks.dashboard import (
    NextStep,
    Subject,
    highlights,
    next_steps,
)
from benchmarks.figures import FIGURES, GroupFigures
from benchmarks.models import PeerGroup, PeerGroupKind, ReleasedResult
from benchmarks.publication import OVERLAP
from benchmarks.queries import council_positions
from councils.models import Council
from councils.tests.factories import CouncilFactory

from .dashboard_data import build_sector
from .factories import make_group, release

D = Decimal


@pytest.fixture
def sector(personas, settings):
    return build_sector(personas, settings)


def url(personas, **query) -> str:
    base = reverse("benchmarks:council", args=[personas.council_a.gss_code])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def result(round_, group, dimension=None) -> ReleasedResult:
    """The group's figures in the round's current release: what the dashboard shows."""
    return ReleasedResult.objects.current().get(round=round_, peer_group=group, dimension=dimension)


# Access -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["officer_a", "lead_a", "executive_a"])
def test_every_member_of_the_council_may_view(client, personas, sector, persona):
    client.force_login(getattr(personas, persona))

    assert client.get(url(personas)).status_code == 200


@pytest.mark.parametrize("persona", ["officer_b", "analyst", "staff"])
def test_anyone_else_gets_a_404(client, personas, sector, persona):
    client.force_login(getattr(personas, persona))

    assert client.get(url(personas)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, personas, sector):
    response = client.get(url(personas))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))


@pytest.mark.parametrize("slug", ["neighbours-b", "no-such-group"])
def test_a_group_the_council_may_not_see_is_a_404(client, personas, sector, slug):
    client.force_login(personas.executive_a)

    assert client.get(url(personas, group=slug)).status_code == 404


def test_a_nul_in_the_group_is_a_bad_request_not_a_500(client, personas, sector):
    # Refused before any view: PostgreSQL cannot hold a NUL, so it never reaches a lookup.
    client.force_login(personas.executive_a)

    assert client.get(url(personas, group="region-ne%00")).status_code == 400


def test_the_index_sends_a_member_of_one_council_to_its_dashboard(client, personas, sector):
    client.force_login(personas.executive_a)

    response = client.get(reverse("benchmarks:index"))

    assert response.status_code == 302
    assert response["Location"] == url(personas)


def test_the_index_is_a_404_for_people_without_a_council(client, personas):
    client.force_login(personas.analyst)

    assert client.get(reverse("benchmarks:index")).status_code == 404


# What it shows ----------------------------------------------------------------------------------


def test_nearest_neighbours_are_the_default_and_others_neighbours_are_not_offered(
    client, personas, sector
):
    client.force_login(personas.executive_a)

    response = client.get(url(personas))

    dashboard = response.context["dashboard"]
    assert dashboard.group.slug == "neighbours-a"
    assert [g.slug for g in dashboard.groups] == [
        "neighbours-a",
        "region-ne",
        "rurality-urban",
        "tier-unitary",
    ]
    assert "neighbours-b" not in response.content.decode()


def test_headline_figures_position_and_change(client, personas, sector):
    client.force_login(personas.executive_a)

    dashboard = client.get(url(personas, group="tier-unitary")).context["dashboard"]

    overall = dashboard.overall
    # A: 2.0 and 4.0, overall 3.0; in the earlier round 1.5 and 3.0, overall 2.3 (2.25 half up).
    assert (overall.score, overall.previous, overall.change) == (D("3.0"), D("2.3"), D("0.7"))
    assert overall.level == 3
    stored = result(sector["latest"], sector["groups"]["tier"])
    assert overall.figures.median == stored.median
    positions = council_positions(round_id=sector["latest"].pk, council_id=personas.council_a.pk)
    assert overall.position == positions[(sector["groups"]["tier"].pk, None)]
    # Overall scores of the eight: 3.0, 3.0, 1.5, 3.5, 2.8, 2.5, 4.8, 2.3 -> A ranks 3rd.
    assert (overall.position.rank, overall.position.councils) == (3, 8)


def figure(response, name) -> dict:
    return response.context["charts"][name].figure


def test_chart_json_equals_the_stored_figures(client, personas, sector):
    client.force_login(personas.executive_a)
    region = sector["groups"]["region"]

    response = client.get(url(personas, group="region-ne"))

    first, second = sector["dimensions"]
    stored = [result(sector["latest"], region, d) for d in (first, second)]
    radar = {trace.get("name"): trace for trace in figure(response, "radar")["data"]}
    median = radar["Median of region-ne"]
    # The ring closes on the first dimension again.
    assert median["r"] == [
        float(stored[0].median),
        float(stored[1].median),
        float(stored[0].median),
    ]
    council = radar["Hartlepool Borough Council"]
    assert council["r"] == [2.0, 4.0, 2.0]
    boxes = [t for t in figure(response, "distributions")["data"] if t["type"] == "box"]
    by_name = {box["y"][0]: box for box in boxes}
    for dimension, row in zip((first, second), stored, strict=True):
        box = by_name[dimension.name]
        assert (box["q1"], box["median"], box["q3"]) == (
            [float(row.q1)],
            [float(row.median)],
            [float(row.q3)],
        )
        # Five councils, under twice the minimum: no 10th or 90th percentile, so the whiskers
        # stop at the quartiles.
        assert row.p10 is None
        assert (box["lowerfence"], box["upperfence"]) == ([float(row.q1)], [float(row.q3)])
    # The same figures are in the page's table.
    html = response.content.decode()
    assert f"{stored[0].q1:.2f} to {stored[0].q3:.2f}" in html


def test_a_suppressed_group_says_so_and_draws_no_group_figures(client, personas, sector):
    client.force_login(personas.executive_a)

    response = client.get(url(personas, group="rurality-urban"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "fewer than 3 councils" in html.lower()
    charts = response.context["charts"]
    assert "distributions" not in charts
    names = [trace.get("name") for trace in charts["radar"].figure["data"]]
    assert names == ["Hartlepool Borough Council"]
    assert response.context["dashboard"].overall.position is None
    assert not response.context["dashboard"].strengths
    assert not response.context["dashboard"].priorities


def test_no_other_council_is_named(client, personas, sector):
    client.force_login(personas.executive_a)

    for slug in ("neighbours-a", "region-ne", "tier-unitary", "rurality-urban"):
        html = client.get(url(personas, group=slug)).content.decode()
        # Who the neighbours are is public (the register), and listed once, on its own.
        html = re.sub(r'<details class="govuk-details">.*?</details>', "", html, flags=re.S)
        assert "Middlesbrough" not in html, slug
        assert not re.search(r"Other Council \d|Other\d", html), slug


def test_the_council_sees_who_its_neighbours_are_but_not_who_has_signed_off(
    client, personas, sector
):
    client.force_login(personas.executive_a)

    response = client.get(url(personas))

    assert response.context["dashboard"].neighbours == [
        "Other Council 3",
        "Other Council 4",
        "Other Council 5",
    ]
    details = re.search(
        r'<details class="govuk-details">.*?</details>', response.content.decode(), re.S
    )
    assert details and "Other Council 4" in details.group(0)
    assert "does not say which of them have signed off" in details.group(0)


def test_the_council_and_its_neighbours_are_named_in_the_readers_language(client, personas, sector):
    Council.objects.filter(pk=personas.council_a.pk).update(name_cy="Cyngor Hartlepwl")
    Council.objects.filter(name_en="Other Council 5").update(name_cy="Cyngor Arall A")
    client.force_login(personas.executive_a)
    english = client.get(url(personas))
    client.cookies["django_language"] = "cy"

    welsh = client.get(url(personas))

    # Sorted by the name each reader sees: the Welsh name puts council 5 first.
    assert welsh.context["dashboard"].neighbours == [
        "Cyngor Arall A",
        "Other Council 3",
        "Other Council 4",
    ]
    assert english.context["dashboard"].neighbours[-1] == "Other Council 5"
    assert "Cyngor Hartlepwl" in welsh.content.decode()
    assert "Cyngor Hartlepwl" not in english.content.decode()


def test_the_dashboard_keeps_last_rounds_comparison_until_this_rounds_figures_exist(
    client, personas, sector
):
    """A sign-off in a new round, with nobody else signed off there yet: the dashboard stays
    on the round whose figures exist, and the new round says why it has none."""
    client.force_login(personas.executive_a)
    latest = sector["latest"]
    new = AssessmentRoundFactory(framework=latest.framework, slug="2027-2028", name="2027 to 2028")
    first, second = sector["dimensions"]
    scored_assessment(council=personas.council_a, round=new, scores={first: "3.0", second: "3.0"})
    release(new)

    opened = client.get(url(personas, group="tier-unitary")).context["dashboard"]
    chosen = client.get(url(personas, group="tier-unitary", round="2027-2028"))

    assert opened.round == latest and opened.overall.published
    assert [r.slug for r in opened.rounds] == ["2027-2028", latest.slug, sector["earlier"].slug]
    waiting = chosen.context["dashboard"].waiting
    assert chosen.context["dashboard"].round == new
    assert (waiting.signed_off, waiting.needed, waiting.neighbours) == (1, 3, False)
    assert "1 council across the UK has signed off 2027 to 2028 so far" in chosen.content.decode()


def test_a_round_the_council_has_not_signed_off_is_a_404(client, personas, sector):
    client.force_login(personas.executive_a)

    assert client.get(url(personas, round="1999-2000")).status_code == 404


def test_strengths_priorities_and_next_steps(client, personas, sector):
    client.force_login(personas.executive_a)
    first, second = sector["dimensions"]

    dashboard = client.get(url(personas, group="tier-unitary")).context["dashboard"]

    # Tier medians: first dimension 2.75 -> A's 2.0 is below; second 3.0 -> A's 4.0 above.
    assert [h.subject.dimension_id for h in dashboard.priorities] == [first.pk]
    assert [h.subject.dimension_id for h in dashboard.strengths] == [second.pk]
    steps = dashboard.priorities[0].steps
    # The two lowest agreed levels (1 and 3), each with the next level's descriptor; the
    # question at level 5 has no next step.
    assert [(s.question_code, s.level, s.next_level, s.descriptor) for s in steps] == [
        ("DIM1-02", 1, 2, "Level 2"),
        ("DIM1-01", 3, 4, "Level 4"),
    ]


def _without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.mark.parametrize("language", ["en-gb", "cy"])
def test_a_dashboard_from_kept_parts_is_the_dashboard_drawn_afresh(
    client, personas, sector, language
):
    """Its tables and highlights are kept for the figures they show ({% kept %}): each
    person's page must be what drawing it afresh gives, and the lead's "Add to plan" links
    must never reach the chief executive's copy of the same figures."""
    client.cookies["django_language"] = language

    def page(who):
        client.force_login(getattr(personas, who))
        return _without_tokens(client.get(url(personas, group="tier-unitary")).content.decode())

    caches["fragments"].clear()
    lead_fresh = page("lead_a")
    lead_kept = page("lead_a")
    executive_after_lead = page("executive_a")
    caches["fragments"].clear()
    executive_fresh = page("executive_a")

    assert lead_kept == lead_fresh
    assert executive_after_lead == executive_fresh
    add = reverse("plans:target-add", args=[personas.council_a.gss_code, sector["latest"].slug])
    assert add in lead_kept
    assert add not in executive_after_lead


def test_a_new_sign_off_shows_its_own_scores_and_next_steps(client, personas, sector):
    """What a sign-off fixes is kept under its time: the rows a reopen and a new sign-off
    leave must show, never the first sign-off's kept copy."""
    first, _ = sector["dimensions"]
    assessment = personas.council_a.assessments.get(round=sector["latest"])
    assessment.signed_off_at = timezone.now()
    assessment.save(update_fields=["signed_off_at"])
    client.force_login(personas.executive_a)
    before = client.get(url(personas, group="tier-unitary")).context["dashboard"]

    # As staff reopening it and the council signing off again leave the rows.
    DimensionScore.objects.filter(assessment=assessment, dimension=first).update(score=D("1.0"))
    assessment.agreed_answers.filter(question__code="DIM1-02").update(level=2)
    assessment.signed_off_at = assessment.signed_off_at + datetime.timedelta(days=1)
    assessment.save(update_fields=["signed_off_at"])
    after = client.get(url(personas, group="tier-unitary")).context["dashboard"]

    assert [s.score for s in before.dimensions] == [D("2.0"), D("4.0")]
    assert [s.score for s in after.dimensions] == [D("1.0"), D("4.0")]
    assert [(s.question_code, s.level) for s in before.priorities[0].steps] == [
        ("DIM1-02", 1),
        ("DIM1-01", 3),
    ]
    assert [(s.question_code, s.level) for s in after.priorities[0].steps] == [
        ("DIM1-02", 2),
        ("DIM1-01", 3),
    ]


def test_next_steps_are_in_the_readers_language(client, personas, sector):
    first, _ = sector["dimensions"]
    question = Question.objects.get(dimension=first, code="DIM1-02")
    Question.objects.filter(pk=question.pk).update(statement_cy="Datganiad yn Gymraeg")
    question.descriptors.filter(level=2).update(description_cy="Lefel 2 yn Gymraeg")
    forget_outlines()  # another test's framework may have had this id
    client.force_login(personas.executive_a)
    client.cookies["django_language"] = "cy"

    response = client.get(url(personas, group="tier-unitary"))

    step = response.context["dashboard"].priorities[0].steps[0]
    assert (step.question_code, step.statement, step.descriptor) == (
        "DIM1-02",
        "Datganiad yn Gymraeg",
        "Lefel 2 yn Gymraeg",
    )
    assert "Datganiad yn Gymraeg" in response.content.decode()


def test_trend_table_lists_every_signed_off_round(client, personas, sector):
    client.force_login(personas.executive_a)

    response = client.get(url(personas))

    dashboard = response.context["dashboard"]
    assert [p.round_name for p in dashboard.trend] == ["2025 to 2026", "2026 to 2027"]
    assert dashboard.trend_rows[-1] == {"name": "Overall score", "values": [D("2.3"), D("3.0")]}
    assert "chart-trend" in response.content.decode()


def test_positions_wait_for_results_that_include_the_latest_sign_off(client, personas, sector):
    client.force_login(personas.executive_a)
    a = personas.council_a
    # Reopened and signed off again with other scores; no release has counted them yet.
    a.assessments.get(round=sector["latest"]).delete()
    first, second = sector["dimensions"]
    scored_assessment(council=a, round=sector["latest"], scores={first: "3.5", second: "3.5"})

    response = client.get(url(personas, group="tier-unitary"))

    dashboard = response.context["dashboard"]
    assert dashboard.overall.score == D("3.5")
    assert dashboard.overall.position is None
    assert [s.position for s in dashboard.dimensions] == [None, None]
    assert "Not available until the figures include your latest sign-off" in (
        response.content.decode()
    )


def test_a_council_with_nothing_signed_off_sees_why(client, personas, sector):
    client.force_login(personas.officer_b)
    personas.council_b.assessments.all().delete()

    response = client.get(reverse("benchmarks:council", args=[personas.council_b.gss_code]))

    assert response.status_code == 200
    assert "no signed-off assessment yet" in response.content.decode()


def test_chart_pages_load_the_chart_scripts_with_defer_and_no_inline_script(
    client, personas, sector
):
    client.force_login(personas.executive_a)

    html = client.get(url(personas)).content.decode()

    scripts = re.findall(r"<script[^>]*>", html)
    # Plotly itself is fetched by charts.js, only when a chart nears the screen.
    sources = [re.search(r' src="([^"]*)"', s) for s in scripts]
    assert not [m[1] for m in sources if m and "plotly" in m[1]]
    assert any(
        "charts.js" in s and "defer" in s and 'data-plotly="/static/vendor/plotly/' in s
        for s in scripts
    )
    # Each chart's box holds the figure's height before it is drawn.
    assert '<svg class="app-chart__space" width="100%" height="480"' in html
    # Only data blocks or external files: nothing inline that would run.
    for tag in scripts:
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert " style=" not in html
    for block in re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', html, re.S):
        json.loads(block)


def test_pages_without_charts_do_not_load_plotly(client, personas, sector):
    client.force_login(personas.executive_a)

    assert "plotly" not in client.get(reverse("portal:home")).content.decode()


# What it costs ----------------------------------------------------------------------------------


def page_queries(client, address) -> int:
    # As a fresh process sees it: the framework's outline read too (assessments.outline).
    forget_outlines()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured)


def test_queries_are_bounded_and_the_same_at_two_sizes(client, personas, sector):
    client.force_login(personas.executive_a)
    small = page_queries(client, url(personas, group="tier-unitary"))

    # Ten times the councils, more groups, another round.
    tier = sector["groups"]["tier"]
    first, second = sector["dimensions"]
    extra = [CouncilFactory() for _ in range(70)]
    tier.members.add(*extra)
    for n in range(10):
        make_group(
            f"population-{n}", PeerGroupKind.POPULATION_BAND, [personas.council_a, *extra[n:]]
        )
    for council in extra:
        scored_assessment(
            council=council, round=sector["latest"], scores={first: "3.0", second: "2.0"}
        )
    assert release(sector["latest"]) is not None

    # As a process that has not yet kept what the council's sign-offs fix.
    caches["fragments"].clear()
    large = page_queries(client, url(personas, group="tier-unitary"))

    # Sixteen for the comparison, and up to six for the plan: the plan made from the round,
    # what the last plan achieved (and its targets), offers to share (and the climbers' scores
    # and neighbours, when there are offers).
    assert large == small <= 22


def test_the_dashboard_stays_within_its_query_bound(
    client, personas, sector, django_assert_max_num_queries
):
    client.force_login(personas.executive_a)

    with django_assert_max_num_queries(22):
        client.get(url(personas))


# Pure helpers -----------------------------------------------------------------------------------


def test_dimension_lineage_follows_chains_and_skips_split_dimensions():
    links = [
        (20, 10),  # v2 dimension 20 carries on v1's 10
        (20, 10),
        (20, None),  # a new question: no link
        (21, 11),
        (21, 12),  # 21 draws on two old dimensions: not comparable
        (30, 20),  # v3's 30 carries on v2's 20
    ]

    assert dimension_lineage(links) == {10: 30, 20: 30}


def subject(pk, score, median, published=True) -> Subject:
    figures = GroupFigures(councils=5, median=median) if published else GroupFigures(OVERLAP)
    return Subject(
        dimension_id=pk,
        code=f"D{pk}",
        name=f"D{pk}",
        score=score,
        previous=None,
        figures=figures,
        position=None,
    )


def test_highlights_order_by_distance_from_the_median_and_leave_out_ties_and_suppressed():
    subjects = [
        subject(1, D("2.0"), D("3.0")),  # -1.0
        subject(2, D("4.0"), D("3.0")),  # +1.0
        subject(3, D("3.0"), D("3.0")),  # level: neither
        subject(4, D("1.0"), D("3.0"), published=False),
        subject(5, D("2.5"), D("3.0")),  # -0.5
        subject(6, D("3.5"), D("3.0")),  # +0.5
        subject(7, D("1.5"), D("2.5")),  # -1.0, ties with 1: framework order
        subject(None, D("1.0"), D("4.0")),  # the overall score is never a highlight
    ]

    strengths, priorities = highlights(subjects, {}, count=2)

    assert [h.subject.dimension_id for h in strengths] == [2, 6]
    assert [h.subject.dimension_id for h in priorities] == [1, 7]


def test_next_steps_take_the_lowest_levels_and_skip_the_top_level():
    answers = [
        (1, "A-01", "First", 101, 4),
        (1, "A-02", "Second", 102, 2),
        (1, "A-03", "Third", 103, 5),
        (1, "A-04", "Fourth", 104, 2),
        (2, "B-01", "Only", 201, 5),
    ]
    descriptors = {(102, 3): "Three for 102", (104, 3): "Three for 104", (101, 5): "Five"}

    found = next_steps(answers, descriptors, count=2)

    assert found[1] == [
        NextStep("A-02", "Second", 2, 3, "Defined", "Three for 102"),
        NextStep("A-04", "Fourth", 2, 3, "Defined", "Three for 104"),
    ]
    assert found[2] == []


def test_the_trend_carries_scores_across_framework_versions(client, personas, settings):
    settings.BENCHMARK_MIN_GROUP = 1
    old, new = (
        small_framework(dimensions=2, questions=2),
        small_framework(dimensions=2, questions=2),
    )
    # v2's first dimension carries on v1's first; its second draws on both of v1's, so it
    # has no comparable earlier score.
    links = {"DIM1-01": "DIM1-01", "DIM1-02": "DIM1-02", "DIM2-01": "DIM1-01", "DIM2-02": "DIM2-02"}
    for code, replaced in links.items():
        Question.objects.filter(framework=new, code=code).update(
            replaces=Question.objects.get(framework=old, code=replaced)
        )
    old_dims = list(Dimension.objects.filter(framework=old).order_by("order"))
    new_dims = list(Dimension.objects.filter(framework=new).order_by("order"))
    earlier = AssessmentRoundFactory(framework=old, opens_on=datetime.date(2025, 4, 1))
    latest = AssessmentRoundFactory(framework=new, opens_on=datetime.date(2026, 4, 1))
    a = personas.council_a
    scored_assessment(council=a, round=earlier, scores={old_dims[0]: "2.0", old_dims[1]: "3.0"})
    scored_assessment(council=a, round=latest, scores={new_dims[0]: "2.5", new_dims[1]: "4.0"})
    make_group("tier-unitary", PeerGroupKind.TIER, [a])
    for round_ in (earlier, latest):
        release(round_)
    client.force_login(personas.executive_a)

    dashboard = client.get(url(personas)).context["dashboard"]

    first, second, overall = dashboard.trend_rows
    assert first["values"] == [D("2.0"), D("2.5")]
    assert second["values"] == [None, D("4.0")]
    # The overall score is each round's own: always comparable.
    assert overall["values"] == [D("2.5"), D("3.3")]
    assert dashboard.dimensions[0].change == D("0.5")
    assert dashboard.dimensions[1].change is None


def test_without_a_choice_the_first_group_with_figures_is_shown(client, personas, sector):
    # A's neighbours withheld: the picker still offers them, but the page opens on the region.
    ReleasedResult.objects.current().filter(peer_group=sector["groups"]["neighbours"]).update(
        suppressed=True,
        suppression_reason=OVERLAP,
        **dict.fromkeys(FIGURES),
        level_counts=None,
        distribution=None,
        published_set=None,
        as_of=None,
    )
    client.force_login(personas.executive_a)

    dashboard = client.get(url(personas)).context["dashboard"]

    assert dashboard.group.slug == "region-ne"
    assert dashboard.groups[0].slug == "neighbours-a"


def test_a_group_changed_since_the_release_keeps_the_places_it_counted(client, personas, sector):
    # Under releases the released set says whom the figures count, with which score, so a group
    # changed since (a member gone, not yet released) no longer withholds the council's place.
    tier = sector["groups"]["tier"]
    tier.members.remove(tier.members.exclude(pk__in=[personas.council_a.pk]).first())
    PeerGroup.objects.filter(pk=tier.pk).update(updated_at=timezone.now())
    client.force_login(personas.executive_a)

    dashboard = client.get(url(personas, group="tier-unitary")).context["dashboard"]

    # The figures and the place stay as released: eight councils.
    assert dashboard.overall.published and dashboard.overall.figures.councils == 8
    positions = council_positions(round_id=sector["latest"].pk, council_id=personas.council_a.pk)
    assert dashboard.overall.position == positions[(tier.pk, None)]
    assert (dashboard.overall.position.rank, dashboard.overall.position.councils) == (3, 8)
    assert all(s.position is not None for s in dashboard.dimensions)


def test_a_place_waits_only_in_the_subjects_whose_score_changed(client, personas, sector):
    a = personas.council_a
    first, second = sector["dimensions"]
    # Signed off again with a new first score (2.0 -> 2.5), the second as before (4.0).
    a.assessments.get(round=sector["latest"]).delete()
    scored_assessment(council=a, round=sector["latest"], scores={first: "2.5", second: "4.0"})
    client.force_login(personas.executive_a)

    dashboard = client.get(url(personas, group="tier-unitary")).context["dashboard"]

    # The figures stay (they are the group's as released); the council's place waits where the
    # release counted another score: the first dimension and overall (3.0 -> 3.3).
    assert dashboard.overall.published
    assert dashboard.overall.position is None
    assert [s.position is None for s in dashboard.dimensions] == [True, False]
    positions = council_positions(round_id=sector["latest"].pk, council_id=a.pk)
    assert dashboard.dimensions[1].position == positions[(sector["groups"]["tier"].pk, second.pk)]
